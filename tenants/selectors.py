"""Reads of tenant data. Every function takes the tenant (or resolves it from a credential)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from core.errors import ApplicationError
from tenants.models import KEY_PUBLIC_PREFIX, ApiKey, Membership, Policy, ProviderCredential, Tenant


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling the gateway: the key and its tenant, as plain values."""

    tenant_id: int
    tenant_slug: str
    api_key_id: str
    api_key_prefix: str
    rate_limit_rpm: int
    expires_at: datetime.datetime | None = None


@dataclass(frozen=True)
class PolicySnapshot:
    """A tenant's routing policy as plain values, cached by the gateway."""

    tenant_id: int
    mode: str
    default_model: str
    disabled_models: frozenset[str]
    custom_rules: tuple
    cognitive_enabled: bool
    cognitive_threshold: float
    router_model: str
    tool_pruning_top_k: int
    cache_enabled: bool = True
    cache_semantic: bool = True
    cache_threshold: float = 0.92
    cache_ttl_seconds: int = 86_400
    cache_max_entries: int = 10_000
    cache_max_temperature: float = 1.0
    cache_tool_requests: bool = False
    cache_per_user: bool = False
    shield_enabled: bool = True
    shield_enforce: bool = True
    shield_semantic: bool = True
    pii_action: str = "redact"
    shield_allowlist: tuple[str, ...] = ()


class KeyRejected(ApplicationError):
    """A key we recognised (so the tenant is known) but may not be used."""

    def __init__(self, message: str, code: str, principal: Principal):
        super().__init__(message=message, status=403, code=code)
        self.principal = principal


def _bearer_key(authorization: str | None) -> str:
    if not authorization:
        raise ApplicationError(
            "Missing API key: send it as 'Authorization: Bearer <key>'.", status=401, code="missing_api_key"
        )
    scheme, _, key = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ApplicationError(
            "Malformed Authorization header: expected 'Bearer <key>'.", status=401, code="invalid_api_key"
        )
    return key.strip()


def api_key_authenticate(*, authorization: str | None) -> Principal:
    """Resolve a bearer key to a :class:`Principal`, in one query.

    Unknown or wrong keys are 401 and never echoed back; a revoked or expired key, or a
    disabled tenant, is 403 (:class:`KeyRejected`, which carries the principal so the request
    can still be recorded against the tenant).
    """
    key = _bearer_key(authorization)
    prefix, dot, _ = key.removeprefix(KEY_PUBLIC_PREFIX).partition(".")
    invalid = ApplicationError("Invalid API key.", status=401, code="invalid_api_key")
    if not dot or len(prefix) != 8 or not prefix.isalnum():
        raise invalid
    api_key = ApiKey.objects.select_related("tenant", "tenant__policy").filter(prefix=prefix).first()
    if api_key is None or not api_key.is_valid(key):
        raise invalid
    principal = Principal(
        tenant_id=api_key.tenant_id,
        tenant_slug=api_key.tenant.slug,
        api_key_id=api_key.pk,
        api_key_prefix=api_key.prefix,
        rate_limit_rpm=api_key.tenant.policy.rate_limit_rpm,
        expires_at=api_key.expiry_date,
    )
    if api_key.revoked:
        raise KeyRejected("This API key has been revoked.", "api_key_revoked", principal)
    if api_key.has_expired:
        raise KeyRejected("This API key has expired.", "api_key_expired", principal)
    if not api_key.tenant.is_active:
        raise KeyRejected("This account is disabled.", "tenant_disabled", principal)
    return principal


DEFAULT_ROUTER_MODEL = "gpt-4o-mini"


def policy_snapshot(*, tenant_id: int) -> PolicySnapshot:
    policy = Policy.objects.for_tenant(tenant_id).select_related("default_model", "router_model").get()
    return PolicySnapshot(
        tenant_id=tenant_id,
        mode=policy.mode,
        default_model=policy.default_model.name,
        disabled_models=frozenset(policy.disabled_models.values_list("name", flat=True)),
        custom_rules=tuple(policy.custom_rules or ()),
        cognitive_enabled=policy.cognitive_enabled,
        cognitive_threshold=policy.cognitive_threshold,
        router_model=policy.router_model.name if policy.router_model else DEFAULT_ROUTER_MODEL,
        tool_pruning_top_k=policy.tool_pruning_top_k,
        cache_enabled=policy.cache_enabled,
        cache_semantic=policy.cache_semantic,
        cache_threshold=policy.cache_threshold,
        cache_ttl_seconds=policy.cache_ttl_seconds,
        cache_max_entries=policy.cache_max_entries,
        cache_max_temperature=policy.cache_max_temperature,
        cache_tool_requests=policy.cache_tool_requests,
        cache_per_user=policy.cache_per_user,
        shield_enabled=policy.shield_enabled,
        shield_enforce=policy.shield_enforce,
        shield_semantic=policy.shield_semantic,
        pii_action=policy.pii_action,
        shield_allowlist=tuple(policy.shield_allowlist or ()),
    )


def api_key_list(*, tenant: Tenant) -> QuerySet[ApiKey]:
    return ApiKey.objects.for_tenant(tenant).select_related("created_by", "revoked_by").order_by("-created")


def api_key_get(*, tenant: Tenant, prefix: str) -> ApiKey | None:
    return ApiKey.objects.for_tenant(tenant).filter(prefix=prefix.removeprefix(KEY_PUBLIC_PREFIX)).first()


def memberships_for_user(*, user: AbstractBaseUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, tenant__is_active=True).select_related("tenant")


def membership_get(*, user: AbstractBaseUser, tenant_id: int) -> Membership | None:
    return memberships_for_user(user=user).filter(tenant_id=tenant_id).first()


def provider_credentials(*, tenant_id: int) -> dict[str, tuple[str, str]]:
    """The tenant's own provider keys as ``{provider_slug: (api_key, base_url)}``."""
    rows = ProviderCredential.objects.for_tenant(tenant_id).select_related("provider")
    return {row.provider.slug: (row.api_key, row.base_url) for row in rows}


def provider_credential_list(*, tenant: Tenant) -> QuerySet[ProviderCredential]:
    return ProviderCredential.objects.for_tenant(tenant).select_related("provider").order_by("provider__name")


def policy_get(*, tenant: Tenant) -> Policy:
    return (
        Policy.objects.for_tenant(tenant)
        .select_related("default_model", "router_model")
        .prefetch_related("disabled_models")
        .get()
    )
