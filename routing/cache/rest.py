"""Management API for the answer cache: what it saved, what it holds, and invalidation.

``GET /api/v1/cache`` (stats), ``DELETE /api/v1/cache[?model=…]`` (all, or one model's),
``GET /api/v1/cache/entries[?model=…]`` and ``DELETE /api/v1/cache/entries/{id}``.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import ApplicationError
from routing.cache.selectors import cache_entries, cache_entry_get, cache_stats
from routing.cache.services import cache_invalidate
from tenants.api_auth import request_tenant

MODEL_PARAM = OpenApiParameter("model", str, description="Only this model's answers.")


class StatsQuery(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=366, default=30)


class StatsOutput(serializers.Serializer):
    days = serializers.IntegerField()
    entries = serializers.IntegerField()
    lookups = serializers.IntegerField()
    exact_hits = serializers.IntegerField()
    semantic_hits = serializers.IntegerField()
    hit_rate = serializers.FloatField(allow_null=True)
    saved_usd = serializers.DecimalField(max_digits=20, decimal_places=10)


class EntriesQuery(serializers.Serializer):
    model = serializers.CharField(max_length=100, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=500, default=50)


class EntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    model = serializers.CharField(source="model_name")
    requested_model = serializers.CharField()
    provider = serializers.CharField()
    simulated = serializers.BooleanField()
    semantic = serializers.SerializerMethodField()
    prompt_preview = serializers.CharField()
    task_type = serializers.CharField()
    end_user = serializers.CharField()
    input_tokens = serializers.IntegerField()
    output_tokens = serializers.IntegerField()
    cost_usd = serializers.DecimalField(max_digits=20, decimal_places=10)
    hits = serializers.IntegerField()
    last_hit_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()

    def get_semantic(self, entry) -> bool:
        """Whether paraphrases can hit this entry (single-turn prompts), or only identical requests."""
        return bool(entry.semantic_key)


class InvalidateQuery(serializers.Serializer):
    model = serializers.CharField(max_length=100, required=False)


def _query(serializer_class, request):
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class CacheView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("days", int, description="Window of the hit counts (1 to 366, default 30).")],
        responses=StatsOutput,
        tags=["Cache"],
        description="Entries held, lookups, exact and semantic hits and the money the cache saved "
        "(the GPT-4o baseline cost of each replayed answer).",
    )
    def get(self, request):
        days = _query(StatsQuery, request)["days"]
        stats = cache_stats(tenant=request_tenant(request), since=timezone.now() - datetime.timedelta(days=days))
        return Response(
            StatsOutput(
                {
                    "days": days,
                    "entries": stats.entries,
                    "lookups": stats.lookups,
                    "exact_hits": stats.exact_hits,
                    "semantic_hits": stats.semantic_hits,
                    "hit_rate": stats.hit_rate,
                    "saved_usd": stats.saved_usd,
                }
            ).data
        )

    @extend_schema(
        parameters=[MODEL_PARAM],
        responses={200: dict},
        tags=["Cache"],
        description="Invalidate the tenant's whole cache, or only the answers of one model.",
    )
    def delete(self, request):
        model = _query(InvalidateQuery, request).get("model")
        return Response({"deleted": cache_invalidate(tenant=request_tenant(request), model=model)})


class CacheEntriesView(APIView):
    @extend_schema(
        parameters=[MODEL_PARAM, OpenApiParameter("limit", int, description="1 to 500, default 50.")],
        responses=EntryOutput(many=True),
        tags=["Cache"],
    )
    def get(self, request):
        query = _query(EntriesQuery, request)
        entries = cache_entries(tenant=request_tenant(request), model=query.get("model"))[: query["limit"]]
        return Response(EntryOutput(entries, many=True).data)


class CacheEntryView(APIView):
    @extend_schema(responses={204: None}, tags=["Cache"])
    def delete(self, request, entry_id: int):
        tenant = request_tenant(request)
        if cache_entry_get(tenant=tenant, entry_id=entry_id) is None:
            raise ApplicationError("No such cache entry.", status=404, code="cache_entry_not_found")
        cache_invalidate(tenant=tenant, entry_id=entry_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
