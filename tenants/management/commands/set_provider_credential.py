from core.errors import ApplicationError
from core.management.json_command import JsonCommand
from tenants.models import Tenant
from tenants.services import provider_credential_set


class Command(JsonCommand):
    help = "Store a tenant's own provider key (encrypted at rest); the key itself is never printed."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="The tenant's slug.")
        parser.add_argument("--provider", required=True, help="openai, anthropic, google, deepseek, mistral, groq")
        parser.add_argument("--api-key", required=True)
        parser.add_argument("--base-url", default="", help="Overrides the provider's API base URL.")

    def run(self, *args, tenant, provider, api_key, base_url, **options):
        found = Tenant.objects.filter(slug=tenant).first()
        if found is None:
            raise ApplicationError(f"No tenant with slug '{tenant}'.", status=404, code="tenant_not_found")
        credential = provider_credential_set(tenant=found, provider_slug=provider, api_key=api_key, base_url=base_url)
        return {"tenant": found.slug, "provider": credential.provider.slug, "base_url": credential.base_url or None}
