"""Who may do what in the dashboard, by membership role."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from tenants.models import Role

RANK = {Role.VIEWER: 0, Role.MEMBER: 1, Role.ADMIN: 2, Role.OWNER: 3}


def has_role(membership, minimum: str) -> bool:
    return membership is not None and RANK[membership.role] >= RANK[minimum]


def can_revoke_key(membership, api_key) -> bool:
    """Admins and owners revoke any key; members only the keys they created."""
    if has_role(membership, Role.ADMIN):
        return True
    return has_role(membership, Role.MEMBER) and api_key.created_by_id == membership.user_id


def tenant_required(minimum: str = Role.VIEWER):
    """A dashboard view that needs a logged-in member of the current tenant with at least ``minimum``."""

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.tenant is None:
                return redirect("tenants:no_tenant")
            if not has_role(request.membership, minimum):
                raise PermissionDenied(f"This needs the {minimum} role or higher.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
