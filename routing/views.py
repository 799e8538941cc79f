"""Dashboard pages for routing: the tenant's policy, provider keys and routes (custom intents)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from routing.forms import CredentialForm, ExamplesForm, PolicyForm, RouteForm
from routing.policy_pages import save_policy_form
from routing.selectors import catalog_models, providers, route_examples, route_get, route_list
from routing.services import route_create, route_delete, route_examples_add, route_update
from tenants.models import Role
from tenants.permissions import has_role, tenant_required
from tenants.selectors import policy_get, provider_credential_list
from tenants.services import provider_credential_delete, provider_credential_set


def _model_names() -> list[str]:
    return [m.name for m in catalog_models()]


def _policy_initial(policy) -> dict:
    return {
        "mode": policy.mode,
        "default_model": policy.default_model.name,
        "rate_limit_rpm": policy.rate_limit_rpm,
        "cognitive_enabled": policy.cognitive_enabled,
        "cognitive_threshold": policy.cognitive_threshold,
        "router_model": policy.router_model.name if policy.router_model else "",
        "tool_pruning_top_k": policy.tool_pruning_top_k,
        "disabled_models": [m.name for m in policy.disabled_models.all()],
        "custom_rules": json.dumps(policy.custom_rules, indent=2) if policy.custom_rules else "",
    }


@tenant_required()
def settings_view(request):
    policy = policy_get(tenant=request.tenant)
    can_edit = has_role(request.membership, Role.ADMIN)
    form = PolicyForm(request.POST or None, initial=_policy_initial(policy), model_names=_model_names())
    saved = save_policy_form(
        request,
        form,
        success="Routing settings saved: they apply to the next request.",
        refusal="Only admins and owners change routing.",
        redirect_to="routing:settings",
    )
    if saved is not None:
        return saved
    credentials = {c.provider.slug for c in provider_credential_list(tenant=request.tenant)}
    deployment = {slug for slug, (key, _) in settings.NR_PROVIDER_ENV.items() if key}
    models = [
        {
            "model": m,
            "disabled": m.name in form.initial.get("disabled_models", []),
            "simulated": m.provider.slug not in credentials | deployment,
        }
        for m in catalog_models()
    ]
    return render(
        request,
        "routing/settings.html",
        {"form": form, "models": models, "can_edit": can_edit},
        status=400 if form.errors else 200,
    )


@tenant_required()
def providers_view(request):
    can_edit = has_role(request.membership, Role.ADMIN)
    choices = [(p.slug, p.name) for p in providers()]
    form = CredentialForm(request.POST or None, providers=choices)
    if request.method == "POST":
        if not can_edit:
            return render(request, "403.html", {"reason": "Only admins and owners manage provider keys."}, status=403)
        if form.is_valid():
            try:
                provider_credential_set(
                    tenant=request.tenant,
                    provider_slug=form.cleaned_data["provider"],
                    api_key=form.cleaned_data["api_key"],
                    base_url=form.cleaned_data["base_url"],
                    created_by=request.user,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Key saved (encrypted). Requests for this provider's models now use it.")
                return redirect("routing:providers")
    own = {c.provider.slug: c for c in provider_credential_list(tenant=request.tenant)}
    rows = [
        {
            "provider": p,
            "credential": own.get(p.slug),
            "deployment": bool(settings.NR_PROVIDER_ENV.get(p.slug, ("",))[0]),
        }
        for p in providers()
    ]
    return render(
        request,
        "routing/providers.html",
        {"form": form, "rows": rows, "can_edit": can_edit},
        status=400 if form.errors else 200,
    )


@tenant_required(Role.ADMIN)
@require_POST
def provider_delete_view(request, slug: str):
    if not provider_credential_delete(tenant=request.tenant, provider_slug=slug):
        raise Http404("No key stored for this provider.")
    messages.success(request, "Key removed: this provider's models are answered by the simulator again.")
    return redirect("routing:providers")


@tenant_required()
def routes_view(request):
    can_edit = has_role(request.membership, Role.ADMIN)
    form = RouteForm(request.POST or None, model_names=_model_names())
    if request.method == "POST":
        if not can_edit:
            return render(request, "403.html", {"reason": "Only admins and owners manage routes."}, status=403)
        if form.is_valid():
            try:
                route = route_create(
                    tenant=request.tenant,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    examples=form.example_lines(),
                    **form.target(),
                )
            except ApplicationError as error:
                form.add_error(error.param if error.param in form.fields else None, error.message)
            else:
                messages.success(request, f"Route '{route.name}' is live.")
                return redirect("routing:route", name=route.name)
    context = {
        "form": form,
        "routes": route_list(tenant=request.tenant),
        "can_edit": can_edit,
        "negatives": route_examples(tenant=request.tenant, route=None)[:50],
        "negatives_form": ExamplesForm(),
    }
    return render(request, "routing/routes.html", context, status=400 if form.errors else 200)


def _route_or_404(request, name: str):
    route = route_get(tenant=request.tenant, name=name)
    if route is None:
        raise Http404("No such route.")
    return route


@tenant_required()
def route_view(request, name: str):
    route = _route_or_404(request, name)
    form = ExamplesForm(request.POST or None)
    if request.method == "POST":
        if not has_role(request.membership, Role.ADMIN):
            return render(request, "403.html", {"reason": "Only admins and owners manage routes."}, status=403)
        if form.is_valid():
            try:
                added = route_examples_add(tenant=request.tenant, route=route, texts=form.lines())
            except ApplicationError as error:
                form.add_error("examples", error.message)
            else:
                messages.success(request, f"{added} example(s) added; the route's threshold was refitted.")
                return redirect("routing:route", name=route.name)
    context = {
        "route": route,
        "examples": route_examples(tenant=request.tenant, route=route),
        "form": form,
        "can_edit": has_role(request.membership, Role.ADMIN),
    }
    return render(request, "routing/route_detail.html", context, status=400 if form.errors else 200)


@tenant_required(Role.ADMIN)
@require_POST
def route_toggle_view(request, name: str):
    route = _route_or_404(request, name)
    route_update(tenant=request.tenant, route=route, enabled=not route.enabled)
    return redirect("routing:route", name=route.name)


@tenant_required(Role.ADMIN)
@require_POST
def route_delete_view(request, name: str):
    route_delete(tenant=request.tenant, route=_route_or_404(request, name))
    messages.success(request, f"Route '{name}' deleted.")
    return redirect("routing:routes")


@tenant_required(Role.ADMIN)
@require_POST
def negatives_add_view(request):
    form = ExamplesForm(request.POST)
    if form.is_valid():
        try:
            added = route_examples_add(tenant=request.tenant, route=None, texts=form.lines())
            messages.success(request, f"{added} negative example(s) added.")
        except ApplicationError as error:
            messages.error(request, error.message)
    return redirect("routing:routes")
