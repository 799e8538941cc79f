"""Credentials: provider API keys, cloud and SaaS tokens, JWTs, PEM private keys, and high-entropy
values assigned to names like ``api_key`` or ``password``. Runs on the original text."""

from __future__ import annotations

import base64
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import accumulate

from routing.shield.candidates import ascii_bytes, literal_starts, lowered_bytes, matches_at
from routing.shield.findings import Hit, Rule, Severity
from routing.shield.literals import LiteralSet

C = "secret"
RULES = (
    Rule("secret.private_key", C, Severity.CRITICAL, "A PEM private key.", "PRIVATE_KEY"),
    Rule("secret.openai_key", C, Severity.CRITICAL, "An OpenAI API key.", "API_KEY"),
    Rule("secret.anthropic_key", C, Severity.CRITICAL, "An Anthropic API key.", "API_KEY"),
    Rule("secret.aws_access_key", C, Severity.CRITICAL, "An AWS access key id.", "API_KEY"),
    Rule("secret.aws_secret_key", C, Severity.CRITICAL, "An AWS secret access key.", "API_KEY"),
    Rule("secret.github_token", C, Severity.CRITICAL, "A GitHub token.", "API_KEY"),
    Rule("secret.slack_token", C, Severity.CRITICAL, "A Slack token.", "API_KEY"),
    Rule("secret.google_api_key", C, Severity.CRITICAL, "A Google API key.", "API_KEY"),
    Rule("secret.stripe_key", C, Severity.CRITICAL, "A Stripe secret key.", "API_KEY"),
    Rule("secret.huggingface_token", C, Severity.CRITICAL, "A Hugging Face access token.", "API_KEY"),
    Rule("secret.gitlab_token", C, Severity.CRITICAL, "A GitLab personal access token.", "API_KEY"),
    Rule("secret.npm_token", C, Severity.CRITICAL, "An npm access token.", "API_KEY"),
    Rule("secret.sendgrid_key", C, Severity.CRITICAL, "A SendGrid API key.", "API_KEY"),
    Rule("secret.jwt", C, Severity.HIGH, "A JSON Web Token.", "TOKEN"),
    Rule("secret.basic_auth", C, Severity.HIGH, "HTTP Basic credentials (user:password in base64).", "PASSWORD"),
    Rule(
        "secret.assigned_secret",
        C,
        Severity.HIGH,
        "A high-entropy value assigned to a key/secret/token name.",
        "SECRET",
    ),
    Rule("secret.password", C, Severity.HIGH, "A literal password assigned to a password field.", "PASSWORD"),
    Rule("secret.url_password", C, Severity.HIGH, "A password inside a URL (scheme://user:password@host).", "PASSWORD"),
)

