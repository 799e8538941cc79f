"""Management API for routing (DRF): tenant routes and their examples, and decision feedback.

Authenticated by an ``nr-`` API key (acting for its tenant) or a dashboard session. Thin views:
each parses with a small serializer, calls one service or selector, and renders.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import ApplicationError
from routing.feedback import feedback_record
from routing.selectors import route_get, route_list
from routing.services import route_create, route_delete, route_examples_add, route_update
from tenants.api_auth import request_tenant


class TargetSerializer(serializers.Serializer):
    model = serializers.CharField(required=False, allow_blank=True)
    tier = serializers.ChoiceField(["economy", "standard", "premium"], required=False)
    mode = serializers.ChoiceField(["cost", "speed", "quality"], required=False)


class RouteInput(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    target = TargetSerializer()
    examples = serializers.ListField(child=serializers.CharField(max_length=2000), min_length=1, max_length=500)


class RouteOutput(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    target = serializers.SerializerMethodField()
    threshold = serializers.FloatField()
    fitted_f1 = serializers.FloatField(allow_null=True)
    enabled = serializers.BooleanField()
    examples = serializers.SerializerMethodField()

    def get_target(self, route) -> dict:
        if route.target_model_id:
            return {"model": route.target_model.name}
        return {"tier": route.target_tier} if route.target_tier else {"mode": route.target_mode}

    def get_examples(self, route) -> int:
        return getattr(route, "example_count", None) or route.examples.count()


class RoutePatch(serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    target = TargetSerializer(required=False)


class ExamplesInput(serializers.Serializer):
    examples = serializers.ListField(child=serializers.CharField(max_length=2000), min_length=1, max_length=500)


def _target_kwargs(target: dict) -> dict:
    return {
        "target_model": target.get("model") or None,
        "target_tier": target.get("tier", ""),
        "target_mode": target.get("mode", ""),
    }


class RouteListView(APIView):
    @extend_schema(responses=RouteOutput(many=True), tags=["Routes"])
    def get(self, request):
        return Response(RouteOutput(route_list(tenant=request_tenant(request)), many=True).data)

    @extend_schema(request=RouteInput, responses={201: RouteOutput}, tags=["Routes"])
    def post(self, request):
        data = RouteInput(data=request.data)
        data.is_valid(raise_exception=True)
        route = route_create(
            tenant=request_tenant(request),
            name=data.validated_data["name"],
            description=data.validated_data["description"],
            examples=data.validated_data["examples"],
            **_target_kwargs(data.validated_data["target"]),
        )
        return Response(RouteOutput(route).data, status=status.HTTP_201_CREATED)


class RouteDetailView(APIView):
    def _route(self, request, name):
        route = route_get(tenant=request_tenant(request), name=name)
        if route is None:
            raise ApplicationError("No such route.", status=404, code="route_not_found")
        return route

    @extend_schema(responses=RouteOutput, tags=["Routes"])
    def get(self, request, name: str):
        return Response(RouteOutput(self._route(request, name)).data)

    @extend_schema(request=RoutePatch, responses=RouteOutput, tags=["Routes"])
    def patch(self, request, name: str):
        data = RoutePatch(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        target = changes.pop("target", None)
        route = route_update(
            tenant=request_tenant(request),
            route=self._route(request, name),
            **changes,
            **(_target_kwargs(target) if target else {}),
        )
        return Response(RouteOutput(route).data)

    @extend_schema(responses={204: None}, tags=["Routes"])
    def delete(self, request, name: str):
        route_delete(tenant=request_tenant(request), route=self._route(request, name))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RouteExamplesView(RouteDetailView):
    @extend_schema(request=ExamplesInput, responses={201: dict}, tags=["Routes"])
    def post(self, request, name: str):
        data = ExamplesInput(data=request.data)
        data.is_valid(raise_exception=True)
        added = route_examples_add(
            tenant=request_tenant(request), route=self._route(request, name), texts=data.validated_data["examples"]
        )
        return Response({"added": added}, status=status.HTTP_201_CREATED)


class NegativesView(APIView):
    @extend_schema(
        request=ExamplesInput,
        responses={201: dict},
        tags=["Routes"],
        description="Utterances that must match no route.",
    )
    def post(self, request):
        data = ExamplesInput(data=request.data)
        data.is_valid(raise_exception=True)
        added = route_examples_add(tenant=request_tenant(request), route=None, texts=data.validated_data["examples"])
        return Response({"added": added}, status=status.HTTP_201_CREATED)


class FeedbackInput(serializers.Serializer):
    decision_id = serializers.UUIDField()
    rating = serializers.ChoiceField(["up", "down"])
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    task_type = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    prompt = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")


class FeedbackView(APIView):
    @extend_schema(
        request=FeedbackInput,
        responses={201: dict},
        tags=["Feedback"],
        description="Rate a decision. With `task_type` (and the `prompt`), the tenant's own task "
        "classifier learns from the correction.",
    )
    def post(self, request):
        data = FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = feedback_record(tenant=request_tenant(request), **data.validated_data)
        return Response(
            {
                "decision_id": str(feedback.decision_id),
                "rating": feedback.rating,
                "learned": bool(data.validated_data["prompt"] and data.validated_data["task_type"]),
            },
            status=status.HTTP_201_CREATED,
        )
