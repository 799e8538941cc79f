from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.management.json_command import JsonCommand
from tenants.models import Role, Tenant
from tenants.services import api_key_create, membership_set, tenant_create, user_get_or_create

DEMO_SLUG = "demo"
DEMO_NAME = "Demo Company"
DEMO_LOGIN = "demo@neuralrouting.local"
DEMO_PASSWORD = "neuralrouting-demo"  # noqa: S105 - a local demo account, printed on purpose


class Command(JsonCommand):
    help = "Create (once) the demo tenant and its owner, and print a fresh API key for it."

    @transaction.atomic
    def run(self, *args, **options):
        user, _ = user_get_or_create(email=DEMO_LOGIN)
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        tenant = Tenant.objects.filter(slug=DEMO_SLUG).first() or tenant_create(name=DEMO_NAME, slug=DEMO_SLUG)
        membership_set(tenant=tenant, user=user, role=Role.OWNER)
        created = api_key_create(tenant=tenant, name=f"demo {timezone.now():%Y-%m-%d %H:%M:%S}")
        return {
            "tenant": tenant.slug,
            "login": DEMO_LOGIN,
            "password": DEMO_PASSWORD,
            "api_key": created.key,
            "url": settings.NR_PUBLIC_URL,
        }
