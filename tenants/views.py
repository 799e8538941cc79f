"""Dashboard pages for accounts, tenants and API keys. Views parse, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from tenants.forms import ApiKeyCreateForm, SignupForm
from tenants.middleware import SESSION_KEY
from tenants.models import Role
from tenants.permissions import can_revoke_key, has_role, tenant_required
from tenants.selectors import api_key_get, api_key_list, membership_get
from tenants.services import api_key_create, api_key_revoke, signup


def signup_view(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, tenant = signup(**form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.param if error.param in form.fields else None, error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = tenant.pk
            messages.success(request, f"Welcome! {tenant.name} is ready: create an API key to send traffic.")
            return redirect("tenants:api_keys")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def no_tenant(request):
    return render(request, "tenants/no_tenant.html")


@login_required
@require_POST
def switch_tenant(request):
    membership = membership_get(user=request.user, tenant_id=_int(request.POST.get("tenant_id")))
    if membership is None:
        raise Http404("No such tenant.")
    request.session[SESSION_KEY] = membership.tenant_id
    return redirect(request.POST.get("next") or "finops:overview")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _keys_context(request, **extra):
    keys = list(api_key_list(tenant=request.tenant))
    for key in keys:
        key.can_revoke = not key.revoked and can_revoke_key(request.membership, key)
    return {
        "keys": keys,
        "can_create": has_role(request.membership, Role.MEMBER),
        "form": extra.pop("form", None) or ApiKeyCreateForm(),
        **extra,
    }


@tenant_required()
def api_keys(request):
    return render(request, "tenants/api_keys.html", _keys_context(request))


@tenant_required(Role.MEMBER)
@require_POST
def api_key_create_view(request):
    form = ApiKeyCreateForm(request.POST)
    created = None
    if form.is_valid():
        try:
            created = api_key_create(
                tenant=request.tenant,
                name=form.cleaned_data["name"],
                created_by=request.user,
                expires_at=form.expires_at(timezone.now()),
            )
        except ApplicationError as error:
            form.add_error("name", error.message)
    context = _keys_context(request, form=form if created is None else None, created=created)
    template = "tenants/api_keys.html#keys" if request.htmx else "tenants/api_keys.html"
    return render(request, template, context, status=200 if created or form.is_valid() else 400)


@tenant_required(Role.MEMBER)
@require_POST
def api_key_revoke_view(request, prefix: str):
    key = api_key_get(tenant=request.tenant, prefix=prefix)
    if key is None:
        raise Http404("No such API key.")
    if not can_revoke_key(request.membership, key):
        return render(request, "403.html", {"reason": "You can only revoke keys you created."}, status=403)
    api_key_revoke(tenant=request.tenant, prefix=prefix, revoked_by=request.user)
    context = _keys_context(request, revoked=key.name)
    template = "tenants/api_keys.html#keys" if request.htmx else "tenants/api_keys.html"
    return render(request, template, context)
