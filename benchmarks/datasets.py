"""Readers for the public sets in ../shared/data (official splits, never copied here)."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

from benchmarks.common import SHARED

DATA = SHARED / "data"


def require(path: Path) -> Path:
    if not path.exists():
        raise SystemExit(f"{path} not found: the benchmarks read the public sets from ../shared/data")
    return path


def clinc150() -> dict[str, list[tuple[str, str]]]:
    """Splits of the CLINC150 "full" setting; out-of-scope examples are labelled ``oos``."""
    data = json.loads(require(DATA / "clinc150" / "data_full.json").read_text())
    return {split: [(text, label) for text, label in rows] for split, rows in data.items()}


def banking77() -> dict[str, list[tuple[str, str]]]:
    splits = {}
    for split in ("train", "test"):
        with open(require(DATA / "banking77" / f"{split}.csv"), newline="") as handle:
            splits[split] = [(row["text"], row["category"]) for row in csv.DictReader(handle)]
    return splits


# Public task categories mapped to our ten task types. Where a category genuinely spans two of
# ours, both count as correct (listed, not hidden).
MT_BENCH = {
    "writing": {"creative_writing"},
    "roleplay": {"chat", "creative_writing"},
    "reasoning": {"reasoning"},
    "math": {"reasoning"},
    "coding": {"coding"},
    "extraction": {"extraction"},
    "stem": {"question_answering"},
    "humanities": {"question_answering"},
}
VICUNA = {
    "generic": {"question_answering"},
    "knowledge": {"question_answering"},
    "roleplay": {"chat", "creative_writing"},
    "common-sense": {"reasoning", "question_answering"},
    "fermi": {"reasoning"},
    "counterfactual": {"question_answering", "reasoning", "brainstorming"},
    "writing": {"creative_writing"},
    "coding": {"coding"},
    "math": {"reasoning"},
}


def task_sets() -> dict[str, list[tuple[str, set[str]]]]:
    """(prompt, accepted task types) per public set; none of it was used to write rules or exemplars."""
    sets: dict[str, list[tuple[str, set[str]]]] = {}
    for name, mapping in (("mt_bench", MT_BENCH), ("vicuna_bench", VICUNA)):
        rows = [json.loads(line) for line in require(DATA / name / "question.jsonl").read_text().splitlines() if line]
        sets[name] = [(row["turns"][0], mapping[row["category"]]) for row in rows]
    with gzip.open(require(DATA / "humaneval" / "HumanEval.jsonl.gz"), "rt") as handle:
        sets["humaneval"] = [(json.loads(line)["prompt"], {"coding"}) for line in handle if line.strip()]
    rows = [json.loads(line) for line in require(DATA / "gsm8k" / "test.jsonl").read_text().splitlines() if line]
    sets["gsm8k_test"] = [(row["question"], {"reasoning"}) for row in rows]
    return sets
