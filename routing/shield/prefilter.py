"""One pass of Hyperscan over a text names the behavioural patterns that can match it, and where.

Running fifty large alternations with Python's ``re`` over every prompt costs milliseconds; a
Hyperscan database of all of them reads a 4 KB prompt in about a tenth of a millisecond and reports, for each pattern
that matches, where its first match ends. Only those patterns then run in Python, from that point
less the pattern's longest match, so the spans, groups and ``accept`` checks stay exactly those of
the ``re`` patterns (Hyperscan only decides which ones are worth running).

For that the database must never miss a match ``re`` would find. It reads the text as bytes, one
per character (offsets hold): a letter or digit outside ASCII as '_', any other character outside
ASCII (or a lone surrogate) as '\\x01', so that ASCII word boundaries fall where Python's Unicode
ones do. Each regex is rewritten into a *superset* of itself in Hyperscan's dialect: a non-ASCII
character in a pattern becomes the placeholder that character of the text is read as, ``\\s``
also accepts '\\x01' and ``\\d`` '_', a negated class never excludes a placeholder (one that would
have to is refused), lazy and ``{0,0}`` repeats are made plain, and word gaps (``patterns.gap``: up
to N words) and bounded repeats of one character class are opened, which keeps the database small
and quick to build. An alternation too large to compile is split into its branches, and what still
does not compile exactly is compiled in prefilter mode (Hyperscan's own superset).

The matcher keeps one database per role a message is read in (``ByRole``), each over the patterns
that apply to it. Compiling takes seconds, so each is cached on disk (``var/cache``, by a digest of
this module, its patterns, the Hyperscan version and the machine) and the matcher builds them in
the background: until they are ready, where Hyperscan is not installed, or when the build fails,
the pure-Python matcher answers, with the same findings.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import platform
import re
from collections.abc import Collection, Sequence
from pathlib import Path
from re import _parser as parser

import hyperscan

from routing.shield import version
from routing.shield.anchors import top_level_branches
from routing.shield.codepoints import Table
from routing.shield.hsdb import Compiled
from routing.shield.patterns import WORD

logger = logging.getLogger(__name__)

CACHE_DIR = version.CACHE_DIR
_FLAGS = hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
# The database reads bytes, one per character: a letter or digit outside ASCII is scanned as '_' and
# any other character outside ASCII (or a lone surrogate) as '\x01', so that ASCII word boundaries
# fall where Python's Unicode ones do.
_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")
_OTHER = "\x01"
codecs.register_error("shield-prefilter", lambda error: (_OTHER * (error.end - error.start), error.end))
_TOKEN = re.compile(
    r"(\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}|\\x[89a-fA-F][0-9a-fA-F]|[^\x00-\x7f])|\\([sdSWD])|\\(.)|(\[\^?)|(\])|(_)"
    r"|(\{0,0\}\??)|([?*+}])\?",
    re.DOTALL,
)
# What each class escape must also accept, outside a class and inside one: Python's ``\s`` holds
# spaces outside ASCII ('\x01' here) and its ``\d`` digits outside ASCII ('_' here). ``\w`` holds
# '_' already; ``\S``, ``\W``, ``\D`` hold both placeholders in ASCII already where Python's hold
# what they stand for.
_WIDER = {"s": (r"[\s\x01]", r"\s\x01"), "d": (r"[\d_]", r"\d_")}
# A bounded repeat of one character, class or escape: opened (``[a-z]{1,24}`` -> ``[a-z]{1,}``), a
# superset that spares Hyperscan the counting states of nested bounded repeats.
_ATOM_REPEAT = re.compile(r"(\\[^u]|\\u[0-9a-fA-F]{4}|\[(?:\\.|[^\]\\])+\]|[^\\()\[\]|?*+{}])\{(\d+),\d+\}\??")
# ``patterns.gap``: up to N words between two parts of a phrase. As a run of spaces and word characters
# of any length it is a superset that Hyperscan reads without counting words.
_GAP = re.compile(re.escape(r"(?:\s{1,3}" + WORD + "){0,") + r"\d+" + re.escape(r"}?\s{1,3}"))
_GAP_RUN = r"[\s" + WORD[1 : WORD.index("]")] + "]{1,}"


def relax(regex: str) -> str:
    """``regex`` with each bounded repeat of a single atom opened and each word gap made a run."""
    regex = _GAP.sub(lambda _: _GAP_RUN, regex)
    return _ATOM_REPEAT.sub(lambda m: f"{m.group(1)}{{{m.group(2)},}}", regex)


def _placeholder(token: str) -> str:
    """What the database reads for a character outside ASCII written in a pattern (itself or as an
    escape): '_' for a letter or digit, '\\x01' for anything else, as ``scanned`` makes it."""
    char = token if len(token) == 1 else chr(int(token[2:], 16))
    return "_" if _NON_ASCII_WORD.match(char) else r"\x01"


def translate(regex: str) -> str:
    """``regex`` (Python syntax) as a Hyperscan expression that matches at least what it matches, on
    the text as ``first_ends`` scans it (see ``scanned``)."""
    regex = relax(regex)
    out: list[str] = []
    in_class = negated = False
    position = 0
    for token in _TOKEN.finditer(regex):
        out.append(regex[position : token.start()])
        position = token.end()
        wide, cls, escaped, opening, closing, underscore, zero, lazy = token.groups()
        if wide is not None:
            if negated:  # it would have to match the placeholders too: not written yet, none needed
                raise ValueError(f"a character outside ASCII in a negated class: {regex[:80]!r}")
            out.append(_placeholder(wide))
        elif cls is not None:
            wider = _WIDER.get(cls)
            if wider is None or negated:  # a negated class must not exclude a placeholder
                out.append(token.group())
            else:
                out.append(wider[1] if in_class else wider[0])
        elif escaped is not None:
            out.append("" if negated and escaped == "_" else token.group())
        elif underscore is not None:
            out.append("" if negated else "_")
        elif opening is not None:
            # '[' opens a class outside one; inside one it is a literal (Python warns, PCRE agrees).
            if in_class:
                out.append(r"\[" + opening[1:])
            else:
                in_class, negated = True, opening == "[^"
                out.append(opening)
                if regex.startswith("]", position):
                    out.append(r"\]")
                    position += 1
        elif closing is not None:
            in_class = negated = False
            out.append("]")
        elif zero is not None:
            out.append(token.group() if in_class else "{0,1}")
        else:
            out.append(token.group() if in_class else lazy)
    out.append(regex[position:])
    return "".join(out)


def _scanned_by_regex(text: str) -> bytes:
    return _NON_ASCII_WORD.sub("_", text).encode("ascii", "shield-prefilter")


_SCANNED = Table.of_bytes(_scanned_by_regex)


def scanned(text: str) -> bytes:
    """``text`` as the database reads it: one byte per character, ASCII kept (via ``codepoints``)."""
    return _SCANNED.translate(text)


def max_width(regex: re.Pattern[str]) -> int | None:
    """The most characters one match can span (None when unbounded)."""
    width = parser.parse(regex.pattern, regex.flags).getwidth()[1]
    return None if width >= parser.MAXREPEAT else width


class Prefilter:
    """A Hyperscan database over a sequence of ``re`` patterns (numbered by their position)."""

    def __init__(
        self,
        regexes: Sequence[re.Pattern[str]],
        database: hyperscan.Database,
        owners: list[int],
        widths: tuple[int | None, ...] | None = None,  # ``max_width`` of each regex, when known
    ):
        self.widths = tuple(max_width(r) for r in regexes) if widths is None else widths
        self._database, self._owners = Compiled(lambda: database), owners

    def first_ends(self, text: str, role: str = "user") -> dict[int, int]:
        """Pattern number -> the offset in ``text`` where its first possible match ends; a pattern not
        named cannot match ``text`` (read in any ``role``: one database holds every pattern)."""
        owners = self._owners
        ends: dict[int, int] = {}

        def found(expression: int, _start: int, end: int, _flags: int, _context: object) -> None:
            number = owners[expression]
            if end < ends.get(number, end + 1):
                ends[number] = end

        self._database.scan(scanned(text), found)
        return ends

    def start(self, number: int, end: int) -> int:
        """Where a search for pattern ``number`` may begin, given where its first match can end: no
        match ends earlier, and none is longer than the pattern's width."""
        width = self.widths[number]
        return 0 if width is None else max(0, end - width)


