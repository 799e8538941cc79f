from django.conf import settings

from core.embedded_db import stop
from core.management.json_command import JsonCommand


class Command(JsonCommand):
    help = "Status of the embedded PostgreSQL (var/pg), or stop it. Settings start it when needed."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop", "url"])

    def run(self, *args, action, **options):
        server = settings.NR_EMBEDDED_DB
        if server is None:
            return {"embedded": False, "detail": "DATABASE_URL is set; the embedded server is not used."}
        if action == "stop":
            return {"embedded": True, "stopped": stop(settings.VAR_DIR)}
        return {
            "embedded": True,
            "data_dir": str(server.data_dir),
            "socket_dir": str(server.socket_dir),
            "url": server.url(),
        }
