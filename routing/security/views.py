"""The dashboard's Security page: what the shield blocked, redacted and flagged, and its settings."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from routing.policy_pages import save_policy_form
from routing.security.forms import CATEGORIES, EventFilterForm, ShieldPolicyForm
from routing.security.selectors import security_by_category, security_daily, security_events, security_totals
from routing.shield import RULESET_VERSION
from tenants.models import Role
from tenants.permissions import has_role, tenant_required
from tenants.selectors import policy_get

WINDOW_DAYS = 30
PAGE = 50


def _events_context(request) -> dict:
    filters = EventFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    events = security_events(tenant=request.tenant, **{k: v for k, v in chosen.items() if v})
    page = Paginator(events, PAGE).get_page(request.GET.get("page"))
    names = dict(CATEGORIES)
    for event in page:
        event.category_name = names.get(event.category, event.category)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("part", None)
    return {"filters": filters, "page": page, "query": query.urlencode()}


@tenant_required()
def security_view(request):
    can_edit = has_role(request.membership, Role.ADMIN)
    policy = policy_get(tenant=request.tenant)
    form = ShieldPolicyForm(request.POST or None, initial=ShieldPolicyForm.initial_from(policy))
    saved = save_policy_form(
        request,
        form,
        success="Shield settings saved: they apply to the next request.",
        refusal="Only admins and owners change the shield.",
        redirect_to="routing:security",
    )
    if saved is not None:
        return saved
    if request.htmx and request.GET.get("part") == "events":
        return render(request, "routing/security.html#events", _events_context(request))
    now = timezone.now()
    start = (now - datetime.timedelta(days=WINDOW_DAYS - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    days = security_daily(tenant=request.tenant, start=start, end=now + datetime.timedelta(seconds=1))
    context = {
        "form": form,
        "can_edit": can_edit,
        "window_days": WINDOW_DAYS,
        "ruleset": RULESET_VERSION,
        "totals": security_totals(tenant=request.tenant, since=start),
        "by_category": security_by_category(tenant=request.tenant, since=start),
        "chart": {
            "labels": [d.day.strftime("%b %d") for d in days],
            "blocked": [d.blocked for d in days],
            "redacted": [d.redacted for d in days],
            "flagged": [d.flagged for d in days],
            "series": [
                {"label": "Blocked", "key": "blocked", "color": "#dc2626"},
                {"label": "Redacted", "key": "redacted", "color": "#4f46e5"},
                {"label": "Flagged", "key": "flagged", "color": "#f59e0b"},
            ],
        },
        **_events_context(request),
    }
    return render(request, "routing/security.html", context, status=400 if form.errors else 200)
