"""RULESET_VERSION: a release label plus a hash of every rule, regex and threshold, so that any rule
change changes it (the semantic cache keys answers by the ruleset they passed)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tokenize
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

RELEASE = "2026.11.2"
# Where the shield keeps what is costly to rebuild at every start (the prefilter's database, each rule
# module's code digest).
CACHE_DIR = Path(os.environ.get("SHIELD_CACHE_DIR", Path(__file__).resolve().parents[2] / "var" / "cache"))


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


_LAYOUT = frozenset({tokenize.COMMENT, tokenize.NL})
_STATEMENT_START = frozenset({tokenize.ENCODING, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT})


def code_tokens(source: bytes) -> bytes:
    """What of ``source`` can change what it does: its tokens without comments, blank lines and
    strings that stand alone as a statement (docstrings). Rewording a comment or a docstring in a rule
    module then keeps the version (and the semantic cache's answers); any change to the code does not.
    The token stream is the running Python's (3.12 splits f-strings into several tokens), so a new
    Python may change the version once."""
    tokens = [t for t in tokenize.tokenize(io.BytesIO(source).readline) if t.type not in _LAYOUT]
    kept = []
    for i, token in enumerate(tokens):
        alone = i > 0 and tokens[i - 1].type in _STATEMENT_START and i + 1 < len(tokens)
        if token.type == tokenize.STRING and alone and tokens[i + 1].type == tokenize.NEWLINE:
            continue
        kept.append(f"{token.type}:{token.string}")
    return "\x1f".join(kept).encode("utf-8", "surrogatepass")


def code_digest(source: bytes, cache_dir: Path | None = None) -> str:
    """SHA-256 of ``code_tokens(source)``, kept in ``cache_dir`` under the digest of ``source`` itself:
    tokenizing the rule modules takes ~150 ms, which every process (web, worker, each ``manage.py``
    command) would pay at import; unchanged files are read back instead."""
    path = None
    if cache_dir is not None:
        path = cache_dir / f"code-{hashlib.sha256(source).hexdigest()[:32]}.sha256"
        try:
            return path.read_text()
        except OSError:
            pass
    digest = hashlib.sha256(code_tokens(source)).hexdigest()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(digest)
        except OSError:
            pass  # read-only: tokenize again next time
    return digest


def ruleset_version(
    rules: dict, modules: list[ModuleType], code: Sequence[ModuleType] = (), cache_dir: Path | None = CACHE_DIR
) -> str:
    """The label for ``rules``, the regexes and constants of ``modules``, and the code of the ``code``
    modules (``code_tokens``): a pattern's accept function decides too ("without warnings" after a build), and
    neither its logic nor the regexes it reads are a detector module's constants."""
    digest = hashlib.sha256()
    for rule in rules.values():
        digest.update(repr(rule).encode())
    for module in modules:
        for part in _fingerprint(module):
            digest.update(part.encode("utf-8", "surrogatepass"))
    for module in code:
        digest.update(code_digest(Path(module.__file__).read_bytes(), cache_dir).encode())
    return f"{RELEASE}+{digest.hexdigest()[:10]}"
