"""Micro-batching: concurrent texts share inference runs, each gets its own vector back."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
from asgiref.sync import async_to_sync

from routing.encoders.batcher import EmbeddingBatcher


class RecordingEncoder:
    dim = 4
    name = "recording"

    def __init__(self):
        self.calls: list[list[str]] = []
        self.threads: set[str] = set()

    def embed(self, texts):
        self.calls.append(list(texts))
        self.threads.add(threading.current_thread().name)
        return np.array([[len(t), 0, 0, 1] for t in texts], dtype=np.float32)


def test_concurrent_requests_are_batched_off_the_event_loop():
    encoder = RecordingEncoder()
    batcher = EmbeddingBatcher(encoder, max_batch=32)
    texts = [f"text number {i}" + "x" * i for i in range(40)]

    async def run():
        return await asyncio.gather(*(batcher.embed(t) for t in texts))

    vectors = async_to_sync(run)()
    assert [int(v[0]) for v in vectors] == [len(t) for t in texts], "each caller gets its own vector"
    assert len(encoder.calls) < len(texts) and max(len(c) for c in encoder.calls) <= 32
    assert all(name.startswith("embed") for name in encoder.threads)
    batcher.close()


def test_by_default_each_text_is_embedded_alone_whatever_the_load():
    # Alone, a text's vector does not depend on its batch-mates (the int8 encoder quantises per batch).
    encoder = RecordingEncoder()
    batcher = EmbeddingBatcher(encoder)
    texts = [f"text {i}" for i in range(12)]

    async def run():
        return await asyncio.gather(*(batcher.embed(t) for t in texts))

    async_to_sync(run)()
    assert sorted(map(tuple, encoder.calls)) == sorted((t,) for t in texts)
    batcher.close()


def test_callers_queued_with_the_same_text_share_one_inference():
    encoder = RecordingEncoder()
    batcher = EmbeddingBatcher(encoder)
    texts = ["first"] + ["same prompt"] * 10 + ["other", "same prompt"]

    async def run():
        return await asyncio.gather(*(batcher.embed(t) for t in texts))

    vectors = async_to_sync(run)()
    assert [int(v[0]) for v in vectors] == [len(t) for t in texts]
    assert sorted(map(tuple, encoder.calls)) == [("first",), ("other",), ("same prompt",)]
    same = [v for t, v in zip(texts, vectors, strict=True) if t == "same prompt"]
    same[0][1] = 99.0  # one caller's array is its own
    assert all(v[1] == 0.0 for v in same[1:])
    batcher.close()


def test_a_single_request_is_not_kept_waiting_for_a_batch():
    encoder = RecordingEncoder()
    batcher = EmbeddingBatcher(encoder)
    async_to_sync(batcher.embed)("alone")
    assert encoder.calls == [["alone"]]
    batcher.close()


def test_an_encoder_failure_reaches_every_caller_of_the_batch():
    class Broken(RecordingEncoder):
        def embed(self, texts):
            raise RuntimeError("onnx exploded")

    batcher = EmbeddingBatcher(Broken())

    async def run():
        return await asyncio.gather(batcher.embed("a"), batcher.embed("b"), return_exceptions=True)

    assert all(isinstance(r, RuntimeError) for r in async_to_sync(run)())
    batcher.close()
