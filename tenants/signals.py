"""Every change that affects how a key authenticates or routes, from any code path (services,
the admin, the shell), invalidates the gateways' caches."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core.invalidation import publish
from tenants.models import ApiKey, Policy, ProviderCredential, Tenant


@receiver([post_save, post_delete], sender=ApiKey)
@receiver([post_save, post_delete], sender=Policy)
@receiver([post_save, post_delete], sender=ProviderCredential)
def _tenant_data_changed(sender, instance, **kwargs) -> None:
    publish("tenant", tenant_id=instance.tenant_id)


@receiver([post_save, post_delete], sender=Tenant)
def _tenant_changed(sender, instance, **kwargs) -> None:
    publish("tenant", tenant_id=instance.pk)


@receiver(m2m_changed, sender=Policy.disabled_models.through)
def _disabled_models_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, Policy):
        publish("tenant", tenant_id=instance.tenant_id)