# (rule, literal (or literals, one of which) that must occur, regex)
_PROVIDERS = (
    ("secret.anthropic_key", "sk-ant-", re.compile(r"\bsk-ant-[A-Za-z0-9_\-]{20,200}")),
    ("secret.openai_key", "sk-", re.compile(r"\bsk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{20,200}")),
    (
        "secret.aws_access_key",
        ("AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA"),
        re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b"),
    ),
    ("secret.github_token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b")),
    ("secret.github_token", "github_pat_", re.compile(r"\bgithub_pat_[A-Za-z0-9_]{22,255}\b")),
    ("secret.slack_token", "xox", re.compile(r"\bxox[baprse]-[A-Za-z0-9\-]{10,250}")),
    ("secret.google_api_key", "AIza", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])")),
    ("secret.stripe_key", "_live_", re.compile(r"\b(?:sk|rk)_live_[0-9A-Za-z]{16,247}\b")),
    ("secret.stripe_key", "_test_", re.compile(r"\b(?:sk|rk)_test_[0-9A-Za-z]{16,247}\b")),
    ("secret.huggingface_token", "hf_", re.compile(r"\bhf_[A-Za-z0-9]{30,40}\b")),
    ("secret.gitlab_token", "glpat-", re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,40}(?![A-Za-z0-9_\-])")),
    ("secret.npm_token", "npm_", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("secret.sendgrid_key", "SG.", re.compile(r"\bSG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{20,64}")),
    (
        "secret.jwt",
        "eyJ",
        re.compile(r"\beyJ[A-Za-z0-9_\-]{8,4096}\.eyJ[A-Za-z0-9_\-]{8,4096}\.[A-Za-z0-9_\-]{8,4096}"),
    ),
)
_PEM_BEGIN = re.compile(r"-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----")
_PEM_END = re.compile(r"-----END (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----")
# After its name ("aws_secret_access_key = …", "my AWS secret key is …"), or after the access key it
# pairs with ("AKIA…, secret: …", a credentials.csv row "AKIA…,…").
_AWS_SECRET = re.compile(
    r"(?i)aws[\w\-. ]{0,20}?(?:secret|private)(?:[\w\-.]{0,20}?[\"']?\s{0,3}[:=]|[\w\-. ]{0,20}?\s(?:is|was|=))?"
    r"\s{0,3}[\"']?(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
)
_AWS_PAIRED = re.compile(
    r"[\s,;:=\"'|]{1,12}(?:(?i:secret)[\w\-. ]{0,16}?[\s,;:=\"'|]{1,6})?(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})"
    r"(?![A-Za-z0-9/+])"
)
_GIT_HASH = re.compile(r"[0-9a-f]{40}")  # a commit, not a secret, next to a key
_NAMES = (
    r"(?:api[_\-]?key|apikey|secret(?:[_\-]?key)?|access[_\-]?token|auth[_\-]?token|bearer|token|"
    r"client[_\-]?secret|private[_\-]?key|signing[_\-]?key|credentials?|account[_\-]?key|shared[_\-]?access[_\-]?key)"
)
_ASSIGNED = re.compile(
    rf"(?i)(?<![a-z0-9]){_NAMES}[\w\-]{{0,10}}[\"']?\s{{0,3}}(?::|=|=>|:=)\s{{0,3}}[\"']?"
    r"([A-Za-z0-9_\-+/=.~]{16,200})"
)
_PASSWORD = re.compile(
    r"(?i)(?:password|passwd|pwd|passphrase)[\w\-]{0,10}[\"']?\s{0,3}(?::|=|=>|:=)\s{0,3}([\"'])"
    r"([^\"'\s]{6,128})\1"
)
# An unquoted password after its word, in prose or a config file ("password: hunter2", "my password is
# Summer2024!"): only a value that looks like one (see _plain_password).
_PLAIN_PASSWORD = re.compile(
    r"(?i)(?<![a-z])(?:password|passwd|pwd|passphrase)(?:\s{1,3}(?:is|was))?\s{0,3}(?::|=|\s)\s{0,3}"
    r"([^\s\"'`,;()\[\]{}<>]{6,64})(?<![.:!?])"
)
# Opens with its literal, so that ``re`` skips ahead to each "://" (a scheme's last character before it).
_URL_PASSWORD = re.compile(r"://(?<=[A-Za-z0-9+.\-]://)[^\s:/@\"']{0,64}:([^\s/@\"']{1,128})@[\w\-]")
# A letter; a digit or a symbol other than the hyphen and underscore that join words ("case-sensitive").
_LETTER, _NOT_LETTER = re.compile(r"[A-Za-z]"), re.compile(r"[^A-Za-z_\-]")
_CODE_VALUE = re.compile(r"^[/$%~\\]|\.[A-Za-z_]|^\d+(?:\.\d+)*$")  # a path, a variable, an attribute, a number
# Every name _NAMES matches opens with one of these.
# "account" and "shared" alone are in most prose: the key names that open with them are looked for whole.
_NAME_STARTS = (
    "api", "secret", "access", "auth", "bearer", "token", "client", "private", "signing", "credential", "accountkey",
    "account_key", "account-key", "sharedaccesskey", "shared_access_key", "shared-access-key",
)  # fmt: skip
_DOTTED = frozenset({"secret.jwt", "secret.sendgrid_key"})  # keys with dots inside (``_looks_random`` refuses dots)
# "Authorization: Basic dXNlcjpwYXNz": user and password in base64 (decoded, they hold a colon).
_BASIC_AUTH = re.compile(r"(?i)\bauthorization\s{0,3}[:=]\s{0,3}[\"']?basic\s{1,3}([A-Za-z0-9+/]{8,400}={0,2})")
_SECRET_HINTS = ("key", "secret", "token", "bearer", "credential", "KEY", "SECRET", "TOKEN", "Key", "Secret", "Token")
_PLACEHOLDER = re.compile(
    r"(?i)^(?:x{4,}|\*{3,}|\.{3,}|<[^>]*>|\$\{?[\w.]+\}?|%\(?\w+\)?s?|your[_\-]?\w*|example\w*|changeme|"
    r"placeholder|dummy\w*|test\w*|sample\w*|redacted|none|null|true|false|undefined|todo|secret|password\w*|"
    r"os\.environ.*|env\..*|process\.env.*|settings\..*|config\..*|input\(.*|getenv.*)$"
)


def entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


_CHARACTER_CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"))


def _looks_random(value: str) -> bool:
    classes = sum(regex.search(value) is not None for regex in _CHARACTER_CLASSES)
    return classes >= 2 and entropy(value) >= 3.5 and not _PLACEHOLDER.match(value) and "." not in value.strip(".")


# Every provider literal is found by one of these passes over the text (each pass costs about as much
# as a bytes search): literals that open alike share one, a regex that opens with a literal skips
# ahead to it, and a lookahead lets occurrences overlap (as ``literal_starts`` finds them).
_LITERAL_PASSES = tuple(
    re.compile(pattern)
    for pattern in (rb"sk-", rb"A(?=KIA|SIA|BIA|CCA|GPA|IDA|ROA|Iza)", rb"gh(?=[pousr]_)", rb"github_pat_",
                    rb"_(?=live_|test_)", rb"x(?=ox)", rb"eyJ", rb"hf_", rb"glpat-", rb"npm_", rb"SG\.")
)  # fmt: skip


def _owners(finder: re.Pattern[bytes]) -> list[tuple[int, tuple[bytes, ...], int]]:
    """(provider index, its literals, how far before a literal its matches start) for the providers
    whose literals ``finder`` finds."""
    owners = []
    for index, (_, literal, _) in enumerate(_PROVIDERS):
        literals = tuple(x.encode() for x in ((literal,) if isinstance(literal, str) else literal))
        found = [finder.match(x) is not None for x in literals]
        assert all(found) or not any(found), "one pass finds all of a provider's literals"
        if all(found):
            # Every provider match opens with its literal, except Stripe's, which opens two letters earlier.
            owners.append((index, literals, 2 if literals[0][:1] == b"_" else 0))
    return owners


_PASS_OWNERS = tuple((finder, _owners(finder)) for finder in _LITERAL_PASSES)
assert sorted(i for _, owners in _PASS_OWNERS for i, _, _ in owners) == list(range(len(_PROVIDERS)))


# The same starts in one Hyperscan pass: every literal of every provider, with its owner and offset.
_PROVIDER_LITERALS = tuple(
    (literal, index, offset) for _, owners in _PASS_OWNERS for index, literals, offset in owners for literal in literals
)
_PROVIDER_SET = LiteralSet([literal for literal, _, _ in _PROVIDER_LITERALS])


def _provider_starts(data: bytes) -> list[list[int]]:
    """For each provider, in order, where its matches can start (``literal_starts`` of its literals)."""
    if _PROVIDER_SET.available:
        starts: list[list[int]] = [[] for _ in _PROVIDERS]
        for (_, index, offset), positions in zip(_PROVIDER_LITERALS, _PROVIDER_SET.find(data), strict=True):
            starts[index] += [position - offset for position in positions if position >= offset]
        return [sorted(set(found)) if len(found) > 1 else found for found in starts]
    return _provider_passes(data)


def _provider_passes(data: bytes) -> list[list[int]]:
    """``_provider_starts`` without Hyperscan: one regex pass per group of literals."""
    starts: list[list[int]] = [[] for _ in _PROVIDERS]
    for finder, owners in _PASS_OWNERS:
        for match in finder.finditer(data):
            position = match.start()
            for index, literals, offset in owners:
                if position >= offset and any(data.startswith(x, position) for x in literals):
                    starts[index].append(position - offset)
    return starts


_HINT_BYTES = tuple(h.encode() for h in _SECRET_HINTS)
_NAME_BYTES = tuple(n.encode() for n in _NAME_STARTS)
# An _ASSIGNED value is sixteen or more of its characters in a row (a 'v' each in a copy of the
# lower-cased bytes; its regex ignores case), at most VALUE_REACH characters after its name starts.
_AS_VALUE = bytes(118 if c in b"abcdefghijklmnopqrstuvwxyz0123456789_-+/=.~" else 32 for c in range(256))
_VALUE_BYTES = b"v" * 16
VALUE_REACH = 17 + 10 + 1 + 3 + 2 + 3 + 1  # the longest name, suffix, quote, spaces, ':=', spaces, quote


