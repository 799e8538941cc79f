"""Stage 1, the shield: attacks, secrets and personal data, found by rules (``routing.shield``), acted
on by the tenant's policy.

- Attacks (injection, jailbreak, prompt extraction, token smuggling, binary pastes): HIGH and
  CRITICAL findings block the request with HTTP 403 (in monitor mode they are only logged);
  MEDIUM ones are flagged and logged; LOW ones are noted in the decision.
- Personal data and secrets follow the tenant's PII action: block, redact (typed placeholders
  replace the values before any provider, the cache or the classifier sees the prompt) or allow.
- The tenant's allow-list drops false positives by rule id, category or exact string.

Only what a user or a tool put in the conversation is scanned (the tenant's own system prompt
and the model's earlier turns are trusted). Nothing here echoes a matched value: errors name the
category, excerpts mask it.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import heapq
import time
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from core import metrics
from core.errors import ApplicationError
from routing import shield
from routing.pipeline.context import RoutingContext
from routing.shield import behaviour, codepoints, semantic
from tenants.selectors import PolicySnapshot

ATTACKS = frozenset({"prompt_injection", "jailbreak", "prompt_extraction", "token_smuggling", "binary_paste"})
DATA = frozenset({"pii", "secret"})
SCANNED_ROLES = frozenset({"user", "tool", "function"})
# Prompts larger than this are scanned on a worker thread: the event loop keeps serving meanwhile.
OFF_LOOP_CHARS = 64 * 1024
MAX_RECORDED_FINDINGS = 20
# Outcomes, most serious first: the request's outcome is its most serious finding's action.
ORDER = ("blocked", "monitored", "redacted", "flagged", "allowed", "noted")
# Which findings a decision records first: a flagged attack before redacted personal data.
RECORD_ORDER = ("blocked", "monitored", "flagged", "redacted", "allowed", "noted")
CATEGORY_NAMES = {
    "prompt_injection": "prompt injection",
    "jailbreak": "jailbreak",
    "prompt_extraction": "system-prompt extraction",
    "token_smuggling": "token smuggling",
    "binary_paste": "binary or oversized paste",
    "pii": "personal data",
    "secret": "secret or credential",
}


@dataclass
class ShieldReport:
    """What the shield found and did, for the decision, the ledger and the security events.

    ``findings`` are the ``MAX_RECORDED_FINDINGS`` most serious (by ``RECORD_ORDER`` of their action,
    then severity; text order among equals): those the decision records (and the security events),
    each with an excerpt. A megabyte of personal data gives tens of thousands of findings: only
    their number (``total``) and their actions (the outcome) are kept besides.
    """

    outcome: str  # off, clean, noted, allowed, flagged, redacted, monitored or blocked
    ruleset: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    elapsed_ms: float = 0.0
    truncated: bool = False
    layers: list[str] = field(default_factory=list)  # "rules", then "vectors" when the vector layer ran
    total: int = 0  # every finding, recorded or not
    actions: set[str] = field(default_factory=set)  # the action of every finding

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "ruleset": self.ruleset,
            "layers": self.layers,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "truncated": self.truncated,
            "findings": self.findings[:MAX_RECORDED_FINDINGS],
            "findings_total": self.total,
        }

    def add(self, finding: dict[str, Any]) -> None:
        """Insert ``finding`` after every one at least as serious, and settle the outcome."""
        ranks = [_seriousness(f["action"], f["severity"]) for f in self.findings]
        self.findings.insert(bisect_right(ranks, _seriousness(finding["action"], finding["severity"])), finding)
        del self.findings[MAX_RECORDED_FINDINGS:]
        self.total += 1
        self.actions.add(finding["action"])
        self.settle()

    def settle(self) -> None:
        """The outcome is the most serious action taken."""
        self.outcome = min(self.actions, key=ORDER.index, default="clean")


_SEVERITY_RANK = {severity.label: -severity for severity in shield.Severity}


def _seriousness(action: str, severity: str) -> tuple[int, int]:
    """Where a finding of this action and severity label is recorded: lower first."""
    return RECORD_ORDER.index(action), _SEVERITY_RANK[severity]


def cache_ruleset(policy: PolicySnapshot) -> str:
    """What a cached answer must have passed to be replayed: the rules and the tenant's shield settings.

    Changing either makes earlier entries a miss, so an answer stored while (say) PII was allowed
    is not replayed once the tenant asks for redaction.
    """
    if not policy.shield_enabled:
        return "off"
    settings = "\x1f".join(
        [str(policy.shield_enforce), str(policy.shield_semantic), policy.pii_action, *policy.shield_allowlist]
    )
    return f"{shield.RULESET_VERSION[:23]}-{hashlib.sha256(settings.encode()).hexdigest()[:8]}"


def _segments(raw: dict[str, Any]) -> list[tuple[str, str, int, int | None]]:
    """Every scanned text: (role, text, message index, content-part index or None)."""
    out = []
    for i, message in enumerate(raw.get("messages") or []):
        if not isinstance(message, dict) or message.get("role") not in SCANNED_ROLES:
            continue
        content = message.get("content")
        if isinstance(content, str):
            out.append((message["role"], content, i, None))
        elif isinstance(content, list):
            for j, part in enumerate(content):
                if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
                    out.append((message["role"], part["text"], i, j))
    return out


def _action(finding, policy: PolicySnapshot) -> str:
    if finding.category in DATA:
        action = {"block": "blocked", "redact": "redacted", "allow": "allowed"}[policy.pii_action]
    elif finding.severity >= shield.Severity.HIGH:
        action = "blocked"
    elif finding.severity >= shield.Severity.MEDIUM:
        action = "flagged"
    else:
        action = "noted"
    return "monitored" if action == "blocked" and not policy.shield_enforce else action


def _redacted(raw: dict[str, Any], segments, findings) -> dict[str, Any]:
    """A copy of the request with personal data and secrets replaced by typed placeholders."""
    by_segment: dict[int, list] = {}
    for finding in findings:
        by_segment.setdefault(finding.message, []).append(finding)
    messages = [dict(m) if isinstance(m, dict) else m for m in raw["messages"]]
    for index, found in by_segment.items():
        _, text, i, j = segments[index]
        clean = shield.redact(text, found)
        if j is None:
            messages[i]["content"] = clean
        else:
            parts = list(messages[i]["content"])
            parts[j] = {**parts[j], "text": clean}
            messages[i]["content"] = parts
    return {**raw, "messages": messages}


def _blocked_error(finding, message_index: int) -> ApplicationError:
    name = CATEGORY_NAMES.get(finding.category, finding.category)
    return ApplicationError(
        f"Request blocked by the NeuralRouting shield: {name} ({finding.severity.label}, rule {finding.rule}). "
        "If this is a false positive, an admin can allow-list the rule for your organization.",
        status=403,
        code="shield_blocked",
        param=f"messages[{message_index}]",
    )


class ShieldStage:
    def __init__(self, vectors: semantic.ExemplarShield | None = None):
        self.vectors = vectors  # the second layer; None without an encoder
        behaviour.MATCHER.prefilter()  # start building the Hyperscan prefilter now, not on the first request
        codepoints.warm()

    async def check(self, ctx: RoutingContext, policy: PolicySnapshot) -> None:
        """Scan ``ctx.raw``; set ``ctx.shield`` and, when asked, replace ``ctx.raw`` by its redacted copy.

        Raises a 403 :class:`ApplicationError` when the request is blocked (``ctx.shield`` says why).
        """
        raw = ctx.raw
        ctx.shield = ShieldReport("off", cache_ruleset(policy))
        if not policy.shield_enabled:
            return
        segments = _segments(raw)
        texts = [(role, text) for role, text, _, _ in segments]
        # The tenant's earlier turns, sent again with every request, are remembered, not read again.
        scope = str(policy.tenant_id)
        scan = functools.partial(shield.scan_messages, texts, allow=policy.shield_allowlist, scope=scope)
        result = await asyncio.to_thread(scan) if sum(len(t) for _, t in texts) > OFF_LOOP_CHARS else scan()
        metrics.SHIELD_SECONDS.observe(result.elapsed_ms / 1000)
        metrics.SHIELD_REUSED.inc(result.reused)
        known: dict[tuple[str, shield.Severity], str] = {}  # the action of each (category, severity)
        actions = []
        for f in result.findings:
            action = known.get((f.category, f.severity))
            if action is None:
                action = known[(f.category, f.severity)] = _action(f, policy)
            actions.append((f, action))
        recorded = heapq.nsmallest(  # as sorted(...)[:n]: text order kept among equals
            MAX_RECORDED_FINDINGS, actions, key=lambda pair: _seriousness(pair[1], pair[0].severity.label)
        )
        report = ctx.shield = ShieldReport(
            outcome="clean",
            ruleset=ctx.shield.ruleset,
            layers=["rules"],
            findings=[
                {
                    "category": f.category,
                    "rule": f.rule,
                    "severity": f.severity.label,
                    "action": action,
                    "message_index": segments[f.message][2],
                    "explanation": f.explanation,
                    "excerpt": f.excerpt,
                }
                for f, action in recorded
            ],
            elapsed_ms=result.elapsed_ms,
            truncated=result.truncated,
            total=len(actions),
            actions={action for _, action in actions},
        )
        report.settle()
        for (category, action), count in Counter((f.category, a) for f, a in actions).items():
            metrics.SHIELD_FINDINGS.labels(category, action).inc(count)
        if report.outcome == "blocked":
            worst = max((f for f, a in actions if a == "blocked"), key=lambda f: f.severity)
            raise _blocked_error(worst, segments[worst.message][2])
        redact = [f for f, a in actions if a == "redacted"]
        if redact:
            ctx.raw = _redacted(raw, segments, redact)

    def check_meaning(self, ctx: RoutingContext, policy: PolicySnapshot, vector, text: str) -> None:
        """The second layer, after the prompt was embedded: the last user message's vector against
        the written exemplars. Adds its finding to ``ctx.shield``; raises a 403 when it blocks."""
        report = ctx.shield
        if self.vectors is None or vector is None or not policy.shield_enabled or not policy.shield_semantic:
            return
        started = time.perf_counter()
        verdict = self.vectors.check(vector)
        report.layers.append("vectors")
        report.elapsed_ms += (time.perf_counter() - started) * 1000
        allowed = set(policy.shield_allowlist)
        if verdict is None or verdict.rule in allowed or verdict.category in allowed:
            return
        action = _action(verdict, policy)  # a verdict has the category, severity and rule a finding has
        index = _last_user_index(ctx.raw)
        report.add(
            {
                "category": verdict.category,
                "rule": verdict.rule,
                "severity": verdict.severity.label,
                "action": action,
                "message_index": index,
                "explanation": f"{shield.RULES[verdict.rule].explanation} ({verdict.note})",
                "excerpt": _masked_head(text),
            }
        )
        metrics.SHIELD_FINDINGS.labels(verdict.category, action).inc()
        if action == "blocked":
            raise _blocked_error(verdict, index)


def _last_user_index(raw: dict[str, Any]) -> int:
    messages = raw.get("messages") or []
    for i in range(len(messages) - 1, -1, -1):
        if isinstance(messages[i], dict) and messages[i].get("role") == "user":
            return i
    return max(len(messages) - 1, 0)


def _masked_head(text: str, length: int = 80) -> str:
    """The opening of the message for the event, with any personal data or secret masked."""
    head = text[:length]
    data = [f for f in shield.scan(head).findings if f.category in DATA]
    return shield.redact(head, data) + ("…" if len(text) > length else "")
