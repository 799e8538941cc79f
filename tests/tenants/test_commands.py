"""The CLI: one JSON object on stdout, usable by scripts, exit status 1 on errors."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from tenants.models import ApiKey, Membership, Tenant
from tests.helpers import ROOT, process_env

pytestmark = pytest.mark.django_db


def run(*args) -> dict:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_create_tenant_prints_its_slug_and_id():
    result = run("create_tenant", "--name", "Acme", "--slug", "acme-cli", "--owner-email", "boss@acme.test")
    tenant = Tenant.objects.get(slug="acme-cli")
    assert result == {"tenant": "acme-cli", "id": tenant.pk, "name": "Acme", "owner": "boss@acme.test"}
    assert Membership.objects.get(tenant=tenant).role == "owner"


def test_a_duplicate_slug_exits_1_with_a_json_error(capsys):
    run("create_tenant", "--name", "Acme", "--slug", "dup-cli")
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("create_tenant", "--name", "Acme", "--slug", "dup-cli", stdout=out, stderr=StringIO())
    assert exited.value.code == 1
    assert json.loads(out.getvalue())["error"]["code"] == "slug_taken"


def test_create_api_key_makes_a_new_working_key_each_call():
    run("create_tenant", "--name", "Keys", "--slug", "keys-cli")
    first = run("create_api_key", "--tenant", "keys-cli", "--name", "ci")
    second = run("create_api_key", "--tenant", "keys-cli", "--name", "ci")
    assert first["key"] != second["key"]
    assert (first["tenant"], first["name"]) == ("keys-cli", "ci")
    assert first["key"].startswith(first["prefix"] + ".")
    assert ApiKey.objects.get(prefix=first["prefix"].removeprefix("nr-")).is_valid(first["key"])


def test_create_api_key_for_an_unknown_tenant_fails():
    with pytest.raises(SystemExit):
        call_command("create_api_key", "--tenant", "ghost", "--name", "x", stdout=StringIO(), stderr=StringIO())


def test_bootstrap_demo_is_idempotent_with_a_fresh_key_each_time():
    first = run("bootstrap_demo")
    second = run("bootstrap_demo")
    assert first["tenant"] == second["tenant"] == "demo"
    assert first["login"] == second["login"] and first["password"] == second["password"]
    assert first["api_key"] != second["api_key"]
    assert Tenant.objects.filter(slug="demo").count() == 1
    from django.contrib.auth import authenticate

    assert authenticate(username=first["login"], password=first["password"]) is not None


def test_the_cli_prints_only_json_on_stdout_in_a_real_process(django_db_blocker):
    proc = subprocess.run(
        [sys.executable, "manage.py", "create_tenant", "--name", "Subprocess Co"],
        cwd=ROOT,
        env=process_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["tenant"].startswith("subprocess-co")


def test_set_provider_credential_never_prints_the_secret():
    run("create_tenant", "--name", "Byok", "--slug", "byok-cli")
    out = StringIO()
    call_command(
        "set_provider_credential",
        "--tenant",
        "byok-cli",
        "--provider",
        "openai",
        "--api-key",
        "sk-very-secret",
        "--base-url",
        "http://127.0.0.1:9/v1",
        stdout=out,
    )
    assert "sk-very-secret" not in out.getvalue()
    assert json.loads(out.getvalue()) == {
        "tenant": "byok-cli",
        "provider": "openai",
        "base_url": "http://127.0.0.1:9/v1",
    }
