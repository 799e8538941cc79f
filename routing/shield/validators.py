"""Validators for personal-data candidates: is a digit group a payment card (issuer prefix and Luhn), a
US SSN (the SSA's area / group / serial rules), a phone number (by its format, and whether it needs a
telephone word before it), is a string an IBAN (mod-97) or an IP address. Pure; the IBAN and address
validators are cached (a long paste repeats the same values), the digit-group ones are remembered by
their caller (``pii._number_kind``).
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21,
    "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18,
    "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23,
    "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26,
    "UA": 29, "VG": 24, "XK": 20,
}  # fmt: skip
NON_DIGIT = re.compile(r"\D")
_NUMBER_PUNCTUATION = str.maketrans("", "", " -.()+/")  # each a non-digit: see digits_of
_DIGITS = re.compile(r"\d+")
_DIGITS_AND_DOTS = re.compile(r"[\d.]+")
_NORTH_AMERICAN = re.compile(r"(?:1[ .\-]?)?(?:\(\d{3}\)\s?|\d{3}[ .\-])\d{3}[ .\-]\d{4}")
NEVER, UNLESS_ID, WITH_PHONE_WORD = 0, 1, 2
_SSN_FORMAT = re.compile(r"(\d{3})-(\d{2})-(\d{4})")
_DIGITS_AND_COLONS = re.compile(r"[\d:]+")
_DATE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")
_DECIMAL = re.compile(r"\d")


def luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def digits_of(candidate: str) -> str:
    """``NON_DIGIT.sub("", candidate)``: by ``str.translate`` where only number punctuation is to drop."""
    digits = candidate.translate(_NUMBER_PUNCTUATION)
    return digits if not digits or digits.isdecimal() else NON_DIGIT.sub("", candidate)


def balanced(candidate: str) -> str:
    """``candidate`` without a closing parenthesis it does not open, or an opening one it does not close."""
    if candidate.endswith(")") and candidate.count(")") > candidate.count("("):
        candidate = candidate[:-1].rstrip(" .-")
    if candidate.startswith("(") and ")" not in candidate:
        candidate = candidate[1:].lstrip(" .-")
    return candidate


def _card_network(digits: str) -> bool:
    """The issuer prefix allows this length (Visa 16/19, Amex 15, Mastercard 16, others 16-19). Visa's
    old 13-digit numbers are no longer issued; a 13-digit number starting with 4 is far more often a
    product barcode (EAN-13, Germany's are 40-44...), one in ten of which passes the Luhn check."""
    two, four, length = int(digits[:2]), int(digits[:4]), len(digits)
    if digits[0] == "4":
        return length in (16, 19)
    if two in (34, 37):
        return length == 15
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return length == 16
    if two in (36, 38, 30):
        return 14 <= length <= 19
    return (two in (35, 62, 65) or digits.startswith("6011") or 644 <= int(digits[:3]) <= 649) and length >= 16


def is_card(candidate: str) -> bool:
    if len(candidate) < 13:
        return False  # fewer than thirteen digits
    digits = digits_of(candidate)
    if not 13 <= len(digits) <= 19 or not _card_network(digits) or len(set(digits)) < 2:
        return False
    separators = set(_DECIMAL.sub("", candidate))
    return len(separators) <= 1 and separators <= {" ", "-"} and luhn(digits)


def is_ssn(candidate: str) -> bool:
    match = _SSN_FORMAT.fullmatch(candidate) if len(candidate) == 11 else None
    if not match:
        return False
    area, group, serial = (int(g) for g in match.groups())
    return area not in (0, 666) and area < 900 and group != 0 and serial != 0


def _north_american(digits: str) -> bool:
    """The area code and the exchange (the last ten digits) start with neither 0 nor 1."""
    return digits[-10] not in "01" and digits[-7] not in "01"


def phone_shape(candidate: str) -> int:
    """Whether ``candidate`` is never a phone number, one unless an identifier word precedes it (and no
    telephone word does), or one only when a telephone word precedes it."""
    if _DATE.match(candidate):
        return NEVER
    digits = digits_of(candidate)
    if _DIGITS_AND_DOTS.fullmatch(candidate):  # a version or an address, or "415.555.0199" after "Phone:"
        return WITH_PHONE_WORD if _NORTH_AMERICAN.fullmatch(candidate) and _north_american(digits) else NEVER
    if candidate.startswith("+"):
        return UNLESS_ID if 8 <= len(digits) <= 15 and not candidate.startswith("+0") else NEVER
    if _NORTH_AMERICAN.fullmatch(candidate):
        return UNLESS_ID if _north_american(digits) else NEVER
    # Other national formats only with a telephone word nearby: too many numbers look alike.
    return WITH_PHONE_WORD if 8 <= len(digits) <= 13 and len(_DIGITS.findall(candidate)) <= 5 else NEVER


@lru_cache(maxsize=4096)  # pure; a long paste repeats the same numbers
def is_iban(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if _IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


@lru_cache(maxsize=4096)  # pure; a long paste repeats the same addresses
def ipv4_octets(candidate: str) -> bool:
    """Four octets of at most 255 without a leading zero, and not the unspecified, loopback or broadcast
    address, nor a public DNS resolver's ("use 1.1.1.1 or 8.8.8.8": no one's personal data)."""
    octets = candidate.split(".")
    if any(len(o) > 1 and o[0] == "0" for o in octets) or any(int(o) > 255 for o in octets):
        return False
    return candidate not in _NOT_PERSONAL


_NOT_PERSONAL = frozenset(
    {"0.0.0.0", "127.0.0.1", "255.255.255.255"}  # noqa: S104 -- not a bind address
    | {"1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4", "9.9.9.9", "149.112.112.112", "208.67.222.222", "208.67.220.220"}
)


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
