"""Telling every process that cached data changed, over PostgreSQL LISTEN/NOTIFY.

The gateway keeps API keys, provider credentials and the catalog in memory so that a request
needs no query to authenticate. When one of them changes (a key is revoked in the dashboard, a
price is edited in the admin), :func:`publish` invalidates this process's caches at once and,
when the transaction commits, sends a ``NOTIFY`` that every other process's
:class:`InvalidationListener` turns into the same invalidation. No extra infrastructure: the
database everyone already talks to carries the message.

A cache that depends on these messages must stop trusting itself while the listener is not
connected (``on_lost``): missing a message would leave a revoked key usable.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

logger = logging.getLogger(__name__)

CHANNEL = "neuralrouting_invalidate"
Handler = Callable[[dict[str, Any]], None]
_handlers: list[weakref.ReferenceType] = []


def subscribe(handler: Handler) -> None:
    """Call ``handler(message)`` for every invalidation (held weakly: bound methods die with their object)."""
    ref = weakref.WeakMethod(handler) if hasattr(handler, "__self__") else weakref.ref(handler)
    _handlers.append(ref)


def dispatch(message: dict[str, Any]) -> None:
    alive = []
    for ref in _handlers:
        handler = ref()
        if handler is None:
            continue
        alive.append(ref)
        try:
            handler(message)
        except Exception:
            logger.exception("invalidation handler failed for %s", message)
    _handlers[:] = alive


def publish(topic: str, **data: Any) -> None:
    """Invalidate ``topic`` here now, and in every other process once the transaction commits."""
    message = {"topic": topic, **data}
    dispatch(message)
    payload = json.dumps(message, default=str)

    def notify() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])

    transaction.on_commit(notify)


def _conninfo() -> dict[str, Any]:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("server_side_binding", None)
    return params


class InvalidationListener:
    """A background task holding one LISTEN connection; reconnects with back-off."""

    def __init__(self, *, on_connected: Callable[[], None], on_lost: Callable[[], None]):
        self.on_connected = on_connected
        self.on_lost = on_lost
        self.connected = False

    async def run(self) -> None:
        import psycopg

        delay = 0.5
        params = _conninfo()
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(**params, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.connected = True
                    self.on_connected()
                    delay = 0.5
                    async for note in conn.notifies():
                        try:
                            dispatch(json.loads(note.payload))
                        except ValueError:
                            logger.warning("ignoring a malformed invalidation: %r", note.payload[:200])
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("invalidation listener lost its connection (%s); caches off until it is back", exc)
            finally:
                if self.connected:
                    self.connected = False
                    self.on_lost()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10)