# Every literal a rule needs before it is tried, asked of one Hyperscan pass (which of them occur).
_PASSWORD_BYTES = (b"ass", b"wd", b"ASS", b"WD")
_GATE_LITERALS = (*dict.fromkeys(literal for literal, _, _ in _PROVIDER_LITERALS), *_HINT_BYTES, *_PASSWORD_BYTES)
# "Authorization: Basic …" in the usual cases ("authorized" is common in prose, "basic " too; both together not).
_AUTHORIZATION_BYTES, _BASIC_BYTES = (b"uthoriz", b"UTHORIZ"), (b"asic ", b"ASIC ")
_GATE_SET = LiteralSet([*_GATE_LITERALS, b"PRIVATE KEY", *_AUTHORIZATION_BYTES, *_BASIC_BYTES])


def _gates(data: bytes) -> tuple[bool, bool, bool, bool, bool]:
    """(a provider literal occurs, a hint does, "PRIVATE KEY" does, a password word does, the words of
    an HTTP Basic header do) in ``data``."""
    if not _GATE_SET.available:
        return (
            True,  # the provider passes find nothing when none occurs
            any(h in data for h in _HINT_BYTES),
            b"PRIVATE KEY" in data,
            any(w in data for w in _PASSWORD_BYTES),
            any(a in data for a in _AUTHORIZATION_BYTES) and any(b in data for b in _BASIC_BYTES),
        )
    found = {_GATE_SET.literals[index] for index in _GATE_SET.present(data)}
    return (
        any(literal in found for literal, _, _ in _PROVIDER_LITERALS),
        not found.isdisjoint(_HINT_BYTES),
        b"PRIVATE KEY" in found,
        not found.isdisjoint(_PASSWORD_BYTES),
        not found.isdisjoint(_AUTHORIZATION_BYTES) and not found.isdisjoint(_BASIC_BYTES),
    )


def secret_hits(text: str) -> list[Hit]:
    """Every credential-looking span in ``text`` (literals are looked for in byte copies of it, which
    have the same offsets: see ``candidates.ascii_bytes``)."""
    hits: list[Hit] = []
    data = ascii_bytes(text)
    providers, hinted, private, password, authorization = _gates(data)
    for (rule, _, regex), starts in zip(_PROVIDERS, _provider_starts(data), strict=True) if providers else ():
        if starts:
            hits += [
                Hit(rule, m.start(), m.end(), m.group())
                for m in matches_at(regex, text, starts)
                if rule in _DOTTED or _looks_random(m.group())
            ]
    for hit in [h for h in hits if h.rule == "secret.aws_access_key"]:
        paired = _AWS_PAIRED.match(text, hit.end)
        if paired is not None and _looks_random(paired.group(1)) and not _GIT_HASH.fullmatch(paired.group(1)):
            hits.append(Hit("secret.aws_secret_key", paired.start(1), paired.end(1), paired.group(1)))
    if private:
        for begin in _PEM_BEGIN.finditer(text):
            end = _PEM_END.search(text, begin.end(), begin.end() + 16384)
            stop = end.end() if end else begin.end()
            hits.append(Hit("secret.private_key", begin.start(), stop, text[begin.start() : stop]))
    words = None
    if hinted:
        words = _Words(text)
        if b"aws" in words.low and (text.isascii() or b"aws" in data.lower()):  # the original gate, exactly
            matches = matches_at(_AWS_SECRET, text, words.starts((b"aws",)))
            hits += [Hit("secret.aws_secret_key", m.start(1), m.end(1), m.group(1)) for m in matches
                     if _looks_random(m.group(1))]  # fmt: skip
        for match in matches_at(_ASSIGNED, text, words.name_starts()):
            value = match.group(1).strip("\"'")
            if _looks_random(value):
                hits.append(Hit("secret.assigned_secret", match.start(1), match.start(1) + len(value), value))
    if password:
        words = _Words(text) if words is None else words
        starts = words.starts((b"pass", b"pwd"))
        for match in matches_at(_PASSWORD, text, starts):
            if not _PLACEHOLDER.match(match.group(2)):
                hits.append(Hit("secret.password", match.start(2), match.end(2), match.group(2)))
        for match in matches_at(_PLAIN_PASSWORD, text, starts):
            if _plain_password(match.group(1)) and not text.startswith("(", match.end(1)):  # not a call
                hits.append(Hit("secret.password", match.start(1), match.end(1), match.group(1)))
    if authorization:  # HTTP Basic credentials, tried where the header's name is
        starts = literal_starts(lowered_bytes(text) if words is None else words.low, (b"authorization",))
        for match in matches_at(_BASIC_AUTH, text, starts):
            if _user_and_password(match.group(1)):
                hits.append(Hit("secret.basic_auth", match.start(1), match.end(1), match.group(1)))
    if b"://" in data:
        for match in _URL_PASSWORD.finditer(text):
            if not _PLACEHOLDER.match(match.group(1)) and match.group(1).lower() not in _PLACEHOLDER_WORDS:
                hits.append(Hit("secret.url_password", match.start(1), match.end(1), match.group(1)))
    return _drop_nested(hits)


