"""Adversarial suffixes: a fluent request followed, on the same line, by a run of machine-made tokens.

Optimised attacks (GCG, AutoDAN-style random search, "Don't Say No") append a string found by search
over the model's vocabulary: word fragments glued to brackets and quotes (``oppositeley.](``), case
flips inside words (``similarlyNow``), words of other languages and scripts, stray operators. A
person rarely writes a fluent clause and then keeps going on the same line in that register.

Each whitespace token gets a weight in [0, 1]: 1 for glued symbols, mixed scripts, an inner case
flip or letters glued to digits, ¾ for a word no English word list knows (``wordfreq``'s most
frequent English words), ½ for a lone symbol or a short unknown word, ¼ for a capitalised word in
mid-sentence. Wherever a run of ``PROSE_RUN`` fluent tokens ends (plain words, at most
``PROPER_NOUNS`` capitalised ones), the mean weight of the next ``SUFFIX_TOKENS`` tokens (at most one
line break later) is a suffix score; the highest score of the text's tail counts. Code is left
alone: text whose lines look like code has glued symbols by nature. Only the last ``TAIL``
characters are read, since the attack's search appends the string at the end. Token floods (the
same short tokens repeated dozens of times), the other machine-made shape, are found in ``floods``.

Thresholds were set on the dev split (JailbreakBench behaviours with an even index against benign
task prompts and code), never on the held-out portion.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from itertools import accumulate, chain, islice, repeat
from operator import sub, truediv

from wordfreq import top_n_list

from routing.shield.findings import Hit, Rule, Severity

RULE = "jailbreak.adversarial_suffix"
RULES = (
    Rule(
        RULE,
        "jailbreak",
        Severity.HIGH,
        "A fluent request ends in a run of machine-made tokens (an optimised adversarial suffix).",
    ),
)

TAIL = 1500
PROSE_RUN, MIN_SUFFIX, SUFFIX_TOKENS = 6, 8, 25
BLOCK_SCORE, FLAG_SCORE, BLOCK_WITH_HARM = 0.45, 0.35, 0.25
CAPITALISED, PROPER_NOUNS = 0.25, 2  # a capitalised word in mid-sentence; how many fluent text may hold
VOCABULARY_SIZE = 40000

_KNOWN = frozenset(top_n_list("en", VOCABULARY_SIZE, wordlist="best"))
_TOKEN = re.compile(r"\S+")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_SPECIAL = r"\[\]{}()<>`\\|^$#@~*=;+&_"
_GLUED = re.compile(rf"[^\W_][{_SPECIAL}]+[^\W_]|[{_SPECIAL}][.,:'\"/-]*[{_SPECIAL}]")
_INNER_CASE = re.compile(r"[a-z][A-Z]")
_LATIN = re.compile(r"[A-Za-z]")
_OTHER_SCRIPT = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")
_LETTERS_DIGITS = re.compile(r"[A-Za-z]{3}\d|\d[A-Za-z]{3}")
_PLAIN_SYMBOLS = frozenset({"-", "\u2013", "\u2014", "&", "/", "...", "\u2026"})
_SENTENCE_END = frozenset(".!?:\"'")
_CODE_LINE = re.compile(
    r"\s{4,}\S|\s*(?:def|class|import|from|return|if|elif|else|for|while|try|except|function|const|let|var|"
    r"public|private|#include|SELECT)\b|.*[:{};,(\[]\s*$"
    # an assignment ("env = environ.Env()", "DEBUG = False", "self.count += 1")
    r"|\s*[A-Za-z_][\w.]{0,60}(?:\[[^\]\n]{0,40}\])?\s{0,3}(?:[-+*/%|&^]|//|\*\*)?=\s{0,3}[^=\s]"
)


def _known(word: str) -> bool:
    low = word.lower()
    return low in _KNOWN or (low.endswith("s") and low[:-1] in _KNOWN) or (low.endswith("'s") and low[:-2] in _KNOWN)


# ASCII punctuation that is neither a word character nor one of _SPECIAL. A token made of letters,
# digits and these holds nothing _GLUED looks for, nothing outside ASCII, and _EDGES strips exactly
# these from its ends.
_PLAIN = "!\"%',-./:?"
_PLAIN_CHARACTERS = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" + _PLAIN)


@lru_cache(maxsize=65536)
def _weight(token: str, after_sentence: bool) -> float:
    """How machine-made one token looks (``after_sentence``: the previous token ended a sentence).

    Most tokens are ASCII words, numbers, dates or addresses with plain punctuation: those skip the
    regexes that cannot match them (``_weighed`` is every test in order)."""
    if token.isascii() and not token.translate(_PLAIN_CHARACTERS):
        core = token.strip(_PLAIN)
        if core.isalpha():
            if len(core) == 1 or core[1:].islower() or not _INNER_CASE.search(core):
                return _word_weight(core, after_sentence)
        elif core and not _INNER_CASE.search(core):
            if any(c.isdigit() for c in core):
                return 1.0 if _LETTERS_DIGITS.search(core) else 0.0
            return _word_weight(core, after_sentence)
    return _weighed(token, after_sentence)


def _weighed(token: str, after_sentence: bool) -> float:
    """``_weight`` by every test in order."""
    if _GLUED.search(token):
        return 1.0
    core = _EDGES.sub("", token)
    if not core:
        return 0.0 if token in _PLAIN_SYMBOLS else 0.5
    if _OTHER_SCRIPT.search(core):
        return 1.0 if _LATIN.search(core) else 0.0  # a passage in another script is a language, not noise
    if _INNER_CASE.search(core):
        return 1.0
    if any(c.isdigit() for c in core):
        return 1.0 if _LETTERS_DIGITS.search(core) else 0.0
    return _word_weight(core, after_sentence)


def _word_weight(core: str, after_sentence: bool) -> float:
    """The weight of a word without glued symbols, other scripts, inner case flips or digits."""
    if not _known(core):
        return 0.75 if len(core) >= 3 else 0.5
    if core[0].isupper() and not after_sentence and (not core.isupper() or len(core) > 1):
        return CAPITALISED
    return 0.0


# What most code has and prose rarely does (only which check runs first depends on it).
_CODE_MARKS = ("    ", "\t", "{", ";", "def ", "import ", "return ")


def _looks_like_code(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    code = sum(1 for line in lines if _CODE_LINE.match(line))
    return code >= 3 and code >= 0.3 * len(lines)


def _balanced_code(span: str) -> bool:
    """Two or more bracket pairs, all closed in order: an expression someone wrote, not a search's
    output (which leaves brackets open or crossed)."""
    stack: list[str] = []
    pairs = 0
    for char in span:
        if char in "([{":
            stack.append(char)
        elif char in ")]}":
            if not stack or "([{"[")]}".index(char)] != stack.pop():
                return False
            pairs += 1
    return pairs >= 2 and not stack


_memo: dict[str, float] = {}  # _weight(token, after_sentence=False), for tokens seen before


def _find(items: list[float], value: float, start: int) -> int:
    try:
        return items.index(value, start)
    except ValueError:
        return -1


def _weights(lines: list[list[str]]) -> tuple[list[str], list[int], list[float]]:
    """The tokens of ``lines`` (a tail's lines, each split), the index of the first token of each line
    after the first that has one, and the tokens' ``_weight`` as if each were in mid-sentence (a
    dictionary lookup each): ``_settle`` then gives a capitalised word after a sentence its 0.
    """
    words = list(chain.from_iterable(lines))
    if len(_memo) > 65536:
        _memo.clear()
    weights = list(map(_memo.get, words, repeat(-1.0, len(words))))  # -1: not weighed yet
    i = _find(weights, -1.0, 0)  # a step per new token only (``list.index`` reads the rest in C)
    while i >= 0:
        weights[i] = _memo[words[i]] = _weight(words[i], False)
        i = _find(weights, -1.0, i + 1)
    count = len(words)
    line_starts = sorted({first for first in accumulate(map(len, lines[:-1])) if 0 < first < count})
    return words, line_starts, weights


def _settle(words: list[str], line_starts: list[int], weights: list[float]) -> None:
    """A capitalised word in mid-sentence (¼) is the only weight that depends on the position: each
    one that opens the tail, a line or a sentence weighs 0 (in place)."""
    opens = set(line_starts)
    i = _find(weights, CAPITALISED, 0)
    while i >= 0:
        if i == 0 or i in opens or words[i - 1][-1] in _SENTENCE_END:
            weights[i] = 0.0
        i = _find(weights, CAPITALISED, i + 1)


def _ruled_out(line_starts: list[int], weights: list[float], floor: float) -> bool:
    """No window of MIN_SUFFIX tokens or more can reach the lowest threshold (or ``floor``)."""
    return sum(weights) < BLOCK_WITH_HARM * MIN_SUFFIX or (floor > 0.0 and not _may_reach(line_starts, weights, floor))


# Each token's weight as a letter: fluent ('0'), capitalised ('c') or neither ('x'). A stretch of
# PROSE_RUN or more tokens without an 'x' is where a run of fluent text long enough to score can be.
_LETTERS = {0.0: "0", CAPITALISED: "c"}
_STRETCH = re.compile(f"[0c]{{{PROSE_RUN},}}")


def _runs(letters: str, start: int, end: int) -> list[tuple[int, int]]:
    """The runs of fluent text in a stretch without an 'x': every capitalised word past the
    ``PROPER_NOUNS``-th of a run ends it (and starts the next run after it)."""
    runs = []
    capitals = 0
    for position in range(start, end):
        if letters[position] == "c":
            capitals += 1
            if capitals > PROPER_NOUNS:
                runs.append((start, position))
                start, capitals = position + 1, 0
    return [*runs, (start, end)]


def _scores(line_starts: list[int], weights: list[float]) -> tuple[list[float], list[int], list[int]]:
    """The score of every token that follows ``PROSE_RUN`` fluent tokens of its line, in order: the
    mean weight of the tokens from it (``firsts``) to the ``SUFFIX_TOKENS``-th or to the second line
    break after it (``ends``); runs shorter than ``MIN_SUFFIX`` tokens score 0 and are left out. Runs
    of the full length are scored by ``map`` (most of them: no Python step per token)."""
    count = len(weights)
    letters = "".join([_LETTERS.get(w, "x") for w in weights])
    sums = list(accumulate(weights, initial=0.0))
    bounds = [0, *line_starts, count, count]
    scores: list[float] = []
    firsts: list[int] = []
    ends: list[int] = []
    for line in range(len(bounds) - 2):
        first, last, stop = bounds[line], bounds[line + 1], bounds[line + 2]
        if last - first <= PROSE_RUN:
            continue
        for stretch in _STRETCH.finditer(letters, first, last):
            start, end = stretch.span()
            runs = _runs(letters, start, end) if letters.count("c", start, end) > PROPER_NOUNS else [(start, end)]
            for run_start, run_end in runs:
                # The token after the run (the one that ended it) still follows fluent text.
                low, high = run_start + PROSE_RUN, min(run_end + 1, last)
                full = max(low, min(high, stop - SUFFIX_TOKENS + 1))  # from here on, runs end at ``stop``
                scores += map(truediv, map(sub, sums[low + SUFFIX_TOKENS : full + SUFFIX_TOKENS], sums[low:full]),
                              repeat(SUFFIX_TOKENS, full - low))  # fmt: skip
                firsts += range(low, full)
                ends += range(low + SUFFIX_TOKENS, full + SUFFIX_TOKENS)
                for i in range(full, min(high, stop - MIN_SUFFIX + 1)):
                    scores.append((sums[stop] - sums[i]) / (stop - i))
                    firsts.append(i)
                    ends.append(stop)
    return scores, firsts, ends


def _may_reach(line_starts: list[int], weights: list[float], floor: float) -> bool:
    """Whether ``_scores`` could give a score of ``floor`` or more: whether a window of ``SUFFIX_TOKENS``
    tokens, or a shorter one that ends where a line starts or the tail ends, has a mean weight of
    ``floor`` or more (each mean computed as ``_scores`` computes it, so the answer holds to the last
    bit), whether or not fluent text precedes it."""
    sums = list(accumulate(weights, initial=0.0))
    if max(map(sub, sums[SUFFIX_TOKENS:], sums), default=0.0) / SUFFIX_TOKENS >= floor:
        return True
    for stop in {*line_starts, len(weights)}:
        low = max(0, stop - SUFFIX_TOKENS + 1)
        high = stop - MIN_SUFFIX + 1
        # The sums only grow, so no window ending at ``stop`` holds more than the longest, and none is
        # shorter than MIN_SUFFIX: that bound, one division, rules out most line ends at once.
        if low < high and (sums[stop] - sums[low]) / MIN_SUFFIX >= floor:
            means = map(truediv, map(sub, repeat(sums[stop]), sums[low:high]), range(stop - low, stop - high, -1))
            if max(means) >= floor:
                return True
    return False


def _token_spans(lines: list[str], counts: list[int], indices: tuple[int, int]) -> list[tuple[int, int]]:
    """The offsets of the tokens at ``indices`` in the text whose ``lines`` (of ``counts`` tokens each)
    they were split from."""
    spans = []
    for index in indices:
        offset = 0
        for line, count in zip(lines, counts, strict=True):
            if index < count:
                match = next(islice(_TOKEN.finditer(line), index, None))
                spans.append((offset + match.start(), offset + match.end()))
                break
            index -= count
            offset += len(line) + 1
    return spans


def _ranked(scores: list[float], top: float):
    """Indices of the positive ``scores`` from ``top``, the highest, down, the first of equals first;
    the first is found without sorting (a tidy bracketed run, which needs the next, is rare)."""
    best = scores.index(top)
    yield best
    ranked = sorted((k for k, score in enumerate(scores) if score > 0.0), key=scores.__getitem__, reverse=True)
    yield from (k for k in ranked if k != best)


def suffix_score(text: str, *, after_harm: bool = False, floor: float = 0.0) -> tuple[float, int, int]:
    """(score, start, end): the most machine-made run of tokens that follows fluent text on its line.

    A run whose brackets all close in order reads like an expression someone typed and is not
    scored, unless it follows a harmful request (``after_harm``): an attacker gains nothing from a
    tidy expression, but a search can produce one. The first run of the highest score counts.
    A caller that acts only on scores from ``floor`` gets (0.0, 0, 0) for any score below it, found
    without ranking the runs (most prose has some run that scores a little)."""
    offset = max(0, len(text) - TAIL)
    tail = text[offset:]
    # ``str.split`` and ``\S+`` agree on what white space is; a token never holds a line break.
    raw_lines = tail.split("\n")
    lines = [line.split() for line in raw_lines]
    # Each of these checks alone ends with no score, so their order changes no result. A tail that
    # reads like code is told apart before its tokens are weighed (and remembered: identifiers are
    # many); in any other, most prose is ruled out by ``_may_reach`` before lines are matched as code.
    code_first = any(mark in tail for mark in _CODE_MARKS)
    if sum(map(len, lines)) < PROSE_RUN + MIN_SUFFIX or (code_first and _looks_like_code(tail)):
        return 0.0, 0, 0
    words, line_starts, weights = _weights(lines)
    # Ordinary prose ends here, most of it before sentences are looked at: weighed as if in
    # mid-sentence, each token weighs at least what it does in place (the weights are quarters, so
    # the sums are exact and no window's mean can grow once settled).
    if _ruled_out(line_starts, weights, floor):
        return 0.0, 0, 0
    if CAPITALISED in weights:
        _settle(words, line_starts, weights)
        if _ruled_out(line_starts, weights, floor):
            return 0.0, 0, 0
    if not code_first and _looks_like_code(tail):
        return 0.0, 0, 0
    scores, firsts, ends = _scores(line_starts, weights)
    top = max(scores, default=0.0)
    if top <= 0.0 or top < floor:
        return 0.0, 0, 0
    counts = list(map(len, lines))
    for k in [scores.index(top)] if after_harm else _ranked(scores, top):
        if scores[k] < floor:
            break  # ranked from the highest down: every run left scores below ``floor`` too
        (start, _), (_, stop) = _token_spans(raw_lines, counts, (firsts[k], ends[k] - 1))
        if after_harm or not _balanced_code(tail[start:stop]):
            return scores[k], offset + start, offset + stop
    return 0.0, 0, 0


_NOT_JSON = object()


def _json_at(text: str, start: int) -> object:
    """The JSON document that ends the text and holds the run at ``start`` (an API's answer in a tool
    result, a payload pasted for help), or ``_NOT_JSON``. Tried from the text's first brace or
    bracket and from the first one opening a line."""
    openings = {min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)}
    openings |= {i + 1 for i in (text.find("\n{"), text.find("\n[")) if i >= 0}
    for opening in sorted(i for i in openings if 0 <= i <= start):
        try:
            return json.loads(text[opening:])
        except ValueError:
            continue
    return _NOT_JSON


def _strings(value: object, limit: int = 1000) -> list[str]:
    """The string values (and keys) of a parsed JSON document, at most ``limit`` of them."""
    found: list[str] = []
    stack = [value]
    while stack and len(found) < limit:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            found += list(item)[: limit - len(found)]
            stack += item.values()
        elif isinstance(item, list):
            stack += item
    return found


def _severity(score: float, harmful: bool) -> Severity | None:
    if score >= BLOCK_SCORE or (harmful and score >= BLOCK_WITH_HARM):
        return Severity.HIGH
    return Severity.MEDIUM if score >= FLAG_SCORE else None


def suffix_hits(text: str, harmful: bool) -> list[Hit]:
    """A finding when the tail of ``text`` ends in an adversarial suffix: blocked from ``BLOCK_SCORE``
    (or ``BLOCK_WITH_HARM`` after a harmful request), flagged from ``FLAG_SCORE``."""
    floor = BLOCK_WITH_HARM if harmful else FLAG_SCORE
    score, start, end = suffix_score(text, after_harm=harmful, floor=floor)
    severity = _severity(score, harmful)
    if severity is not None and (document := _json_at(text, start)) is not _NOT_JSON:
        # Keys, quotes and braces glued together are the document's syntax; a suffix inside one of
        # its strings ('{"prompt": "... describing.}[ slowlyNow ..."}') still counts.
        score = max((suffix_score(v, after_harm=harmful, floor=floor)[0] for v in _strings(document)), default=0.0)
        severity = _severity(score, harmful)
    if severity is None:
        return []
    note = f"gibberish score {score:.2f}" + (" after a harmful request" if harmful else "")
    return [Hit(RULE, start, end, text[start:end], severity=severity, note=note)]
