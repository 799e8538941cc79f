"""Production refuses to start with development secrets; every variable is documented."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from tests.helpers import ROOT

GOOD = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 50,
    "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "DATABASE_URL": "postgres://u:p@db.invalid:5432/nr",
    "PATH": "/usr/bin:/bin",
}


def load_production(**overrides) -> subprocess.CompletedProcess:
    env = {**GOOD, **overrides}
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_starts_with_real_secrets():
    result = load_production()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"FIELD_ENCRYPTION_KEY": None}, "FIELD_ENCRYPTION_KEY"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
    ],
)
def test_production_refuses_development_defaults(override, message):
    result = load_production(**override)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_every_environment_variable_is_documented():
    source = (ROOT / "config" / "env.py").read_text() + (ROOT / "config" / "settings" / "production.py").read_text()
    names = set(re.findall(r'env(?:\.\w+)?\("([A-Z_]+)"', source))
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    assert names, "found no variables"
    missing = sorted(n for n in names if n not in readme or n not in example)
    assert not missing, f"undocumented: {missing}"
