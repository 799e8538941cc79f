"""Tier 1, reflex: fast rules over the text (well under a millisecond).

Rules either *decide* (a stack trace is a coding request; "translate … into French" is a
translation) or *hint* (soft votes the semantic tier combines with its own scores). They decide
alone only when certain. Every pattern is linear-time (no nested quantifiers) and the text they
read is capped, so a megabyte prompt costs no more than a few kilobytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SCAN_CHARS = 8000

_LANGUAGES = (
    "english|french|spanish|german|italian|portuguese|dutch|polish|russian|ukrainian|czech|swedish|norwegian|"
    "danish|finnish|greek|turkish|arabic|hebrew|hindi|bengali|urdu|chinese|mandarin|cantonese|japanese|korean|"
    "vietnamese|thai|indonesian|malay|tagalog|swahili|romanian|hungarian|persian|farsi|catalan|latin"
)
_TRANSLATE = re.compile(
    rf"\b(?:translate|translation of|render|locali[sz]e)\b[^.?!\n]{{0,200}}?\b(?:in|into|to|from)\s+(?:{_LANGUAGES})\b"
    rf"|\bhow (?:do|would|can) (?:you|i|we) say\b[^?\n]{{0,200}}\bin (?:{_LANGUAGES})\b"
    rf"|\bwhat does\b[^?\n]{{0,120}}\bmean in (?:{_LANGUAGES})\b"
    r"|^\s*(?:traduce|traduis|traduza|traduci|übersetze|vertaal|przetłumacz|переведи)\b",
    re.IGNORECASE | re.MULTILINE,
)
_STACK_TRACE = re.compile(
    r"Traceback \(most recent call last\)|^\s+at [\w$.<>]+\([\w$.]+\.(?:java|kt|scala):\d+\)"
    r"|^\s+at .{1,200}\((?:[\w/.-]+):\d+:\d+\)|\bpanic: |Exception in thread \"|^\w+(?:Error|Exception): .+$"
    r"|error\[E\d{4}\]|Segmentation fault|undefined reference to `",
    re.MULTILINE,
)
_CODE_FENCE = re.compile(r"```")
_CODE_LINE = re.compile(
    r"^\s*(?:def |class |import |from \S+ import |function |const |let |var |public |private |func |fn |#include|"
    r"package |using |SELECT |INSERT |UPDATE |DELETE |CREATE TABLE|return |if \(|for \(|while \(|@\w+)|[;{}]\s*$",
    re.MULTILINE,
)
_SQL = re.compile(r"\bSELECT\b[^;]{1,500}\bFROM\b|\bINSERT\s+INTO\b|\bCREATE\s+TABLE\b|\bALTER\s+TABLE\b", re.I)
_CODE_WORDS = re.compile(
    r"\b(?:python|javascript|typescript|java|golang|rust|c\+\+|c#|kotlin|swift|ruby|php|bash|shell script|sql|"
    r"regex|regular expression|function|method|class|api|endpoint|bug|compile|refactor|unit tests?|stack trace|"
    r"dockerfile|kubernetes|terraform|git|npm|pip|react|django|algorithm)\b",
    re.I,
)
_MATH = re.compile(
    r"\d\s*[-+*/^\u00d7\u00f7=]\s*\d|\b(?:solve|prove|integral|derivative|equation|probability|"
    r"how many|how much|step by step|percent|calculate|compute)\b",
    re.I,
)
_SUMMARIZE = re.compile(
    r"\b(?:summari[sz]e|summary|tl;?dr|condense|recap|key takeaways|in a nutshell|gist|"
    r"boil (?:it|this) down|shorten this|synopsis|abstract for)\b",
    re.I,
)
_EXTRACT = re.compile(
    r"\b(?:extract|pull (?:out )?the|parse (?:this|the)|find (?:all|every)|list (?:all|every)|"
    r"identify (?:all|every)|(?:as|into|return) (?:json|csv|a table)|fill (?:this|the) (?:json )?schema)\b",
    re.I,
)
_CLASSIFY = re.compile(
    r"\b(?:classify|categori[sz]e|label (?:each|the|this)|sentiment|spam|is this (?:review )?"
    r"(?:positive|negative)|answer (?:only )?(?:with )?(?:yes|no|a single word)|which (?:department|"
    r"team|category)|tag each|positive or negative)\b",
    re.I,
)
_BRAINSTORM = re.compile(
    r"\b(?:brainstorm|ideas? (?:for|to|on)|give me (?:\d+|some|a few|ten|five) |"
    r"suggest (?:some|a few|\d+|ideas|names|ways|themes)|come up with|what are some|"
    r"list (?:ways|options))\b",
    re.I,
)
_CREATIVE = re.compile(
    r"\b(?:write|compose|draft)\b[^.?!\n]{0,60}\b(?:poem|story|song|lyrics|haiku|limerick|"
    r"sonnet|essay|speech|toast|eulogy|letter|blog post|screenplay|script|slogan|tagline|"
    r"caption|cover letter|verse|fairy tale|dialogue|novel|chapter)\b",
    re.I,
)
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|yo|thanks|thank you|thx|good (?:morning|night|evening|afternoon)|bye|"
    r"ok(?:ay)?|cool|lol|nice|great)\b[\s!.?:)]*$",
    re.I,
)
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=]{400,}")


@dataclass(frozen=True)
class ReflexVerdict:
    """``task_type`` is set only when a rule is certain; ``hints`` are soft votes in [0, 1]."""

    task_type: str | None = None
    confidence: float = 0.0
    hints: dict[str, float] = field(default_factory=dict)
    signals: tuple[str, ...] = ()
    binary_paste: bool = False


def strip_binary(text: str) -> tuple[str, bool]:
    """Drop long base64/binary-looking runs: they say nothing about the task and cost inference time."""
    scanned = text[: SCAN_CHARS * 4]
    stripped = _BASE64_RUN.sub(" [binary] ", scanned)
    return stripped, stripped != scanned


def reflex(text: str, *, system: str = "") -> ReflexVerdict:
    head = text[:SCAN_CHARS]
    signals: list[str] = []
    hints: dict[str, float] = {}
    _, binary = strip_binary(head)
    if binary:
        signals.append("binary_paste")

    if not head.strip():
        return ReflexVerdict(signals=("empty_prompt",), binary_paste=binary)
    if _STACK_TRACE.search(head):
        return ReflexVerdict("coding", 0.95, {"coding": 1.0}, ("stack_trace",), binary)
    if _TRANSLATE.search(head) or _TRANSLATE.search(system[:2000]):
        return ReflexVerdict("translation", 0.92, {"translation": 1.0}, ("translate_into_language",), binary)
    if len(head) < 40 and _GREETING.match(head):
        return ReflexVerdict("chat", 0.9, {"chat": 1.0}, ("greeting",), binary)

    code_lines = len(_CODE_LINE.findall(head))
    fences = len(_CODE_FENCE.findall(head))
    if _SQL.search(head):
        signals.append("sql")
        hints["coding"] = 0.8
    if fences >= 2 or code_lines >= 3:
        signals.append("code_block")
        hints["coding"] = max(hints.get("coding", 0), 0.8)
    if _CODE_WORDS.search(head):
        signals.append("code_vocabulary")
        hints["coding"] = max(hints.get("coding", 0), 0.5)
    for name, pattern, weight in (
        ("summarization", _SUMMARIZE, 0.8),
        ("extraction", _EXTRACT, 0.7),
        ("classification", _CLASSIFY, 0.7),
        ("brainstorming", _BRAINSTORM, 0.6),
        ("creative_writing", _CREATIVE, 0.8),
        ("reasoning", _MATH, 0.5),
    ):
        if pattern.search(head[:600]):
            signals.append(f"{name}_cue")
            hints[name] = max(hints.get(name, 0), weight)
    # A request to do something *with* pasted code is still a coding request.
    if "code_block" in signals and not any(k in hints for k in ("summarization", "translation")):
        return ReflexVerdict("coding", 0.9, hints, tuple(signals), binary)
    return ReflexVerdict(None, 0.0, hints, tuple(signals), binary)
