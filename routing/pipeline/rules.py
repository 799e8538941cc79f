"""Custom routing rules (mode ``custom``): ordered; the first rule whose conditions all hold wins.

    [{"name": "big prompts to a long-context model",
      "when": {"prompt_tokens_gte": 50000},
      "then": {"model": "gemini-2.5-flash"}},
     {"when": {"task_type": ["coding"], "complexity_gte": 0.7}, "then": {"tier": "premium"}},
     {"when": {"end_user": "free-*"}, "then": {"max_price_per_mtok": "0.50"}}]

Conditions: ``task_type`` (list), ``complexity_gte``/``complexity_lte``, ``end_user`` (glob),
``api_key`` (key prefix), ``prompt_tokens_gte``/``prompt_tokens_lte``, ``route`` (a tenant
route's name). Actions: ``model`` (a catalog name), ``tier`` (economy/standard/premium, the
cheapest capable model of it that meets the quality bar) or ``max_price_per_mtok`` (the best
model whose blended price per 1M tokens is at most this, as a decimal string).
"""

from __future__ import annotations

import fnmatch
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from core.errors import ApplicationError
from routing.classifier.taxonomy import TASK_TYPES


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class When(_Strict):
    task_type: list[Literal[TASK_TYPES]] | None = None  # type: ignore[valid-type]
    complexity_gte: float | None = Field(None, ge=0, le=1)
    complexity_lte: float | None = Field(None, ge=0, le=1)
    end_user: str | None = None
    api_key: str | None = None
    prompt_tokens_gte: int | None = Field(None, ge=0)
    prompt_tokens_lte: int | None = Field(None, ge=0)
    route: str | None = None


class Then(_Strict):
    model: str | None = None
    tier: Literal["economy", "standard", "premium"] | None = None
    max_price_per_mtok: Decimal | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _one_action(self) -> Then:
        if sum(v is not None for v in (self.model, self.tier, self.max_price_per_mtok)) != 1:
            raise ValueError("give exactly one of model, tier or max_price_per_mtok")
        return self


class Rule(_Strict):
    name: str = ""
    when: When = When()
    then: Then


_RULES = TypeAdapter(list[Rule])


def parse_rules(raw) -> tuple[Rule, ...]:
    """Validate stored or submitted rules; a 400 naming the problem when they are wrong."""
    try:
        return tuple(_RULES.validate_python(raw or []))
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in error["loc"])
        raise ApplicationError(f"Invalid custom rule at {where}: {error['msg']}", param="custom_rules") from exc


def matches(
    rule: Rule,
    *,
    task_type: str,
    complexity: float,
    end_user: str,
    api_key_prefix: str,
    prompt_tokens: int,
    route: str | None,
) -> bool:
    w = rule.when
    return all(
        (
            w.task_type is None or task_type in w.task_type,
            w.complexity_gte is None or complexity >= w.complexity_gte,
            w.complexity_lte is None or complexity <= w.complexity_lte,
            w.end_user is None or fnmatch.fnmatchcase(end_user, w.end_user),
            w.api_key is None or api_key_prefix == w.api_key.removeprefix("nr-"),
            w.prompt_tokens_gte is None or prompt_tokens >= w.prompt_tokens_gte,
            w.prompt_tokens_lte is None or prompt_tokens <= w.prompt_tokens_lte,
            w.route is None or route == w.route,
        )
    )
