"""Resolve the dashboard's current tenant once per request (``request.tenant``, ``request.membership``)."""

from __future__ import annotations

from tenants.selectors import membership_get, memberships_for_user

SESSION_KEY = "tenant_id"


class CurrentTenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        request.membership = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            membership = None
            tenant_id = request.session.get(SESSION_KEY)
            if tenant_id is not None:
                membership = membership_get(user=user, tenant_id=tenant_id)
            if membership is None:
                membership = memberships_for_user(user=user).order_by("created_at").first()
                if membership is not None:
                    request.session[SESSION_KEY] = membership.tenant_id
            if membership is not None:
                request.membership = membership
                request.tenant = membership.tenant
        return self.get_response(request)
