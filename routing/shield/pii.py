"""Personal data: e-mail, phone, payment card, IBAN, US SSN and IP addresses, each with a validator.

Detectors run on the original text (exact spans). Each one is gated by a cheap check (an '@', a run of
digits) so prose without any of them costs a few substring searches. Validators keep order numbers,
UUIDs, versions, dates and ordinary numbers out: Luhn for cards, mod-97 for IBANs, the SSA's area /
group / serial rules for SSNs, valid octets (and no version context) for IPv4.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
from functools import cache, lru_cache

from routing.shield import numbers
from routing.shield.anchors import reach
from routing.shield.candidates import ascii_bytes, literal_starts, lowered, matches_at, regex_starts
from routing.shield.findings import Hit, Rule, Severity

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
SSN_WORD = re.compile(r"(?i)(?:ssn|social security(?: number| no\.?)?)\D{0,20}(\d{9})(?!\d)")

_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21,
    "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18,
    "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23,
    "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26,
    "UA": 29, "VG": 24, "XK": 20,
}  # fmt: skip
_NOT_A_PHONE = re.compile(
    r"(?i)(?:order|invoice|tracking|ref(?:erence)?|account|acct|id|serial|isbn|sku|part|ticket|case|po|"
    r"confirmation|transaction|no\.|number|#)\W{0,3}$"
)
_PHONE_CONTEXT = re.compile(r"(?i)(?:phone|call|tel|mobile|cell|fax|whatsapp|sms|text me|reach me|contact)\W{0,12}$")
_VERSION_CONTEXT = re.compile(r"(?i)(?:version|ver\.?|v|release|build|firmware|rev)\s{0,2}$")
_TWO_DIGITS = re.compile(r"\d\d")
# Cheap passes that list where a match can start (they open with a character class, so ``re`` skips
# ahead): an IPv4 match starts where this does (no match starts inside one: its lookbehind refuses a
# digit or a dot before it); an IBAN where its four opening characters are; SSN_WORD needs nine digits.
_IPV4_START = re.compile(r"\d{1,3}\.(?:\d{1,3}\.){2}\d")
_IBAN_START = re.compile(r"[A-Z]{2}\d\d")
_NINE_DIGITS = re.compile(r"\d{9}")
# The first colon of an IPV6 match: one or two colons, one to four hex digits and a colon.
_FIRST_COLON = re.compile(r":(?=:?[0-9A-Fa-f]{1,4}:)")
# The IPv6 gate; the first regex (it opens with a literal, so ``re`` skips ahead) is necessary for it.
_COLON_HEX = re.compile(r":[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:")
_THREE_HEX_GROUPS = re.compile(r"[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:")
_NON_DIGIT = re.compile(r"\D")
_NUMBER_PUNCTUATION = str.maketrans("", "", " -.()+/")  # each a non-digit: see _digits_of
_DIGITS = re.compile(r"\d+")
_DIGITS_AND_DOTS = re.compile(r"[\d.]+")
_NORTH_AMERICAN = re.compile(r"(?:1[ .\-]?)?(?:\(\d{3}\)\s?|\d{3}[ .\-])\d{3}[ .\-]\d{4}")
_NEVER, _UNLESS_ID, _WITH_PHONE_WORD = 0, 1, 2
# A text's bytes "shape" (one byte per character: each digit, ASCII or not, a '9', each capital an 'A',
# any other non-ASCII character a '?') answers with C-speed searches whether a numeric detector can
# match at all: NUMBER holds a run like the first regex, IPV4 one like the second, IBAN four characters
# like 'AA99', SSN_WORD nine digits.
_SHAPE = bytes(57 if 48 <= c <= 57 else 65 if 65 <= c <= 90 else c for c in range(256))
_SHAPE_NUMBER = re.compile(rb"9[9 \-.()]{7,28}9")
_SHAPE_IPV4 = re.compile(rb"9\.9{1,3}\.9{1,3}\.9")
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
_SSN_FORMAT = re.compile(r"(\d{3})-(\d{2})-(\d{4})")
_DIGITS_AND_COLONS = re.compile(r"[\d:]+")
_DATE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")


def luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _digits_of(candidate: str) -> str:
    """``_NON_DIGIT.sub("", candidate)``: by ``str.translate`` where only number punctuation is to drop."""
    digits = candidate.translate(_NUMBER_PUNCTUATION)
    return digits if not digits or digits.isdecimal() else _NON_DIGIT.sub("", candidate)


def _balanced(candidate: str) -> str:
    if candidate.endswith(")") and candidate.count(")") > candidate.count("("):
        candidate = candidate[:-1].rstrip(" .-")
    if candidate.startswith("(") and ")" not in candidate:
        candidate = candidate[1:].lstrip(" .-")
    return candidate


def _card_network(digits: str) -> bool:
    """The issuer prefix allows this length (Visa 13/16/19, Amex 15, Mastercard 16, others 16-19)."""
    two, four, length = int(digits[:2]), int(digits[:4]), len(digits)
    if digits[0] == "4":
        return length in (13, 16, 19)
    if two in (34, 37):
        return length == 15
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return length == 16
    if two in (36, 38, 30):
        return 14 <= length <= 19
    return (two in (35, 62, 65) or digits.startswith("6011") or 644 <= int(digits[:3]) <= 649) and length >= 16


@lru_cache(maxsize=4096)  # pure; a long paste repeats the same numbers
def is_card(candidate: str) -> bool:
    if len(candidate) < 13:
        return False  # fewer than thirteen digits
    digits = _digits_of(candidate)
    if not 13 <= len(digits) <= 19 or not _card_network(digits) or len(set(digits)) < 2:
        return False
    separators = set(_DECIMAL.sub("", candidate))
    return len(separators) <= 1 and separators <= {" ", "-"} and luhn(digits)


@lru_cache(maxsize=4096)  # pure; a long paste repeats the same numbers
def is_ssn(candidate: str) -> bool:
    match = _SSN_FORMAT.fullmatch(candidate) if len(candidate) == 11 else None
    if not match:
        return False
    area, group, serial = (int(g) for g in match.groups())
    return area not in (0, 666) and area < 900 and group != 0 and serial != 0


@lru_cache(maxsize=4096)  # pure; a long paste repeats the same numbers
def _phone_shape(candidate: str) -> int:
    """Whether ``candidate`` is never a phone number, one unless an identifier word precedes it (and no
    telephone word does), or one only when a telephone word precedes it."""
    if _DATE.match(candidate) or _DIGITS_AND_DOTS.fullmatch(candidate):
        return _NEVER
    digits = _digits_of(candidate)
    if candidate.startswith("+"):
        return _UNLESS_ID if 8 <= len(digits) <= 15 and not candidate.startswith("+0") else _NEVER
    if _NORTH_AMERICAN.fullmatch(candidate):
        area = digits[-10:]
        return _UNLESS_ID if area[0] not in "01" and area[3] not in "01" else _NEVER
    # Other national formats only with a telephone word nearby: too many numbers look alike.
    return _WITH_PHONE_WORD if 8 <= len(digits) <= 13 and len(_DIGITS.findall(candidate)) <= 5 else _NEVER


@cache
def _width(regex: re.Pattern[str]) -> int:
    return reach(regex)[0] + 1


def _ends(regex: re.Pattern[str], before: str) -> bool:
    """``regex.search(before) is not None`` for a context regex that must end the text (``$``) and has
    no lookbehind: a match starts at most its longest width (plus one, for ``$`` before a final line
    break) from the end, so only that tail decides."""
    return _tail_ends(regex, before[-_width(regex) :])


@lru_cache(maxsize=4096)  # pure; a long paste repeats the same few words before its numbers
def _tail_ends(regex: re.Pattern[str], tail: str) -> bool:
    return regex.search(tail) is not None


def is_phone(candidate: str, before: str) -> bool:
    shape = _phone_shape(candidate)
    if shape == _NEVER:
        return False
    if shape == _WITH_PHONE_WORD:
        return _ends(_PHONE_CONTEXT, before)
    return not _ends(_NOT_A_PHONE, before) or _ends(_PHONE_CONTEXT, before)


@lru_cache(maxsize=4096)  # pure; a long paste repeats the same numbers
def is_iban(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if _IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def is_ipv4(candidate: str, before: str) -> bool:
    return _ipv4_octets(candidate) and not _ends(_VERSION_CONTEXT, before)


@lru_cache(maxsize=4096)  # pure; a long paste repeats the same addresses
def _ipv4_octets(candidate: str) -> bool:
    """Four octets of at most 255 without a leading zero, and not the unspecified, loopback or broadcast
    address."""
    octets = candidate.split(".")
    if any(len(o) > 1 and o[0] == "0" for o in octets) or any(int(o) > 255 for o in octets):
        return False
    return candidate not in ("0.0.0.0", "127.0.0.1", "255.255.255.255")  # noqa: S104 -- not a bind address


@lru_cache(maxsize=4096)  # pure; a long paste repeats the same numbers
def is_ipv6(candidate: str) -> bool:
    if candidate.count(":") < 2 or ("::" not in candidate and candidate.count(":") != 7):
        return False
    if _DIGITS_AND_COLONS.fullmatch(candidate) and "::" not in candidate:
        return False  # times like 12:30:45
    try:
        address = ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return not (address.is_loopback or address.is_unspecified)


def _before(text: str, start: int) -> str:
    return text[max(0, start - 30) : start]


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
        hits += [Hit("pii.email", m.start(), m.end(), m.group()) for m in matches_at(EMAIL, text, _email_starts(text))]
    shape = _shape(text)
    if b"99" not in shape:  # _TWO_DIGITS: no number, IP address or IBAN
        return hits
    if _SHAPE_NUMBER.search(shape):
        hits += _number_hits(text, shape)
    if b"999999999" in shape:  # _NINE_DIGITS
        ssn_words = matches_at(SSN_WORD, text, _ssn_word_starts(text, shape))
        hits += [Hit("pii.ssn", m.start(1), m.end(1), m.group(1)) for m in ssn_words if is_ssn(
            f"{m.group(1)[:3]}-{m.group(1)[3:5]}-{m.group(1)[5:]}")]  # fmt: skip
    hits += [Hit("pii.ip_address", m.start(), m.end(), m.group()) for m in matches_at(IPV4, text, _ipv4_starts(shape))
             if is_ipv4(m.group(), _before(text, m.start()))]  # fmt: skip
    # _COLON_HEX is in every IPV6 match (which also passes the original gate, kept as it was).
    if _COLON_HEX.search(text) and ("::" in text or _THREE_HEX_GROUPS.search(text)):
        hits += [
            Hit("pii.ip_address", m.start(), m.end(), m.group()) for m in _ipv6_matches(text) if is_ipv6(m.group())
        ]
    iban_starts = literal_starts(shape, (b"AA99",))  # every IBAN match opens with two capitals and two digits
    hits += [Hit("pii.iban", m.start(), m.end(), m.group()) for m in matches_at(IBAN, text, iban_starts)
             if is_iban(m.group())]  # fmt: skip
    return hits


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
    """Where SSN_WORD can match: its keyword, at most 42 characters before a run of exactly nine digits."""
    starts: set[int] = set()
    for first in _nine_digit_runs(shape):
        low = max(0, first - 42)
        window = lowered(text[low:first])
        for word in ("ssn", "social security"):
            starts.update(low + p for p in literal_starts(window, (word,)))
    return sorted(starts)


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


@lru_cache(maxsize=4096)  # pure; a long paste repeats the same numbers
def _number_kind(group: str) -> tuple[str, int, str, int]:
    """What a NUMBER match is: (its rule, or "" when it can only be a phone number, where the candidate
    starts in it, the candidate, the candidate's ``_phone_shape``)."""
    candidate = _balanced(group.strip(" .-"))
    offset = group.find(candidate)
    if is_card(candidate):
        return "pii.credit_card", offset, candidate, _NEVER
    if is_ssn(candidate):
        return "pii.ssn", offset, candidate, _NEVER
    return "", offset, candidate, _phone_shape(candidate)


def _number_hits(text: str, shape: bytes) -> list[Hit]:
    """Cards, SSNs and phone numbers among NUMBER's matches."""
    hits: list[Hit] = []
    stretches = _SHAPE_STRETCH.findall(shape)
    if len(stretches) > 8 + len(text) // 4096:  # dense: one pass (over the class copy) beats a try per start
        spans = numbers.spans(text)
    else:
        spans = [match.span() for match in matches_at(NUMBER, text, _number_starts(shape))]
    for first, last in spans:
        rule, offset, candidate, phone = _number_kind(text[first:last])
        start = first + offset
        if rule:
            hits.append(Hit(rule, start, start + len(candidate), candidate))
        elif phone != _NEVER and is_phone(candidate, _before(text, start)):
            hits.append(Hit("pii.phone", start, start + len(candidate), candidate))
    return hits


def _ipv6_matches(text: str):
    """IPV6 matches: each opens with one to four hex digits before its first colon."""
    starts = sorted({c - k for c in regex_starts(_FIRST_COLON, text) for k in range(1, 5) if c >= k})
    return matches_at(IPV6, text, starts)
