"""Management commands that script well: one JSON object on stdout, logs on stderr, exit 1 on error."""

from __future__ import annotations

import sys
from typing import Any

import orjson
from django.core.management.base import BaseCommand

from core.errors import ApplicationError


class JsonCommand(BaseCommand):
    """Subclasses define ``run(**options) -> dict``; its result is printed as JSON."""

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = self.run(*args, **options)
        except ApplicationError as error:
            self.stdout.write(orjson.dumps(error.as_body()).decode())
            self.stderr.write(f"error: {error.message}")
            sys.exit(1)
        self.stdout.write(orjson.dumps(result, default=str).decode())
