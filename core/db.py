"""Running ORM work from async code.

The gateway is a Starlette app, outside Django's request cycle, so it returns connections to
the pool itself (what Django's request_finished signal would do). Inside a test's transaction
the connection is left alone, as Django's test client does.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connection

P = ParamSpec("P")
R = TypeVar("R")


def db_sync(fn: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """An awaitable version of ``fn`` that runs on the ORM thread and releases its connection."""

    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        finally:
            if not connection.in_atomic_block:
                close_old_connections()

    return functools.wraps(fn)(sync_to_async(run, thread_sensitive=True))
