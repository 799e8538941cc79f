"""Management API authentication: the same ``nr-`` API keys as the gateway, or a dashboard session.

A key acts for its tenant. A session acts for the user's current tenant, with the user's role.
"""

from __future__ import annotations

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.errors import ApplicationError
from tenants.models import Role, Tenant
from tenants.permissions import has_role
from tenants.selectors import Principal, api_key_authenticate


@dataclass
class ApiKeyUser:
    """Stands in for ``request.user`` when an API key authenticated the request."""

    principal: Principal
    tenant: Tenant
    is_authenticated: bool = True
    is_anonymous: bool = False
    pk: None = None


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.lower().startswith("bearer "):
            return None
        try:
            principal = api_key_authenticate(authorization=header)
        except ApplicationError as error:
            raise exceptions.AuthenticationFailed(error.message, code=error.code) from error
        tenant = Tenant.objects.get(pk=principal.tenant_id)
        return ApiKeyUser(principal=principal, tenant=tenant), principal

    def authenticate_header(self, request) -> str:
        return "Bearer"


def request_tenant(request) -> Tenant:
    """The tenant a management API request acts for (fails closed)."""
    user = request.user
    if isinstance(user, ApiKeyUser):
        return user.tenant
    tenant = getattr(request._request, "tenant", None)
    if tenant is None:
        raise exceptions.PermissionDenied("No tenant: log in to the dashboard or use an API key.")
    return tenant


class TenantWritePermission(BasePermission):
    """Keys may read and write their tenant's configuration; session users need the admin role to write."""

    def has_permission(self, request, view) -> bool:
        if isinstance(request.user, ApiKeyUser) or request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return has_role(getattr(request._request, "membership", None), Role.ADMIN)


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the key scheme in the OpenAPI schema."""

    target_class = "tenants.api_auth.ApiKeyAuthentication"
    name = "BearerApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A NeuralRouting API key (nr-…)."}
