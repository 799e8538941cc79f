from pathlib import Path

import pytest

from routing.shield import scan


def kinds(text):
    return sorted(f.kind for f in scan(text).findings if f.category == "pii")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("write to jane.doe+work@mail.example.org today", "EMAIL"),
        ("call me at (415) 555-0199 tonight", "PHONE"),
        ("my mobile: +44 20 7946 0958", "PHONE"),
        ("card 4539 1488 0343 6467 exp 12/29", "CREDIT_CARD"),
        ("pay to DE89 3704 0044 0532 0130 00 please", "IBAN"),
        ("ssn 123-45-6789", "SSN"),
        ("the server at 192.168.10.24 is down", "IP_ADDRESS"),
        ("link-local fe80::1ff:fe23:4567:890a failed", "IP_ADDRESS"),
        ("phone: 030 12345678", "PHONE"),  # a national format needs a telephone word before it
        ("order #(415) 555-0199, call (415) 555-0199", "PHONE"),  # the same number, now after 'call'
        ("Phone number: (415) 555-0199", "PHONE"),  # 'number' names an identifier unless a phone's
        ("Call me at 030 12345678", "PHONE"),
        ("Mobile no. 415-555-0199", "PHONE"),
        ("the server 10.0.0.9 is down", "IP_ADDRESS"),  # 'server' ends in 'ver', a version word
        ("I paid (415) 555-0199 for it", "PHONE"),  # 'paid' ends in 'id', an identifier word
        ("upgrade from version 10.2.3.4 to 10.3.0.1 on host 10.0.0.9", "IP_ADDRESS"),
        ("ping 5.6.7.8 from the office", "IP_ADDRESS"),  # single-digit octets: no two digits in a row
        ("pay to de89 3704 0044 0532 0130 00 please", "IBAN"),  # written in small letters
        ("iban: gb82 west 1234 5698 7654 32", "IBAN"),
        ("de89370400440532013000", "IBAN"),
        ("the resolver at 2606:4700::1111 timed out", "IP_ADDRESS"),  # compressed, two groups before '::'
        ("my ip is 2001:db8::1", "IP_ADDRESS"),
    ],
)
def test_personal_data_is_found(text, kind):
    assert kind in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "my order number is 4111-2222-3333",
        "id 550e8400-e29b-41d4-a716-446655440000",
        "upgrade to 1.2.3 or 10.4.22",
        "we met on 2023-10-12 at 10:30:45",
        "there were 1234567 visitors and 42 sales",
        "card 4539 1488 0343 6468 exp 12/29",  # fails Luhn
        "ssn 666-12-3456",  # area 666 is never issued
        "octets 300.1.2.3 are invalid",
        "version 1.2.3.4 is out",
        "DE89 3704 0044 0532 0130 01",  # bad checksum
        "invoice 555-123-4567",
        "room 030 12345678",
        "order #(415) 555-0199",
        "release 10.1.2.3 and ver. 10.1.2.4",
        "upgrade from version 10.2.3.4 to 10.3.0.1",  # the second is a version too
        "versions 10.2.3.4, 10.2.3.5 or 10.2.3.6",
        "hotel room 030 12345678",
        "see section 2.3.1.4 of the contract",  # a section number, not an address
        "Clause 1.2.3.4 applies, as does \u00a7 4.1.1.2",
        "de89 3704 0044 0532 0130 01",  # small letters, bad checksum
        "ab12 this that will more",  # the shape of an IBAN in small letters, but words
        "De89 3704 0044 0532 0130 00",  # mixed case is neither
        "set the DNS server to 1.1.1.1 or 8.8.8.8",  # public resolvers: no one's personal data
        "std::vector<int> v; auto x = a::b::c;",
        "mac address 00:1a:2b:3c:4d:5e, uptime 12:30:45",
    ],
)
def test_lookalike_numbers_are_not_personal_data(text):
    assert kinds(text) == []


def test_pii_is_medium_with_exact_spans_and_masked_excerpt():
    text = "mail bob@example.com now"
    finding = next(f for f in scan(text).findings if f.rule == "pii.email")
    assert finding.severity.label == "medium"
    assert text[finding.start : finding.end] == "bob@example.com"
    assert "bob@example.com" not in finding.excerpt and "[EMAIL]" in finding.excerpt
    assert "bob@example.com" not in finding.explanation


def test_only_the_address_after_two_versions_is_personal_data():
    text = "upgrade from version 10.2.3.4 to 10.3.0.1 on host 10.0.0.9"
    assert [text[f.start : f.end] for f in scan(text).findings if f.category == "pii"] == ["10.0.0.9"]


EXAMPLES = [
    line.split("\t", 1)
    for line in (Path(__file__).parent / "data" / "personal_data.tsv").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.mark.parametrize(("expected", "text"), EXAMPLES)
def test_hand_written_examples(expected, text):
    assert kinds(text) == sorted(expected.split(",") if expected != "-" else [])
