"""Classification accuracy on public data, official splits: fit on train, report on test.

- Banking77 and CLINC150 (out-of-scope as a class): each intent is a tenant route learned from
  the train split by the product's route index (``routing.classifier.routes``); out-of-scope
  train examples are negatives. Side by side with ``semantic-router`` (IndexedRouter defaults)
  on the same encoder, when it is installed (``pip install '.[bench]'``).
- Task types on MT-Bench, Vicuna, HumanEval and GSM8K: the product's task classifier as
  shipped (its exemplars were written for this repository; these sets were never used to
  write rules or exemplars, so all of them is held out).

    .venv/bin/python -m benchmarks.classification [--skip-semantic-router]

Vectors are cached under var/bench-cache (per encoder), so only the first run embeds.
Prints a progress bar on stderr and a JSON summary as the last line of stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import time

import numpy as np

from benchmarks.common import ROOT, Progress, django_setup, emit, machine, percentile


def embed_all(encoder, texts: list[str], label: str) -> np.ndarray:
    digest = hashlib.sha256(("\x00".join(texts) + encoder.name).encode()).hexdigest()[:20]
    cache = ROOT / "var" / "bench-cache" / f"{label}-{digest}.npy"
    if cache.exists():
        return np.load(cache)
    progress = Progress(len(texts), f"embedding {label}")
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # bucket by length: less padding
    vectors = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    for start in range(0, len(order), 64):
        chunk = order[start : start + 64]
        vectors[chunk] = encoder.embed([texts[i] for i in chunk])
        progress.step(len(chunk))
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def intents(encoder, name: str, train: list[tuple[str, str]], test: list[tuple[str, str]], oos: str | None):
    from routing.classifier.routes import NONE, fit_route_index

    labels = sorted({label for _, label in train if label != oos})
    position = {label: i for i, label in enumerate(labels)}
    train_vectors = embed_all(encoder, [t for t, _ in train], f"{name}-train")
    test_vectors = embed_all(encoder, [t for t, _ in test], f"{name}-test")
    train_labels = np.array([position.get(label, NONE) for _, label in train])
    started = time.perf_counter()
    index = fit_route_index(
        route_ids=list(range(len(labels))),
        names=labels,
        texts=[t for t, _ in train],
        vectors=train_vectors,
        labels=train_labels,
    )
    fit_seconds = time.perf_counter() - started
    predictions, latencies = [], []
    progress = Progress(len(test), f"{name} ours")
    for (text, _), vector in zip(test, test_vectors, strict=True):
        t0 = time.perf_counter()
        match = index.match(vector, text)
        latencies.append((time.perf_counter() - t0) * 1000)
        predictions.append(match.name if match else oos)
        progress.step()
    truth = [label for _, label in test]
    result = _scores(predictions, truth, oos)
    result.update(
        fit_seconds=round(fit_seconds, 1),
        match_p50_ms=round(percentile(latencies, 50), 3),
        match_p99_ms=round(percentile(latencies, 99), 3),
        knn_weight=index.knn_weight,
    )
    # The head alone, without the out-of-scope decision: top-1 among in-scope intents.
    if oos is not None:
        probs = index.probabilities([t for t, _ in test], test_vectors)[:, : len(labels)]
        top1 = [labels[i] for i in probs.argmax(axis=1)]
        in_scope = [i for i, label in enumerate(truth) if label != oos]
        result["in_scope_top1_without_oos_decision"] = round(np.mean([top1[i] == truth[i] for i in in_scope]), 4)
    return result


def _scores(predictions: list[str | None], truth: list[str], oos: str | None) -> dict:
    correct = [p == t for p, t in zip(predictions, truth, strict=True)]
    result = {"n": len(truth), "accuracy": round(float(np.mean(correct)), 4)}
    if oos is not None:
        in_scope = [c for c, t in zip(correct, truth, strict=True) if t != oos]
        oos_hits = [p == oos for p, t in zip(predictions, truth, strict=True) if t == oos]
        result.update(
            in_scope_accuracy=round(float(np.mean(in_scope)), 4), oos_recall=round(float(np.mean(oos_hits)), 4)
        )
    return result


def semantic_router(encoder, name: str, train, test, oos: str | None) -> dict:
    try:
        from semantic_router import Route
        from semantic_router.encoders import DenseEncoder
        from semantic_router.routers import IndexedRouter
    except ImportError:
        return {"skipped": "semantic-router is not installed (pip install '.[bench]')"}
    texts = [t for t, _ in train] + [t for t, _ in test]
    vectors = np.concatenate(
        [
            embed_all(encoder, [t for t, _ in train], f"{name}-train"),
            embed_all(encoder, [t for t, _ in test], f"{name}-test"),
        ]
    )
    lookup = dict(zip(texts, vectors, strict=True))

    class SameEncoder(DenseEncoder):
        """Our encoder's vectors (precomputed), so both routers see exactly the same embeddings."""

        def __call__(self, docs):
            return [lookup[d].tolist() if d in lookup else encoder.embed([d])[0].tolist() for d in docs]

    grouped: dict[str, list[str]] = {}
    for text, label in train:
        if label != oos:
            grouped.setdefault(label, []).append(text)
    router = IndexedRouter(SameEncoder(name="same"), [Route(name=k, utterances=v) for k, v in grouped.items()])
    started = time.perf_counter()
    queries = [t for t, _ in test]
    predictions = []
    progress = Progress(len(queries), f"{name} semantic-router")
    for query in queries:
        choice = router(query)
        predictions.append(choice.name if choice.name else oos)
        progress.step()
    per_query_ms = (time.perf_counter() - started) * 1000 / len(queries)
    result = _scores(predictions, [label for _, label in test], oos)
    result["per_query_ms"] = round(per_query_ms, 2)
    return result


