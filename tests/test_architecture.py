"""Rules the code keeps: tenant data is read through selectors, modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ["config", "core", "tenants", "routing", "finops"]


def product_modules():
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_views_never_query_models_directly():
    offenders = []
    for path in product_modules():
        if path.name != "views.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"views must go through selectors/services: {offenders}"


def test_every_tenant_owned_model_has_a_tenant_key_and_a_scoped_manager():
    from tenants.models import TenantOwnedQuerySet

    owned = [m for m in apps.get_models() if any(f.name == "tenant" for f in m._meta.fields)]
    assert len(owned) >= 5
    unscoped = [m._meta.label for m in owned if not isinstance(m.objects.all(), TenantOwnedQuerySet)]
    assert not unscoped, unscoped


def test_modules_stay_under_400_lines():
    long = [f"{p.relative_to(ROOT)} ({n})" for p in product_modules() if (n := len(p.read_text().splitlines())) > 400]
    assert not long, long
