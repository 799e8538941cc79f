"""RULESET_VERSION: a release label plus a hash of every rule, regex and threshold, so that any rule
change changes it (the semantic cache keys answers by the ruleset they passed)."""

from __future__ import annotations

import hashlib
import re
from types import ModuleType

RELEASE = "2026.11.2"


def _fingerprint(module: ModuleType) -> list[str]:
    parts = []
    for name, value in sorted(vars(module).items()):
        if isinstance(value, re.Pattern):
            parts.append(f"{module.__name__}.{name}={value.pattern}/{value.flags}")
        elif name.isupper() and isinstance(value, int | float | str | tuple | frozenset | dict):
            parts.append(f"{module.__name__}.{name}={value!r}")
    return parts


def ruleset_version(rules: dict, modules: list[ModuleType]) -> str:
    digest = hashlib.sha256()
    for rule in rules.values():
        digest.update(repr(rule).encode())
    for module in modules:
        for part in _fingerprint(module):
            digest.update(part.encode("utf-8", "surrogatepass"))
    return f"{RELEASE}+{digest.hexdigest()[:10]}"
