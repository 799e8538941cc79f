"""The encoder's quantised copy keeps its weights to seven bits: a CPU without VNNI then computes the
same integer sums as one with it (no 16-bit sum saturates), so every x86 CPU gets the same vectors
(``benchmarks/encoder_determinism.py`` compares them under an emulated AVX2 CPU)."""

from __future__ import annotations

import numpy as np
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def test_the_quantised_copy_has_seven_bit_weights():
    onnx = pytest.importorskip("onnx")
    from onnx import numpy_helper

    from routing.encoders.fastembed_encoder import resolve_model_folder

    try:
        folder = resolve_model_folder(var_dir=settings.VAR_DIR, quantization="dynamic")
    except ImproperlyConfigured as error:
        pytest.skip(f"the embedding model is not available: {error}")
    model = onnx.load(str(folder / "model.onnx"))
    weights = [numpy_helper.to_array(t) for t in model.graph.initializer if t.data_type == onnx.TensorProto.INT8]
    assert len(weights) >= 36  # every matrix product of the six layers is quantised
    assert max(int(np.abs(w.astype(np.int16)).max()) for w in weights) <= 64
