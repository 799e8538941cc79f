"""Personal data: e-mail, phone, payment card, IBAN, US SSN and IP addresses, each with a validator.

Detectors run on the original text (exact spans). Each one is gated by a cheap check (an '@', a run of
digits) so prose without any of them costs a few substring searches. Validators keep order numbers,
UUIDs, versions, dates and ordinary numbers out (``validators``): Luhn for cards, mod-97 for IBANs, the SSA's area /
group / serial rules for SSNs, valid octets (and no version context, here) for IPv4.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from itertools import islice

from routing.shield import numbers
from routing.shield.anchors import reach
from routing.shield.candidates import ascii_bytes, literal_starts, lowered, matches_at, regex_starts
from routing.shield.findings import Hit, Rule, Severity
from routing.shield.hsdb import AVAILABLE, Compiled
from routing.shield.validators import (
    NEVER,
    WITH_PHONE_WORD,
    balanced,
    ipv4_octets,
    is_card,
    is_iban,
    is_ipv6,
    is_ssn,
    phone_shape,
)

C = "pii"
RULES = (
    Rule("pii.email", C, Severity.MEDIUM, "An e-mail address.", "EMAIL"),
    Rule("pii.phone", C, Severity.MEDIUM, "A phone number.", "PHONE"),
    Rule("pii.credit_card", C, Severity.MEDIUM, "A payment card number (passes the Luhn check).", "CREDIT_CARD"),
    Rule("pii.iban", C, Severity.MEDIUM, "An IBAN (passes the mod-97 check).", "IBAN"),
    Rule("pii.ssn", C, Severity.MEDIUM, "A US social security number.", "SSN"),
    Rule("pii.ip_address", C, Severity.MEDIUM, "An IP address.", "IP_ADDRESS"),
)

EMAIL = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9][\w.%+\-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}\.){1,8}[A-Za-z]{2,24}\b"
)
# A local part's characters (and '?', the stand-in for non-ASCII ones) as 'w', any other byte a space.
_LOCAL_PART = bytes(119 if (chr(c).isalnum() and c < 128) or c in b"_.%+-?" else 32 for c in range(256))
_LOCAL_RUN = re.compile(r"[\w.%+\-]*")  # read backwards from an '@': how far its local part can reach
# Digit groups with separators: candidates for cards, phones and SSNs, classified in Python.
NUMBER = re.compile(r"(?<![\w\-.+/:])(?:\+\s?)?\(?\d[\d \-.()]{7,28}\d(?![\w\-/:]|\.\d)")
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:{1,2}){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
IBAN_LOWER = re.compile(r"\b[a-z]{2}[0-9]{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,3})?\b")
SSN_WORD = re.compile(r"(?i)(?:ssn|social security(?: number| no\.?)?)\D{0,20}(\d{9}|\d{3} \d{2} \d{4})(?!\d)")

# Words before a number (whole words: "paid", "hotel" and "server" hold none of them).
_NOT_A_PHONE = re.compile(
    r"(?i)(?:\b(?:order|invoice|tracking|ref(?:erence)?|account|acct|id|serial|isbn|sku|part|ticket|case|po|"
    r"confirmation|transaction|no\.|number)|#)\W{0,3}$"
)
_PHONE_CONTEXT = re.compile(
    r"(?i)\b(?:(?:tele|cell|smart|mobile )?phone|call(?: me| us)?|tel|mobile|cell|fax|whatsapp|sms|"
    r"text(?: me| us)?|reach(?: me| us)?|contact)(?: (?:number|no\.?|nr\.?|#))?(?: (?:is|at|on))?\W{0,12}$"
)
# Words before a dotted number that make it a version, or a section of a document ("clause 4.1.2.3").
_VERSION_CONTEXT = re.compile(
    r"(?i)(?:\b(?:versions?|ver\.?|v|releases?|builds?|firmware|rev|sections?|chapters?|clauses?|paragraphs?|"
    r"articles?|appendix|figures?|fig\.|tables?|steps?|items?)|\u00a7)\s{0,2}$"
)
# Words that make four single digits ("8.8.8.8") an address.
_NETWORK_WORD = re.compile(
    r"(?i)\b(?:ip|ipv4|address|addr|host|hostname|server|ping|dns|resolver|nameserver|gateway|router|subnet|proxy|"
    r"peer|node|endpoint|firewall|traffic|lan|wan|vpn|tcp|udp|https?|ssh|curl|nslookup|dig|traceroute|network)(?:e?s)?\b"
)
# What joins a version to the next in a range or list ("to", "or", a comma, an arrow).
_VERSION_AFTER_VERSION = re.compile(r"(?i),?\s{0,3}(?:to|and|or|through|vs\.?|->|\u2192|-|\u2013|/|,)?\s{0,3}v?")
_TWO_DIGITS = re.compile(r"\d\d")
# Cheap passes that list where a match can start (they open with a character class, so ``re`` skips
# ahead): an IPv4 match starts where this does (no match starts inside one: its lookbehind refuses a
# digit or a dot before it); an IBAN where its four opening characters are; SSN_WORD needs nine digits.
_IPV4_START = re.compile(r"\d{1,3}\.(?:\d{1,3}\.){2}\d")
_IBAN_START = re.compile(r"[A-Z]{2}\d\d")
_NINE_DIGITS = re.compile(r"\d{9}")
# The first colon of an IPV6 match: one or two colons, one to four hex digits and a colon.
_FIRST_COLON = re.compile(r":(?=:?[0-9A-Fa-f]{1,4}:)")
# Two groups between colons, then three groups: what a valid IPv6 address without "::" holds (all eight).
_COLON_HEX = re.compile(r":[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:")
_THREE_HEX_GROUPS = re.compile(r"[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:")
# A text's bytes "shape" (one byte per character: each digit, ASCII or not, a '9', each capital an 'A',
# each small ASCII letter an 'a', any other non-ASCII character a '?') answers with C-speed searches
# whether a numeric detector can match at all: NUMBER holds a run like the first regex, IPV4 one like
# the second, IBAN four characters like 'AA99' (or 'aa99' in small letters), SSN_WORD nine digits.
_SHAPE = bytes(57 if 48 <= c <= 57 else 65 if 65 <= c <= 90 else 97 if 97 <= c <= 122 else c for c in range(256))
_SHAPE_NUMBER = re.compile(rb"9[9 \-.()]{7,28}9")
_SHAPE_IPV4 = re.compile(rb"9\.9{1,3}\.9{1,3}\.9")
# Where IBAN_LOWER can start: two small letters and two digits after no word character (its \b), found
# by Hyperscan in the ASCII copy (a callback per candidate: few, even in a megabyte of contact data);
# without it, in the shape (a literal first, so that ``re`` skips ahead; 'a' is in most words, though).
_LOWER_IBAN_STARTS = Compiled.of([rb"(?:^|[^A-Za-z0-9_])[a-z]{2}[0-9]{2}"]) if AVAILABLE else None
_SHAPE_LOWER_IBAN = re.compile(rb"aa99(?<![aA9_]aa99)")
_SHAPE_ERRORS = "routing.shield.shape"
_SHAPE_STRETCH = re.compile(rb"9[9 \-.()]{7,}9")  # NUMBER's digit core, unbounded
_SHAPE_DIGITS = re.compile(rb"9+")
# NUMBER with its opening lookbehind moved past the first character, so that ``re`` skips ahead to a
# character that can open a match (the same matches; ``numbers`` runs it over bytes, class for class).
_NUMBER_AHEAD = re.compile(
    r"[+(\d](?<![\w\-.+/:].)(?:(?<=\+)\s?\(?\d|(?<=\()\d|(?<=\d))[\d \-.()]{7,28}\d(?![\w\-/:]|\.\d)"
)


def _non_ascii_shape(error: UnicodeEncodeError) -> tuple[str, int]:
    """The shape of a run of non-ASCII characters: '9' for a digit (what ``\\d`` matches), '?' otherwise."""
    run = error.object[error.start : error.end]
    if any(map(str.isdecimal, run)):
        return "".join("9" if c.isdecimal() else "?" for c in run), error.end
    return "?" * len(run), error.end


codecs.register_error(_SHAPE_ERRORS, _non_ascii_shape)


def _ending_width(regex: re.Pattern[str]) -> int:
    """How many characters at the end of a text decide whether a context regex that must end it (``$``)
    matches: a match starts at most its longest width from the end (plus one, for ``$`` before a final
    line break), and a word boundary or lookbehind at its start reads a character before it."""
    longest, around = reach(regex)
    return longest + around


class _Context:
    """A context regex read on the ``width`` characters before a candidate, its answer remembered per
    text read (pure; a long paste repeats the same few words before its numbers). One cache per regex:
    an ``lru_cache`` keyed by the regex hashed its compiled code on every call (~0.5 µs)."""

    def __init__(self, regex: re.Pattern[str], width: int):
        self.width = width
        self.found = lru_cache(maxsize=4096)(lambda before: regex.search(before) is not None)

    def before(self, text: str, position: int) -> bool:
        """Whether the regex matches the ``width`` characters of ``text`` before ``position``."""
        return self.found(text[max(0, position - self.width) : position])

    def ends(self, before: str) -> bool:
        """``regex.search(before) is not None`` for a regex that must end the text (only its tail decides)."""
        return self.found(before[-self.width :])


_PHONE_WORDS = _Context(_PHONE_CONTEXT, _ending_width(_PHONE_CONTEXT))
_ID_WORDS = _Context(_NOT_A_PHONE, _ending_width(_NOT_A_PHONE))


@lru_cache(maxsize=4096)  # pure; a long paste repeats the same few words before its numbers
def _phone_context(shape: int, before: str) -> bool:
    """Whether the words before a number of this ``phone_shape`` (not ``NEVER``) let it be a phone number."""
    if shape == WITH_PHONE_WORD:
        return _PHONE_WORDS.ends(before)
    return not _ID_WORDS.ends(before) or _PHONE_WORDS.ends(before)


_CONTEXT = 48  # the characters before a candidate that its context regexes read
_VERSION_WORDS = _Context(_VERSION_CONTEXT, min(_ending_width(_VERSION_CONTEXT), _CONTEXT))
_NETWORK_WORDS = _Context(_NETWORK_WORD, _CONTEXT)


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_DECIMAL = re.compile(r"\d")


def _shape(text: str) -> bytes:
    """One byte per character of ``text``: '9' for a digit, 'A' for a capital, '?' for other non-ASCII.

    A digit outside ASCII (Arabic-Indic, fullwidth, ...) needs the error handler, called once per run
    of non-ASCII characters. Where those are many (a text in another script: hundreds of calls in
    4 KB), one regex pass tells whether any is a digit; without one, the ASCII copy with '?' for each
    of them is the same."""
    data = ascii_bytes(text)
    if not text.isascii() and (
        data.count(b"?") <= len(text) >> 5 or _DECIMAL.search("".join(_NON_ASCII_RUN.findall(text)))
    ):
        return text.encode("ascii", _SHAPE_ERRORS).translate(_SHAPE)
    return data.translate(_SHAPE)


def pii_hits(text: str) -> list[Hit]:
    """Every validated personal-data span in ``text``."""
    hits: list[Hit] = []
    if "@" in text:
        hits += [
            Hit("pii.email", m.start(), m.end(), m.group())
            for m in matches_at(EMAIL, text, _email_starts(text))
            if not _in_address(text, m.start(), m.end())
        ]
    shape = _shape(text)
    if b"99" in shape or b"9.9" in shape:  # every number, IPv4 address and IBAN holds one of these
        hits += _numeric_hits(text, shape)
    # A valid IPV6 match holds a "::" and its first colon, or eight groups: ":hex:hex:" and three groups
    # (the regexes that open with a colon go first: ``re`` skips ahead to one). The gate was ":hex:hex:"
    # alone, and missed "2606:4700::1111" and "2001:db8::1".
    if ("::" in text and _FIRST_COLON.search(text)) or (_COLON_HEX.search(text) and _THREE_HEX_GROUPS.search(text)):
        hits += [
            Hit("pii.ip_address", m.start(), m.end(), m.group()) for m in _ipv6_matches(text) if is_ipv6(m.group())
        ]
    return hits


def _numeric_hits(text: str, shape: bytes) -> list[Hit]:
    """Cards, phone numbers, SSNs, IPv4 addresses and IBANs."""
    hits: list[Hit] = []
    if _SHAPE_NUMBER.search(shape):
        hits += _number_hits(text, shape) + _lower_case_ibans(text, shape)
    if b"999999999" in shape or b"999 99 9999" in shape:  # _NINE_DIGITS, or in groups split by spaces
        ssn_words = matches_at(SSN_WORD, text, _ssn_word_starts(text, shape))
        hits += [Hit("pii.ssn", m.start(1), m.end(1), m.group(1)) for m in ssn_words
                 if is_ssn("{}{}{}-{}{}-{}{}{}{}".format(*m.group(1).replace(" ", "")))]  # fmt: skip
    if _SHAPE_IPV4.search(shape):
        hits += _ipv4_hits(text, shape)
    iban_starts = literal_starts(shape, (b"AA99",))  # every IBAN match opens with two capitals and two digits
    hits += [Hit("pii.iban", m.start(), m.end(), m.group()) for m in matches_at(IBAN, text, iban_starts)
             if is_iban(m.group())]  # fmt: skip
    return hits


def _lower_case_ibans(text: str, shape: bytes) -> list[Hit]:
    """IBANs written in small letters ("de89 3704 0044 …"), whose letters after the country are few
    (every IBAN holds a run of digits NUMBER's shape finds: asked only then)."""
    if _LOWER_IBAN_STARTS is not None:
        starts: list[int] = []
        _LOWER_IBAN_STARTS.scan(ascii_bytes(text), lambda _expression, _start, end, *_: starts.append(end - 4))
    else:
        starts = [m.start() for m in _SHAPE_LOWER_IBAN.finditer(shape)] if b"aa99" in shape else []
    return [Hit("pii.iban", m.start(), m.end(), m.group()) for m in matches_at(IBAN_LOWER, text, starts)
            if _mostly_digits(m.group()) and is_iban(m.group().upper())]  # fmt: skip


def _mostly_digits(candidate: str) -> bool:
    """At least as many digits as letters after the country code and check digits."""
    rest = candidate[4:].replace(" ", "")
    return 2 * sum(c.isdigit() for c in rest) >= len(rest)


def _in_address(text: str, start: int, end: int) -> bool:
    """Whether what looks like an e-mail address is the user part of a URL ("postgres://app@db.internal",
    "redis://user:pw@cache": "://" before it, no white space, '/', '?' or '#' between) or of an SSH
    remote ("git@github.com:org/repo.git": a colon and a path right after it)."""
    if text.startswith(":", end) and end + 1 < len(text) and not text[end + 1].isspace():
        return True
    scheme = text.rfind("://", max(0, start - 80), start)
    if scheme == -1:
        return False
    between = text[scheme + 3 : start]
    return not any(char in between for char in " \t\n/?#")


def _email_starts(text: str) -> list[int]:
    """Where EMAIL can match: its lookbehind puts a match's start where the run of local-part characters
    before an '@' starts, at most 64 characters before it. The runs are read on a bytes copy; where a
    '?' there stands for a non-ASCII character (maybe a ``\\w``, maybe not) the run is read on the text,
    backwards."""
    data = ascii_bytes(text)
    shape = data.translate(_LOCAL_PART)
    find, run = data.find, _LOCAL_RUN.match
    starts: list[int] = []
    at = find(b"@")
    while at != -1:
        low = at - 65 if at > 65 else 0
        if find(b"?", low, at) == -1:
            start = shape.rfind(b" ", low, at) + 1 or low
        else:
            start = at - run(text[low:at][::-1]).end()  # the whole window: too long, refused below
        if 0 < at - start <= 64:
            starts.append(start)
        at = find(b"@", at + 1)
    return starts


def _ssn_word_starts(text: str, shape: bytes) -> list[int]:
    """Where SSN_WORD can match: its keyword, at most 42 characters before a run of exactly nine digits
    (or three, two and four split by spaces)."""
    starts: set[int] = set()
    for first in [*_nine_digit_runs(shape), *literal_starts(shape, (b"999 99 9999",))]:
        low = max(0, first - 42)
        window = lowered(text[low:first])
        for word in ("ssn", "social security"):
            starts.update(low + p for p in literal_starts(window, (word,)))
    return sorted(starts)


def _ipv4_hits(text: str, shape: bytes) -> list[Hit]:
    """IPV4's matches with valid octets that are not versions: a version word before them, or right after
    a version ("version 10.2.3.4 to 10.3.0.1", "1.2.3.4, 1.2.3.5 or 1.2.3.6"). Four single digits
    ("1.0.0.1") are as often a version: an address only after a network word ("ping 8.8.8.8")."""
    hits: list[Hit] = []
    match, last, version_end = IPV4.match, 0, -1
    version, network = _VERSION_WORDS.before, _NETWORK_WORDS.before
    for start in _ipv4_starts(shape):
        found = match(text, start) if start >= last else None
        if found is None:
            continue
        first, last = found.span()
        if version(text, first) or (version_end >= 0 and _VERSION_AFTER_VERSION.fullmatch(text, version_end, first)):
            version_end = last
        elif ipv4_octets(candidate := found.group()) and (last - first > 7 or network(text, first)):
            hits.append(Hit("pii.ip_address", first, last, candidate))
    return hits


def _ipv4_starts(shape: bytes) -> list[int]:
    """Where IPV4 can match: at the first of the (at most three) digits before a '.d.d.d' in the shape.
    The character before an IPV4 match is no digit or dot, so no match of this pass (digits and dots)
    runs into the address from before it, and the pass reaches the digit before its first dot."""
    starts = []
    for match in _SHAPE_IPV4.finditer(shape):
        start = end = match.start()
        while start > 0 and end - start < 2 and shape[start - 1] == 57:  # a '9' before
            start -= 1
        starts.append(start)
    return starts


def _nine_digit_runs(shape: bytes) -> list[int]:
    """Where the runs of exactly nine digits start."""
    found, position = [], shape.find(b"999999999")
    while position != -1:
        end = _SHAPE_DIGITS.match(shape, position).end()
        if end - position == 9 and (position == 0 or shape[position - 1] != 57):
            found.append(position)
        position = shape.find(b"999999999", end)
    return found


def _number_starts(shape: bytes) -> list[int]:
    """Where NUMBER can match: at most three characters ('+', white space, '(') before a digit stretch,
    or inside one right after a space or parenthesis (its lookbehind refuses the rest)."""
    starts: set[int] = set()
    for stretch in _SHAPE_STRETCH.finditer(shape):
        first, last = stretch.span()
        starts.update(range(max(0, first - 3), first + 1))
        for breaker in b" ()":
            position = shape.find(breaker, first, last)
            while position != -1:
                starts.add(position + 1)
                position = shape.find(breaker, position + 1, last)
    return sorted(starts)


# The validators it calls keep no cache of their own: for a number not seen before (most of a paste of
# contacts), three more cache misses cost ~1.4 µs of bookkeeping.
@lru_cache(maxsize=4096)  # pure; a long paste repeats the same numbers
def _number_kind(group: str) -> tuple[str, int, str, int]:
    """What a NUMBER match is: (its rule, or "" when it can only be a phone number, where the candidate
    starts in it, the candidate, the candidate's ``phone_shape``)."""
    candidate = balanced(group.strip(" .-"))
    offset = group.find(candidate)
    if is_card(candidate):
        return "pii.credit_card", offset, candidate, NEVER
    if is_ssn(candidate):
        return "pii.ssn", offset, candidate, NEVER
    return "", offset, candidate, phone_shape(candidate)


def _number_hits(text: str, shape: bytes) -> list[Hit]:
    """Cards, SSNs and phone numbers among NUMBER's matches."""
    hits: list[Hit] = []
    # Dense: one pass over the class copy beats a try per start (the stretches are counted up to the
    # threshold only: counting all of a megabyte's cost ~2.5 ms).
    if next(islice(_SHAPE_STRETCH.finditer(shape), 8 + len(text) // 4096, None), None) is not None:
        spans = numbers.spans(text)
    else:
        spans = [match.span() for match in matches_at(NUMBER, text, _number_starts(shape))]
    for first, last in spans:
        rule, offset, candidate, phone = _number_kind(text[first:last])
        if rule:
            start = first + offset
            hits.append(Hit(rule, start, start + len(candidate), candidate))
        elif phone != NEVER:
            start = first + offset
            if _phone_context(phone, text[max(0, start - _CONTEXT) : start]):
                hits.append(Hit("pii.phone", start, start + len(candidate), candidate))
    return hits


def _ipv6_matches(text: str):
    """IPV6 matches: each opens with one to four hex digits before its first colon."""
    starts = sorted({c - k for c in regex_starts(_FIRST_COLON, text) for k in range(1, 5) if c >= k})
    return matches_at(IPV6, text, starts)
