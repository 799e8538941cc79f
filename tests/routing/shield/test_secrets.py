import pytest

from routing.shield import Severity, scan, secrets

# Random-looking but fake credentials assembled at run time so no scanner flags this file.
OPENAI = "sk-proj-" + "Qx7vN2kLp9RzT4mWb8YcJ1hFd3Gs6Ae5"
ANTHROPIC = "sk-ant-api03-" + "Zr8Kq2Lm5Nx7Pv1Bc4Df6Gh9Jk3Ws0Ty"
AWS_ID = "AKIA" + "Q3J5V7X2M4N6P8R1"
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
SLACK = "xoxb-" + "123456789012-1234567890123-Ab3dEf6hIj9kLm2n"
GOOGLE = "AIza" + "SyB3x7Qp9Lm2Kd5Vr8Wt1Yz4Nc6Hf0Gj3Ks"
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
JWT = "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0." + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
PEM = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEow\n-----END RSA " + "PRIVATE KEY-----"


@pytest.mark.parametrize(
    ("text", "rule", "severity"),
    [
        (f"my key is {OPENAI}", "secret.openai_key", Severity.CRITICAL),
        (f"ANTHROPIC_API_KEY={ANTHROPIC}", "secret.anthropic_key", Severity.CRITICAL),
        (f"aws id {AWS_ID}", "secret.aws_access_key", Severity.CRITICAL),
        (f"token {GITHUB}", "secret.github_token", Severity.CRITICAL),
        (f"slack {SLACK}", "secret.slack_token", Severity.CRITICAL),
        (f"maps {GOOGLE}", "secret.google_api_key", Severity.CRITICAL),
        (f"stripe {STRIPE}", "secret.stripe_key", Severity.CRITICAL),
        (f"Authorization: Bearer {JWT}", "secret.jwt", Severity.HIGH),
        (f"here:\n{PEM}\n", "secret.private_key", Severity.CRITICAL),
        ('client_secret = "f83Kd9Lq2Xz7Vb1Nm4Pw6Rt8"', "secret.assigned_secret", Severity.HIGH),
        (
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKY",
            "secret.aws_secret_key",
            Severity.CRITICAL,
        ),
        ("my AWS secret key is wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKY", "secret.aws_secret_key", Severity.CRITICAL),
        # Next to the access key it pairs with: in prose, and a row of the credentials.csv AWS hands out.
        (f"key {AWS_ID} secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKY", "secret.aws_secret_key", Severity.CRITICAL),
        (f"bob,,{AWS_ID},wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKY", "secret.aws_secret_key", Severity.CRITICAL),
        ("hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 is my token", "secret.huggingface_token", Severity.CRITICAL),
        ("glpat-" + "9sKd3LmQ2xZp7VtR4wYb is the gitlab token", "secret.gitlab_token", Severity.CRITICAL),
        ("npm token npm_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "secret.npm_token", Severity.CRITICAL),
        (
            "SENDGRID_API_KEY=SG." + "abcdefghijklmnopqrstuv.wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abc",
            "secret.sendgrid_key",
            Severity.CRITICAL,
        ),
        ("Authorization: Basic YWRtaW46cGFzc3dvcmQxMjM=", "secret.basic_auth", Severity.HIGH),  # admin:password123
        # an Azure storage connection string and a Service Bus one
        (
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaQ==",
            "secret.assigned_secret",
            Severity.HIGH,
        ),
        (
            "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=q8Zt3vXk9LmN2pQr7sTu1vWx4yZa6bCd8eFg0hIj2kL=",
            "secret.assigned_secret",
            Severity.HIGH,
        ),
        ('db_password = "Tr0ub4dor&3"', "secret.password", Severity.HIGH),
        ("password: hunter2", "secret.password", Severity.HIGH),  # unquoted, in prose or a config file
        ("my password is Summer2024!", "secret.password", Severity.HIGH),
        ("pwd=Xk9#mQ2z", "secret.password", Severity.HIGH),
        ("DATABASE_URL=postgres://admin:S3cr3tP4ss@db.internal:5432/prod", "secret.url_password", Severity.HIGH),
        ("git clone https://oauth2:glpat-abcDEF123456@gitlab.com/x/y.git", "secret.url_password", Severity.HIGH),
    ],
)
def test_credentials_are_found(text, rule, severity):
    found = [f for f in scan(text).findings if f.rule == rule]
    assert found and found[0].severity == severity
    assert found[0].category == "secret"


@pytest.mark.parametrize(
    "text",
    [
        "password = input('Password: ')",
        "curl -H 'Authorization: Basic dXNlcjpwYXNz'",  # user:pass, a placeholder
        "Authorization: Basic <base64>",
        "Use the Basic plan for small teams; hf_ prefixes mark Hugging Face tokens.",
        "account_key = settings.STORAGE_KEY",
        "The SG.5 submarine class was retired.",
        "AWS secret key rotation runs every 90 days.",
        'api_key = os.environ["OPENAI_API_KEY"]',
        'token = "your_token_here"',
        "the sk-learn library and the skeleton key problem",
        "-----BEGIN PUBLIC KEY-----",
        'password = "********"',
        "postgres://user:password@localhost/db",
        "redis://:${REDIS_PASSWORD}@cache:6379",
        "mysql://root:<password>@localhost and postgres://postgres@localhost:5432/app",
        "password is required",
        "Password: the same one as last time",
        "password = getpass.getpass()",
        "pwd: /home/alice/projects",
        'password = request.form["pw"]',
        "password = $DB_PASSWORD",
        "The password field must be 8-64 characters.",
        "password policy v2.0 requires symbols",
        "passwords like abc123 are weak",
        "the password reset token expires after 24h.",
        "Remember that the password is case-sensitive.",  # words joined by a hyphen
        "The password reset-link expired.",
        "password = hash_password(raw)",  # a call
        "password: ok-ish but could be stronger",
    ],
)
def test_code_without_credentials_is_clean(text):
    assert not [f for f in scan(text).findings if f.category == "secret"]


def test_secret_never_appears_in_excerpt_or_explanation():
    finding = next(f for f in scan(f"use {OPENAI} for prod").findings if f.category == "secret")
    assert OPENAI not in finding.excerpt and OPENAI[8:20] not in finding.excerpt
    assert OPENAI not in finding.explanation
    assert finding.kind == "API_KEY"


@pytest.mark.parametrize(
    "text",
    [
        # one literal inside another, and overlapping ones
        "sk-ant-" + "Qx7vN2kLp9RzT4mWb8YcJ1hF" + " sk-sk-" + "Zr8Kq2Lm5Nx7Pv1Bc4Df6Gh9",
        # Stripe's matches open two characters before its literal.
        "_live_" + "x" * 20 + " sk_live_" + "a1B2c3D4" * 3 + " rk_test_" + "Q9w8" * 5,
        "\u017fecret_key = 'Ab3dE5fG7hJ9kL1mN3pQ' and API_KEY: Zx8Cv7Bn6Mm5Ll4Kk3",  # a long s is an 's' to (?i)
        "aws_secret_access_key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'  password: \"hunter2hunter2\"",
        "x" * 5000 + "\ntoken=" + "A1b2C3d4" * 4 + "\n" + "pwd='S3cr3t!!'",
    ],
)
def test_one_hyperscan_pass_finds_what_the_find_loops_find(text, monkeypatch):
    from routing.shield.literals import LiteralSet

    if not LiteralSet.available:
        pytest.skip("Hyperscan is not installed")
    fast = [(h.rule, h.start, h.end) for h in secrets.secret_hits(text)]
    monkeypatch.setattr(secrets._PROVIDER_SET, "available", False)
    monkeypatch.setattr(secrets._WORD_SET, "available", False)
    monkeypatch.setattr(secrets._GATE_SET, "available", False)
    assert fast == [(h.rule, h.start, h.end) for h in secrets.secret_hits(text)]
    assert fast  # each text holds at least one credential


def test_the_gates_pass_says_which_literals_occur(monkeypatch):
    import random

    from routing.shield.literals import LiteralSet

    if not LiteralSet.available:
        pytest.skip("Hyperscan is not installed")
    rng = random.Random(21)
    pieces = [b"sk", b"-", b"ant", b"AKIA", b"gh", b"p_", b"xox", b"eyJ", b"_live_", b"key", b"TOKEN", b"a", b"ss",
              b"w", b"d", b"PRIVATE", b" KEY", b"AIza", b"github_pat_", b" ", b"Secret"]  # fmt: skip
    texts = [b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12))) for _ in range(3000)]
    fast = [secrets._gates(data) for data in texts]
    monkeypatch.setattr(secrets._GATE_SET, "available", False)
    slow = [secrets._gates(data) for data in texts]
    for data, (providers, *rest), (_, *expected) in zip(texts, fast, slow, strict=True):
        assert rest == expected, data
        assert providers == any(literal in data for literal, _, _ in secrets._PROVIDER_LITERALS), data
    assert sum(any(gates) for gates in fast) > 1000 and sum(not any(gates) for gates in fast) > 100


def test_a_commit_next_to_an_access_key_is_no_secret_key():
    found = {f.rule for f in scan(f"{AWS_ID} was rotated in commit 3f786850e387550fdab836ed7e6dc881de23001b").findings}
    assert found == {"secret.aws_access_key"}
    found = {f.rule for f in scan(f"{AWS_ID} 3f786850e387550fdab836ed7e6dc881de23001b").findings}
    assert found == {"secret.aws_access_key"}
