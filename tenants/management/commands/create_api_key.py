from core.errors import ApplicationError
from core.management.json_command import JsonCommand
from tenants.models import Tenant
from tenants.services import api_key_create


class Command(JsonCommand):
    help = 'Create an API key: prints {"key", "prefix", "tenant", "name"}; the key is shown only here.'

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="The tenant's slug.")
        parser.add_argument("--name", required=True)

    def run(self, *args, tenant, name, **options):
        found = Tenant.objects.filter(slug=tenant).first()
        if found is None:
            raise ApplicationError(f"No tenant with slug '{tenant}'.", status=404, code="tenant_not_found")
        created = api_key_create(tenant=found, name=name)
        return {
            "key": created.key,
            "prefix": created.api_key.display_prefix,
            "tenant": found.slug,
            "name": created.api_key.name,
        }
