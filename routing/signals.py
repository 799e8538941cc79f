"""Catalog edits (prices, models switched off) reach every gateway process at once."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.invalidation import publish
from routing.models import LLMModel, Provider


@receiver([post_save, post_delete], sender=LLMModel)
@receiver([post_save, post_delete], sender=Provider)
def _catalog_changed(sender, instance, **kwargs) -> None:
    publish("catalog")
