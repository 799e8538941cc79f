"""Development settings: the default for ``manage.py`` and ``make run``."""

from config.settings.base import *

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
