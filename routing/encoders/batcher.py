"""Embedding requests from many concurrent requests, run together off the event loop.

While the encoder is idle, a request's text is embedded at once (no waiting at low load).
While it is busy, new texts queue up and go together in the next run (at most ``max_batch``,
sorted by length so that short texts are not padded to a long one). Throughput therefore grows
with load, and the event loop never blocks on inference.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from routing.encoders.base import Encoder


class EmbeddingBatcher:
    def __init__(self, encoder: Encoder, *, max_batch: int = 32):
        self.encoder = encoder
        self.max_batch = max_batch
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed")
        self._pending: list[tuple[str, asyncio.Future]] = []
        self._running: asyncio.Task | None = None
        self.batches = 0
        self.embedded = 0

    async def embed(self, text: str) -> np.ndarray:
        future = asyncio.get_running_loop().create_future()
        self._pending.append((text, future))
        if self._running is None or self._running.done():
            self._running = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            batch.sort(key=lambda item: len(item[0]))
            try:
                vectors = await loop.run_in_executor(self._executor, self.encoder.embed, [t for t, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.batches += 1
            self.embedded += len(batch)
            for (_, future), vector in zip(batch, vectors, strict=True):
                if not future.done():
                    future.set_result(vector)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
