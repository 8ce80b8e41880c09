#!/usr/bin/python3
"""The straightforward Python baseline of `arxivc prepare`, for bench/prepare_throughput.sh.

Does the same work as the default `prepare` configuration: decompression through a `zstd -dc` pipe,
the `json` module, whitespace normalisation, category normalisation through arXiv's taxonomy, dedup by
id (latest update_date wins), category selection (min_papers), a seeded split stratified by primary
category (80/10/10), and JSON Lines output per split.
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys


def load_taxonomy(path):
    with open(path) as f:
        taxonomy = json.load(f)
    canonical = {}
    for c in taxonomy["categories"]:
        target = c.get("alias_of") or c.get("subsumed_by") or c["code"]
        canonical[c["code"]] = target
    # Follow chains (an alias of a legacy code).
    for code in list(canonical):
        seen = set()
        target = canonical[code]
        while canonical.get(target, target) != target and target not in seen:
            seen.add(target)
            target = canonical[target]
        canonical[code] = target
    return canonical


def open_lines(path):
    if path.endswith(".zst"):
        proc = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE, bufsize=1 << 20)
        return proc.stdout
    return open(path, "rb")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--taxonomy", required=True)
    parser.add_argument("--min-papers", type=int, default=0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    canonical = load_taxonomy(args.taxonomy)
    papers = {}
    read = skipped = duplicates = unknown = 0
    uncompressed = 0
    for raw in open_lines(args.input):
        uncompressed += len(raw)
        if not raw.strip():
            continue
        read += 1
        try:
            record = json.loads(raw)
            pid, title, abstract, cats = record["id"], record["title"], record["abstract"], record["categories"]
            if not all(isinstance(v, str) for v in (pid, title, abstract, cats)):
                raise ValueError("wrong type")
        except (ValueError, KeyError, TypeError):
            skipped += 1
            continue
        codes = []
        for code in cats.split():
            target = canonical.get(code)
            if target is None:
                unknown += 1
                continue
            if target not in codes:
                codes.append(target)
        if not codes:
            skipped += 1
            continue
        paper = {
            "id": pid,
            "title": " ".join(title.split()),
            "abstract": " ".join(abstract.split()),
            "labels": codes,
            "update_date": record.get("update_date") or "",
        }
        previous = papers.get(pid)
        if previous is not None:
            duplicates += 1
            if previous["update_date"] > paper["update_date"]:
                continue
        papers[pid] = paper

    counts = collections.Counter(code for p in papers.values() for code in p["labels"])
    selected = {c for c, n in counts.items() if n >= args.min_papers}
    by_primary = collections.defaultdict(list)
    for p in papers.values():
        if p["labels"][0] not in selected:
            continue
        p["labels"] = [c for c in p["labels"] if c in selected]
        by_primary[p["labels"][0]].append(p)

    rng = random.Random(args.seed)
    splits = {"train": [], "validation": [], "test": []}
    for code in sorted(by_primary):
        group = by_primary[code]
        rng.shuffle(group)
        n_train = round(len(group) * 0.8)
        n_val = round(len(group) * 0.1)
        splits["train"] += group[:n_train]
        splits["validation"] += group[n_train:n_train + n_val]
        splits["test"] += group[n_train + n_val:]

    os.makedirs(args.output, exist_ok=True)
    for name, rows in splits.items():
        with open(os.path.join(args.output, name + ".jsonl"), "w") as f:
            for p in rows:
                f.write(json.dumps({"id": p["id"], "title": p["title"], "abstract": p["abstract"],
                                    "labels": p["labels"]}) + "\n")
    print(json.dumps({"read": read, "skipped": skipped, "duplicates": duplicates, "unknown_codes": unknown,
                      "uncompressed_bytes": uncompressed,
                      "splits": {k: len(v) for k, v in splits.items()}}), file=sys.stderr)


if __name__ == "__main__":
    main()
