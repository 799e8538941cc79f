"""The dashboard's Cache page: hit rate and money saved, the stored answers, invalidation, settings."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from routing.cache.forms import CachePolicyForm, InvalidateForm
from routing.cache.selectors import cache_daily, cache_entries, cache_entry_get, cache_models, cache_stats
from routing.cache.services import cache_invalidate
from routing.policy_pages import save_policy_form
from tenants.models import Role
from tenants.permissions import has_role, tenant_required
from tenants.selectors import policy_get

WINDOW_DAYS = 30
PAGE = 50


def _chart(days) -> dict:
    return {
        "labels": [d.day.strftime("%b %d") for d in days],
        "exact": [d.exact_hits for d in days],
        "semantic": [d.semantic_hits for d in days],
        "misses": [d.lookups - d.exact_hits - d.semantic_hits for d in days],
        "saved": [str(d.saved_usd) for d in days],
        "series": [
            {"label": "Exact hits", "key": "exact", "color": "#16a34a"},
            {"label": "Semantic hits", "key": "semantic", "color": "#4f46e5"},
            {"label": "Misses", "key": "misses", "color": "#d1d5db"},
        ],
        "footer": {"label": "Saved", "key": "saved"},
    }


def _entries_context(request) -> dict:
    model = request.GET.get("model") or None
    return {
        "entries": cache_entries(tenant=request.tenant, model=model)[:PAGE],
        "models": cache_models(tenant=request.tenant),
        "model": model,
        "can_edit": has_role(request.membership, Role.ADMIN),
        "now": timezone.now(),
    }


@tenant_required()
def cache_view(request):
    can_edit = has_role(request.membership, Role.ADMIN)
    policy = policy_get(tenant=request.tenant)
    form = CachePolicyForm(request.POST or None, initial=CachePolicyForm.initial_from(policy))
    saved = save_policy_form(
        request,
        form,
        success="Cache settings saved: they apply to the next request.",
        refusal="Only admins and owners change the cache.",
        redirect_to="routing:cache",
    )
    if saved is not None:
        return saved
    now = timezone.now()
    start = (now - datetime.timedelta(days=WINDOW_DAYS - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    if request.htmx and request.GET.get("part") == "entries":
        return render(request, "routing/cache.html#entries", _entries_context(request))
    if request.htmx and request.GET.get("part") == "kpis":
        return render(request, "routing/cache.html#kpis", {"stats": cache_stats(tenant=request.tenant, since=start)})
    context = {
        "form": form,
        "can_edit": can_edit,
        "stats": cache_stats(tenant=request.tenant, since=start),
        "chart": _chart(cache_daily(tenant=request.tenant, start=start, end=now + datetime.timedelta(seconds=1))),
        "window_days": WINDOW_DAYS,
        **_entries_context(request),
    }
    return render(request, "routing/cache.html", context, status=400 if form.errors else 200)


def _after_change(request, text: str):
    """HTMX swaps the entries table in place; a plain form post goes back to the page."""
    if request.htmx:
        response = render(request, "routing/cache.html#entries", _entries_context(request))
        response["HX-Trigger"] = "cache-changed"
        return response
    messages.success(request, text)
    return redirect("routing:cache")


@tenant_required(Role.ADMIN)
@require_POST
def cache_invalidate_view(request):
    form = InvalidateForm(request.POST)
    if not form.is_valid():
        raise Http404("Unknown model.")
    model = form.cleaned_data["model"] or None
    try:
        deleted = cache_invalidate(tenant=request.tenant, model=model)
    except ApplicationError as error:
        raise Http404(error.message) from error
    what = f"{model}'s answers" if model else "the whole cache"
    return _after_change(request, f"Invalidated {what}: {deleted} entr{'y' if deleted == 1 else 'ies'} removed.")


@tenant_required(Role.ADMIN)
@require_POST
def cache_entry_delete_view(request, entry_id: int):
    if cache_entry_get(tenant=request.tenant, entry_id=entry_id) is None:
        raise Http404("No such cache entry.")
    cache_invalidate(tenant=request.tenant, entry_id=entry_id)
    return _after_change(request, "Entry removed: the next identical request is answered fresh.")
