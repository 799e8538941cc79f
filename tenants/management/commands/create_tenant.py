from core.management.json_command import JsonCommand
from tenants.services import tenant_create, user_get_or_create


class Command(JsonCommand):
    help = 'Create a tenant: prints {"tenant", "id", "owner"}.'

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug")
        parser.add_argument("--owner-email")

    def run(self, *args, name, slug=None, owner_email=None, **options):
        owner = user_get_or_create(email=owner_email)[0] if owner_email else None
        tenant = tenant_create(name=name, slug=slug, owner=owner)
        return {"tenant": tenant.slug, "id": tenant.pk, "name": tenant.name, "owner": owner.email if owner else None}