def compile_expressions(
    regexes: Sequence[re.Pattern[str]], numbers: Collection[int] | None = None
) -> tuple[hyperscan.Database, list[int]]:
    """The database over ``regexes`` (those of ``numbers`` only, when given) and the pattern number of
    each of its expressions."""
    expressions: list[bytes] = []
    flags: list[int] = []
    owners: list[int] = []
    for number, regex in enumerate(regexes):
        if numbers is not None and number not in numbers:
            continue
        compiled = _compilable(regex.pattern)
        if compiled is None:
            raise ValueError(f"pattern {number} has no Hyperscan superset: {regex.pattern[:80]!r}")
        for expression, flag in compiled:
            expressions.append(expression)
            flags.append(flag)
            owners.append(number)
    database = hyperscan.Database()
    database.compile(expressions=expressions, ids=list(range(len(expressions))), flags=flags)
    return database, owners


def _compiles(expression: bytes, flags: int) -> bool:
    try:
        hyperscan.Database().compile(expressions=[expression], ids=[0], flags=[flags])
    except hyperscan.error:
        return False
    return True


def _compilable(regex: str) -> list[tuple[bytes, int]] | None:
    """Expressions (with flags) that together match a superset of ``regex``, or None."""
    whole = translate(regex).encode()
    for flags in (_FLAGS, _FLAGS | hyperscan.HS_FLAG_PREFILTER):
        if _compiles(whole, flags):
            return [(whole, flags)]
    branches = top_level_branches(regex)
    if len(branches) < 2:
        return None
    parts = []
    for branch in branches:
        found = _compilable(branch)
        if found is None:
            return None
        parts += found
    return parts


