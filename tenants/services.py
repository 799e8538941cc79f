"""Writes for tenants: sign-up, members, API keys, provider credentials, policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.errors import ApplicationError
from routing.models import LLMModel, Provider
from tenants.models import ApiKey, Membership, Policy, ProviderCredential, Role, Tenant

DEFAULT_MODEL_NAME = "gpt-4o-mini"

User = get_user_model()


@dataclass(frozen=True)
class ApiKeyCreated:
    """The stored key and its full secret, which is shown exactly once."""

    api_key: ApiKey
    key: str


def _default_model() -> LLMModel:
    model = LLMModel.objects.filter(name=DEFAULT_MODEL_NAME, is_active=True).first()
    model = model or LLMModel.objects.filter(is_active=True).order_by("input_price_per_mtok").first()
    if model is None:
        raise ApplicationError("The model catalog is empty: run the migrations.", status=409, code="no_catalog")
    return model


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "tenant"
    slug, n = base, 1
    while Tenant.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def tenant_create(*, name: str, slug: str | None = None, owner: AbstractBaseUser | None = None) -> Tenant:
    """Create a tenant with its default policy, and make ``owner`` its owner."""
    name = name.strip()
    if not name:
        raise ApplicationError("A tenant needs a name.", param="name")
    if slug is not None:
        slug = slugify(slug)
        if not slug:
            raise ApplicationError("The slug must contain letters or digits.", param="slug")
        if Tenant.objects.filter(slug=slug).exists():
            raise ApplicationError(
                f"A tenant with slug '{slug}' already exists.", status=409, code="slug_taken", param="slug"
            )
    try:
        with transaction.atomic():
            tenant = Tenant.objects.create(name=name, slug=slug or _unique_slug(name))
    except IntegrityError as exc:
        raise ApplicationError(
            "A tenant with that slug already exists.", status=409, code="slug_taken", param="slug"
        ) from exc
    Policy.objects.create(tenant=tenant, default_model=_default_model())
    if owner is not None:
        Membership.objects.create(user=owner, tenant=tenant, role=Role.OWNER)
    return tenant


def user_get_or_create(*, email: str, password: str | None = None) -> tuple[AbstractBaseUser, bool]:
    """A dashboard user identified by e-mail (also their username)."""
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(username=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(username=email, email=email, password=password)
    return user, True


@transaction.atomic
def signup(*, email: str, password: str, organization: str) -> tuple[AbstractBaseUser, Tenant]:
    """A new user and the tenant they own."""
    email = email.strip().lower()
    if User.objects.filter(username=email).exists():
        raise ApplicationError(
            "An account with this e-mail already exists.", status=409, code="email_taken", param="email"
        )
    user, _ = user_get_or_create(email=email, password=password)
    tenant = tenant_create(name=organization, owner=user)
    return user, tenant


def membership_set(*, tenant: Tenant, user: AbstractBaseUser, role: str) -> Membership:
    if role not in Role.values:
        raise ApplicationError(f"Unknown role '{role}'.", param="role")
    membership, _ = Membership.objects.update_or_create(tenant=tenant, user=user, defaults={"role": role})
    return membership


def api_key_create(
    *,
    tenant: Tenant,
    name: str,
    created_by: AbstractBaseUser | None = None,
    expires_at: datetime.datetime | None = None,
) -> ApiKeyCreated:
    """A new API key; the returned ``key`` is the only time the secret exists in clear."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError("An API key needs a name.", param="name")
    if len(name) > 50:
        raise ApplicationError("An API key name has at most 50 characters.", param="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise ApplicationError("The expiry must be in the future.", param="expires_at")
    api_key, key = ApiKey.objects.create_key(tenant=tenant, name=name, created_by=created_by, expiry_date=expires_at)
    return ApiKeyCreated(api_key=api_key, key=key)


def api_key_revoke(*, tenant: Tenant, prefix: str, revoked_by: AbstractBaseUser | None = None) -> ApiKey:
    """Revoke one of the tenant's keys; another tenant's key is "not found", never revoked."""
    api_key = ApiKey.objects.for_tenant(tenant).filter(prefix=prefix.removeprefix("nr-")).first()
    if api_key is None:
        raise ApplicationError("No such API key.", status=404, code="api_key_not_found")
    if not api_key.revoked:
        api_key.revoked = True
        api_key.revoked_at = timezone.now()
        api_key.revoked_by = revoked_by
        api_key.save(update_fields=["revoked", "revoked_at", "revoked_by"])
    return api_key


def api_keys_mark_used(*, api_key_ids: list[str], at: datetime.datetime) -> int:
    """Record when keys were last used (the gateway calls this at most once a minute per key)."""
    if not api_key_ids:
        return 0
    return ApiKey.objects.filter(pk__in=api_key_ids).update(last_used_at=at)


def provider_credential_set(
    *,
    tenant: Tenant,
    provider_slug: str,
    api_key: str,
    base_url: str = "",
    created_by: AbstractBaseUser | None = None,
) -> ProviderCredential:
    """Store (or replace) the tenant's own key for a provider, encrypted at rest."""
    provider = Provider.objects.filter(slug=provider_slug).first()
    if provider is None:
        raise ApplicationError(
            f"Unknown provider '{provider_slug}'.", status=404, code="provider_not_found", param="provider"
        )
    if not api_key.strip():
        raise ApplicationError("The provider API key is empty.", param="api_key")
    credential, _ = ProviderCredential.objects.update_or_create(
        tenant=tenant,
        provider=provider,
        defaults={"api_key": api_key.strip(), "base_url": base_url.strip(), "created_by": created_by},
    )
    return credential


def provider_credential_delete(*, tenant: Tenant, provider_slug: str) -> bool:
    deleted, _ = ProviderCredential.objects.for_tenant(tenant).filter(provider__slug=provider_slug).delete()
    return bool(deleted)


def _catalog_model(name: str, param: str) -> LLMModel:
    model = LLMModel.objects.filter(name=name, is_active=True).first()
    if model is None:
        raise ApplicationError(f"Unknown model '{name}'.", status=404, code="model_not_found", param=param)
    return model


POLICY_FIELDS = frozenset(
    {
        "mode",
        "rate_limit_rpm",
        "cognitive_enabled",
        "cognitive_threshold",
        "tool_pruning_top_k",
        "custom_rules",
        "cache_enabled",
        "cache_semantic",
        "cache_threshold",
        "cache_ttl_seconds",
        "cache_max_entries",
        "cache_max_temperature",
        "cache_tool_requests",
        "cache_per_user",
        "shield_enabled",
        "shield_enforce",
        "shield_semantic",
        "pii_action",
        "shield_allowlist",
    }
)
ALLOWLIST_MAX_ENTRIES, ALLOWLIST_MAX_LENGTH = 200, 200


def _check_allowlist(entries) -> list[str]:
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise ApplicationError("The shield allow-list is a list of strings.", param="shield_allowlist")
    cleaned = [e.strip() for e in entries if e.strip()]
    if len(cleaned) > ALLOWLIST_MAX_ENTRIES or any(len(e) > ALLOWLIST_MAX_LENGTH for e in cleaned):
        raise ApplicationError(
            f"The shield allow-list takes at most {ALLOWLIST_MAX_ENTRIES} entries of {ALLOWLIST_MAX_LENGTH} "
            "characters.",
            param="shield_allowlist",
        )
    return list(dict.fromkeys(cleaned))


@transaction.atomic
def policy_update(*, tenant: Tenant, **changes) -> Policy:
    """Change a tenant's policy; every gateway process picks it up on its next request."""
    from routing.pipeline.rules import parse_rules

    policy = Policy.objects.for_tenant(tenant).select_related("default_model").get()
    if "default_model" in changes:
        policy.default_model = _catalog_model(changes.pop("default_model"), "default_model")
    if "router_model" in changes:
        name = changes.pop("router_model")
        policy.router_model = _catalog_model(name, "router_model") if name else None
    disabled = changes.pop("disabled_models", None)
    if "custom_rules" in changes:
        parse_rules(changes["custom_rules"])  # refuses bad rules with a 400 naming the problem
    if "shield_allowlist" in changes:
        changes["shield_allowlist"] = _check_allowlist(changes["shield_allowlist"])
    for field, value in changes.items():
        if field not in POLICY_FIELDS:
            raise ApplicationError(f"Unknown policy field '{field}'.", param=field)
        setattr(policy, field, value)
    if not 0.5 <= policy.cache_threshold <= 1:
        raise ApplicationError("The cache threshold is a cosine similarity between 0.5 and 1.", param="cache_threshold")
    if not 0 <= policy.cognitive_threshold <= 1:
        raise ApplicationError("The cognitive threshold is a confidence between 0 and 1.", param="cognitive_threshold")
    try:
        policy.full_clean()
    except ValidationError as error:
        field, problems = next(iter(error.message_dict.items()))
        raise ApplicationError(f"{field}: {problems[0]}", param=field) from error
    policy.save()
    if disabled is not None:
        models = [_catalog_model(name, "disabled_models") for name in disabled]
        if policy.default_model in models:
            raise ApplicationError("The default model cannot be disabled.", param="disabled_models")
        policy.disabled_models.set(models)
    return policy
