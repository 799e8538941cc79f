"""What the dashboard pages that edit part of the tenant's policy (routing, cache, shield) share."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from core.errors import ApplicationError
from tenants.models import Role
from tenants.permissions import has_role
from tenants.services import policy_update


def save_policy_form(request, form, *, success: str, refusal: str, redirect_to: str):
    """Handle a POST of ``form``: admins only; a response when done (or refused), else None (re-render)."""
    if request.method != "POST":
        return None
    if not has_role(request.membership, Role.ADMIN):
        return render(request, "403.html", {"reason": refusal}, status=403)
    if form.is_valid():
        try:
            policy_update(tenant=request.tenant, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.param if error.param in form.fields else None, error.message)
        else:
            messages.success(request, success)
            return redirect(redirect_to)
    return None