def _cache_path(regexes: Sequence[re.Pattern[str]], numbers: Collection[int] | None = None) -> Path:
    digest = hashlib.sha256()
    digest.update(Path(__file__).read_bytes())  # how the patterns are translated
    chosen = [r.pattern for n, r in enumerate(regexes) if numbers is None or n in numbers]
    for part in (hyperscan.__version__, platform.machine(), *chosen):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    if numbers is not None:
        digest.update(" ".join(map(str, sorted(numbers))).encode())
    return CACHE_DIR / f"behaviour-{digest.hexdigest()[:16]}.hsdb"


def _database(
    regexes: Sequence[re.Pattern[str]], numbers: Collection[int] | None
) -> tuple[hyperscan.Database, list[int]]:
    """The database of ``compile_expressions``, from the on-disk cache when an earlier process compiled
    the same patterns, else compiled (seconds) and cached."""
    path = _cache_path(regexes, numbers)
    try:
        owners_text, blob = path.read_bytes().split(b"\n", 1)
        return hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK), [int(n) for n in owners_text.split()]
    except (OSError, ValueError, hyperscan.error):
        database, owners = compile_expressions(regexes, numbers)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(" ".join(map(str, owners)).encode() + b"\n" + hyperscan.dumpb(database))
            temporary.replace(path)
        except OSError:
            logger.warning("could not cache the shield's Hyperscan database at %s", path)
        return database, owners


def _prune(kept: Collection[Path]) -> None:
    """Remove the cached databases of older patterns."""
    for stale in CACHE_DIR.glob("behaviour-*.hsdb"):
        if stale not in kept:
            stale.unlink(missing_ok=True)


class ByRole:
    """A prefilter per role a message is read in: the patterns of tool results alone (a document's
    directives to the model) are not in the database a user's message is read with (their states
    made up half of its scanning time). A role no pattern applies to has no candidates."""

    def __init__(self, prefilters: dict[str, Prefilter]):
        self._by_role = prefilters

    def start(self, number: int, end: int) -> int:
        """``Prefilter.start`` (each role's prefilter knows every pattern's width)."""
        return next(iter(self._by_role.values())).start(number, end)

    def first_ends(self, text: str, role: str = "user") -> dict[int, int]:
        found = self._by_role.get(role)
        return {} if found is None else found.first_ends(text)


def load(
    regexes: Sequence[re.Pattern[str]],
    roles: Sequence[Collection[str]] | None = None,
    read: Sequence[re.Pattern[str]] | None = None,
) -> Prefilter | ByRole:
    """The prefilter over ``regexes``, or with ``roles`` (each pattern's), one per role over the patterns
    that apply to it; cached on disk in place of the databases of older patterns. ``read``: what the
    database reads for each pattern (its hint, or the regex itself), every match of the regex ending
    with a match of it; the widths that say where a search starts are the regexes' own."""
    read = regexes if read is None else read
    if roles is None:
        database, owners = _database(read, None)
        _prune({_cache_path(read)})
        return Prefilter(regexes, database, owners)
    prefilters, paths = {}, set()
    widths = tuple(max_width(r) for r in regexes)  # parsing every regex costs ~30 ms: once for all roles
    for role in sorted({role for applies in roles for role in applies}):
        numbers = frozenset(n for n, applies in enumerate(roles) if role in applies)
        prefilters[role] = Prefilter(regexes, *_database(read, numbers), widths=widths)
        paths.add(_cache_path(read, numbers))
    _prune(paths)
    return ByRole(prefilters)
