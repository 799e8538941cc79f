"""Complexity in [0, 1]: how demanding the request is, from cues in the text.

Blended by the classifier with the complexity of the nearest exemplars. Cues: asks for design,
proof, optimisation or trade-offs; many explicit constraints; multi-step instructions; a lot of
code; length (damped for types where long input is normal, such as summarising a document).
"""

from __future__ import annotations

import math
import re

_HARD = re.compile(
    r"\b(?:prove|proof|design|architect(?:ure)?|optimi[sz]e|trade-?offs?|edge cases|scalab\w+|distributed|"
    r"concurren\w+|lock-free|consensus|formal|rigorous|derive|complexity analysis|production-ready|"
    r"security|threat model|benchmark|migrat\w+|multi-tenant|end-to-end|from scratch)\b",
    re.I,
)
_STEPS = re.compile(
    r"\b(?:step by step|first\b|then\b|finally\b|after that|for each|compare|justify|explain why|"
    r"analy[sz]e|evaluate|in detail)\b",
    re.I,
)
_CONSTRAINTS = re.compile(
    r"\b(?:must|should|at least|at most|exactly|without|only|never|ensure|requirements?|"
    r"constraints?)\b",
    re.I,
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+", re.M)
_CODE_LINE = re.compile(r"[;{}]\s*$|^\s*(?:def|class|function|return|import)\b", re.M)
_EASY_WHEN_LONG = {"summarization", "extraction", "classification", "translation"}


def heuristic_complexity(text: str, task_type: str | None = None) -> float:
    head = text[:8000]
    words = max(len(head.split()), 1)
    score = -1.6
    score += 0.45 * min(len(_HARD.findall(head)), 4)
    score += 0.25 * min(len(_STEPS.findall(head)), 4)
    score += 0.12 * min(len(_CONSTRAINTS.findall(head)), 6)
    score += 0.10 * min(len(_LIST_ITEM.findall(head)), 8)
    score += 0.03 * min(len(_CODE_LINE.findall(head)), 40)
    length = math.log10(words)
    score += (0.25 if task_type in _EASY_WHEN_LONG else 0.6) * length
    return 1.0 / (1.0 + math.exp(-score))