_PLACEHOLDER_WORDS = frozenset({"pass", "passwd", "pwd", "pw", "pass123", "secret", "token", "x", "xxx"})


def _user_and_password(value: str) -> bool:
    """Whether ``value`` decodes from base64 to "user:password" (printable, with a colon)."""
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    _user, colon, password = decoded.partition(":")
    return bool(colon and password) and decoded.isprintable() and password.lower() not in _PLACEHOLDER_WORDS


def _plain_password(value: str) -> bool:
    """An unquoted value after a password word is one when it mixes letters with digits or symbols (not
    only words joined by hyphens) and is neither a placeholder nor code (a path, a variable, an
    attribute, a number)."""
    return (
        _LETTER.search(value) is not None
        and _NOT_LETTER.search(value) is not None
        and not _PLACEHOLDER.match(value)
        and value.lower() not in _PLACEHOLDER_WORDS
        and not _CODE_VALUE.search(value)
    )


# The lower-case words the name rules open with, found in one Hyperscan pass over ``lowered_bytes``.
_WORD_SET = LiteralSet([*_NAME_BYTES, b"aws", b"pass", b"pwd"])


class _Words:
    """Where the name rules' opening words occur in ``text`` (in ``lowered_bytes``, as ``literal_starts``
    finds them): a word or two by ``bytes.find``, the names by one pass over it for all of them."""

    def __init__(self, text: str):
        self.low = lowered_bytes(text)
        self._found: dict[bytes, list[int]] | None = None

    def _every(self) -> dict[bytes, list[int]] | None:
        if self._found is None and _WORD_SET.available:
            self._found = dict(zip(_WORD_SET.literals, _WORD_SET.find(self.low), strict=True))
        return self._found

    def starts(self, words: tuple[bytes, ...]) -> list[int]:
        found = self._every() if len(words) > 2 else self._found
        if found is None:
            return literal_starts(self.low, words)
        return sorted({position for word in words for position in found[word]})

    def name_starts(self) -> list[int]:
        """A sorted superset of where _ASSIGNED can match: every name (a few hundred in a megabyte of
        prose, so trying them all costs less than narrowing them down), or ``_name_starts``."""
        return self.starts(_NAME_BYTES) if self._every() is not None else _name_starts(self.low)


def _name_starts(low: bytes) -> list[int]:
    """Where _ASSIGNED can match (``low`` is ``lowered_bytes(text)``): a name that starts near enough
    before a run of value characters. Prose has few such runs, so the names are looked for around
    them only; code has many, and then everywhere."""
    shape = low.translate(_AS_VALUE)
    windows = []
    position = shape.find(_VALUE_BYTES)
    while position != -1:
        if len(windows) > 8 + len(low) // 1024:
            return literal_starts(low, _NAME_BYTES)
        end = shape.find(b" ", position)
        end = len(shape) if end == -1 else end
        windows.append((max(0, shape.rfind(b" ", 0, position) + 1 - VALUE_REACH), end))
        position = shape.find(_VALUE_BYTES, end)
    starts = set()
    for first, last in windows:
        for name in _NAME_BYTES:
            found = low.find(name, first, last)
            while found != -1:
                starts.add(found)
                found = low.find(name, found + 1, last)
    return sorted(starts)


def _drop_nested(hits: list[Hit]) -> list[Hit]:
    """A provider key also matched by the generic rule is reported once, under the specific rule.

    A generic hit is dropped when it overlaps a specific one: one that starts at or before it and ends
    after its start (the largest end among those starting up to there tells), or one that starts inside
    it (the first start from its own tells); bisection keeps thousands of hits linear-logarithmic.
    """
    generic = ("secret.assigned_secret", "secret.password", "secret.url_password")
    specific = [h for h in hits if h.rule not in generic]
    kept = list(specific)
    spans = sorted((s.start, s.end) for s in specific)
    starts = [start for start, _ in spans]
    reach = list(accumulate((end for _, end in spans), max))
    for hit in hits:
        if hit.rule not in generic:
            continue
        before = bisect_right(starts, hit.start)
        if before and reach[before - 1] > hit.start:
            continue
        inside = bisect_left(starts, hit.start)
        if inside < len(starts) and starts[inside] < hit.end:
            continue
        kept.append(hit)
    return kept
