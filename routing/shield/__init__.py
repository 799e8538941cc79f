"""The security shield's detection engine: regexes and heuristics, no model call.

    result = scan(text, allow=tenant_allow_list)
    if result.worst and result.worst >= Severity.HIGH: ...   # block
    safe_prompt = redact(text, result.findings)

The behavioural regexes run in Python's ``re``, after a Hyperscan pass that names the few that can
match (``prefilter``); the secrets detector finds its literals with Hyperscan too (``literals``).
See ``engine`` for how texts are read and ``findings`` for the types. ``scan_messages(..., scope=)``
remembers per scope what it found in each text (``memory``), so a conversation's earlier turns are
not read again. ``semantic`` is the second layer, which compares a request's sentence vector with
written exemplars; the pipeline runs it once the prompt has been embedded.
"""

from routing.shield.engine import RULES, RULESET_VERSION, scan, scan_messages
from routing.shield.findings import CATEGORIES, Finding, Rule, ScanResult, Severity
from routing.shield.redact import redact

__all__ = [
    "CATEGORIES",
    "RULES",
    "RULESET_VERSION",
    "Finding",
    "Rule",
    "ScanResult",
    "Severity",
    "redact",
    "scan",
    "scan_messages",
]
