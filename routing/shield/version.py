"""RULESET_VERSION: a release label plus a hash of every rule, regex and threshold, so that any rule
change changes it (the semantic cache keys answers by the ruleset they passed)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

RELEASE = "2026.11.2"


def _stable(value) -> str:
    """``repr`` with sets sorted: a set's order changes with PYTHONHASHSEED, so every process (and
    every restart) would otherwise compute its own version."""
    if isinstance(value, frozenset | set):
        return "{" + ", ".join(sorted(_stable(v) for v in value)) + "}"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_stable(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{_stable(k)}: {_stable(v)}" for k, v in value.items())) + "}"
    return repr(value)


def _fingerprint(module: ModuleType) -> list[str]:
    parts = []
    for name, value in sorted(vars(module).items()):
        if isinstance(value, re.Pattern):
            parts.append(f"{module.__name__}.{name}={value.pattern}/{value.flags}")
        elif name.isupper() and isinstance(value, int | float | str | tuple | frozenset | dict):
            parts.append(f"{module.__name__}.{name}={_stable(value)}")
    return parts


def ruleset_version(rules: dict, modules: list[ModuleType], code: Sequence[ModuleType] = ()) -> str:
    """The label for ``rules``, the regexes and constants of ``modules``, and the whole source of the
    ``code`` modules: a pattern's accept function decides too ("without warnings" after a build), and
    neither its logic nor the regexes it reads are a detector module's constants."""
    digest = hashlib.sha256()
    for rule in rules.values():
        digest.update(repr(rule).encode())
    for module in modules:
        for part in _fingerprint(module):
            digest.update(part.encode("utf-8", "surrogatepass"))
    for module in code:
        digest.update(Path(module.__file__).read_bytes())
    return f"{RELEASE}+{digest.hexdigest()[:10]}"
