"""Management API for the shield's security events: ``GET /api/v1/security/events``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from routing.models import SecurityEvent
from routing.security.forms import CATEGORIES
from routing.security.selectors import SEVERITIES, security_events
from tenants.api_auth import request_tenant


class EventsQuery(serializers.Serializer):
    category = serializers.ChoiceField([c for c, _ in CATEGORIES], required=False)
    severity = serializers.ChoiceField(SEVERITIES, required=False)
    action = serializers.ChoiceField(SecurityEvent.Action.values, required=False)
    since = serializers.DateTimeField(required=False)
    limit = serializers.IntegerField(min_value=1, max_value=500, default=100)


class EventOutput(serializers.ModelSerializer):
    class Meta:
        model = SecurityEvent
        fields = [
            "id",
            "created_at",
            "decision_id",
            "category",
            "rule",
            "severity",
            "action",
            "message_index",
            "explanation",
            "excerpt",
            "api_key_prefix",
            "end_user",
            "ruleset_version",
        ]


class SecurityEventsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, enum=[c for c, _ in CATEGORIES]),
            OpenApiParameter("severity", str, enum=list(SEVERITIES)),
            OpenApiParameter("action", str, enum=SecurityEvent.Action.values),
            OpenApiParameter("since", str, description="ISO 8601 date-time."),
            OpenApiParameter("limit", int, description="1 to 500, default 100."),
        ],
        responses=EventOutput(many=True),
        tags=["Security"],
        description="What the shield found in this tenant's requests, newest first. Excerpts mask "
        "personal data and secrets.",
    )
    def get(self, request):
        query = EventsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        limit = filters.pop("limit")
        events = security_events(tenant=request_tenant(request), **filters)[:limit]
        return Response(EventOutput(events, many=True).data)