def task_types(encoder) -> dict:
    from routing.classifier.task_classifier import TaskClassifier
    from routing.classifier.taxonomy import TASK_TYPES

    classifier = TaskClassifier.build(encoder, cache_dir=ROOT / "var" / "models")
    from benchmarks.datasets import task_sets

    report, confusion = {}, {t: {} for t in TASK_TYPES}
    for name, rows in task_sets().items():
        vectors = embed_all(encoder, [t[:2000] for t, _ in rows], name)
        hits, latencies = 0, []
        for (text, accepted), vector in zip(rows, vectors, strict=True):
            t0 = time.perf_counter()
            result = classifier.classify(text=text, vector=vector)
            latencies.append((time.perf_counter() - t0) * 1000)
            hits += result.task_type in accepted
            for truth in accepted:
                confusion[truth][result.task_type] = confusion[truth].get(result.task_type, 0) + 1
        report[name] = {
            "n": len(rows),
            "accuracy": round(hits / len(rows), 4),
            "classify_p50_ms": round(percentile(latencies, 50), 3),
        }
    total = sum(r["n"] for r in report.values())
    report["all"] = {"n": total, "accuracy": round(sum(r["accuracy"] * r["n"] for r in report.values()) / total, 4)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-semantic-router", action="store_true")
    args = parser.parse_args()
    django_setup()
    from benchmarks.datasets import banking77, clinc150
    from routing.encoders import shared_encoder

    encoder = shared_encoder()
    banking, clinc = banking77(), clinc150()
    clinc_train = clinc["train"] + clinc["oos_train"]
    clinc_test = clinc["test"] + clinc["oos_test"]
    summary = {
        "benchmark": "classification",
        "machine": machine(),
        "encoder": encoder.name,
        "banking77": {"ours": intents(encoder, "banking77", banking["train"], banking["test"], None)},
        "clinc150": {"ours": intents(encoder, "clinc150", clinc_train, clinc_test, "oos")},
        "task_types": task_types(encoder),
    }
    if not args.skip_semantic_router:
        summary["banking77"]["semantic_router"] = semantic_router(
            encoder, "banking77", banking["train"], banking["test"], None
        )
        summary["clinc150"]["semantic_router"] = semantic_router(encoder, "clinc150", clinc_train, clinc_test, "oos")
    emit(summary)


if __name__ == "__main__":
    main()
