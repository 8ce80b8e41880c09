"""Trains the peer model of bench/serve_throughput.sh: the scikit-learn version of the classic baseline,
TF-IDF (word 1-2 grams, sublinear tf) + one-vs-rest logistic regression fitted by SGD, on the same
arXiv metadata as arxivc's model, and saves it with joblib for app.py.

    /usr/bin/python3 bench/peer_service/train_peer.py --input ../shared/data/arxiv-metadata-5k.json \
        --output bench/results/peer/model.joblib [--max-samples N] [--labels MODEL_DIR/labels.json]

Categories are normalised with arXiv's taxonomy (aliases and legacy codes to their canonical code). The
label space is an arxivc model's (--labels, so both services score the same categories) or the categories
that at least --min-papers papers carry. --max-samples draws a seeded random sample of the papers, as
arxivc's training.max_samples does.
"""

import argparse
import io
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import joblib
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer


def read_lines(path: Path):
    """JSON Lines from a plain or zstd-compressed file (via the zstd command)."""
    if path.suffix == ".zst":
        process = subprocess.Popen(["zstd", "-dc", str(path)], stdout=subprocess.PIPE)
        yield from io.TextIOWrapper(process.stdout, encoding="utf-8")
        if process.wait() != 0:
            raise SystemExit(f"zstd -dc {path} failed")
    else:
        with path.open(encoding="utf-8") as lines:
            yield from lines


def load_taxonomy(path: Path) -> tuple[dict, dict]:
    taxonomy = json.loads(path.read_text(encoding="utf-8"))
    canonical = {}
    for category in taxonomy["categories"]:
        code = category["code"]
        canonical[code] = category.get("alias_of") or category.get("subsumed_by") or code
    for alias, target in taxonomy.get("category_aliases", {}).items():
        canonical[alias] = target
    info = {
        c["code"]: {"name": c["name"], "archive": c["archive"], "group": c["group_name"]}
        for c in taxonomy["categories"]
    }
    return canonical, info


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True, type=Path, help="arXiv metadata, JSON Lines (.json/.jsonl/.zst)")
    parser.add_argument("--output", required=True, type=Path, help="where to write model.joblib")
    parser.add_argument("--taxonomy", type=Path, help="arxiv-taxonomy.json (default: next to --input)")
    parser.add_argument("--max-samples", type=int, default=0, help="train on at most N papers (0: all)")
    parser.add_argument("--labels", type=Path, help="labels.json of an arxivc model: use its label space")
    parser.add_argument("--min-papers", type=int, default=50, help="without --labels: keep categories with at least N papers")
    parser.add_argument("--seed", type=int, default=42, help="seed of the --max-samples draw")
    parser.add_argument("--epochs", type=int, default=5, help="SGD epochs per category")
    args = parser.parse_args()

    taxonomy_path = args.taxonomy or args.input.parent / "arxiv-taxonomy.json"
    canonical, info = load_taxonomy(taxonomy_path)
    started = time.perf_counter()
    texts, labels = [], []
    rng = random.Random(args.seed)
    seen = 0
    for line in read_lines(args.input):
        if not line.strip():
            continue
        record = json.loads(line)
        codes = []
        for code in (record.get("categories") or "").split():
            code = canonical.get(code, code)
            if code not in codes:
                codes.append(code)
        text = f"{record.get('title') or ''}\n{record.get('abstract') or ''}"
        if not codes or not text.strip():
            continue
        seen += 1
        if not args.max_samples or len(texts) < args.max_samples:
            texts.append(text)
            labels.append(codes)
        else:  # reservoir sampling: every paper has the same chance to be among the max_samples
            slot = rng.randrange(seen)
            if slot < args.max_samples:
                texts[slot], labels[slot] = text, codes
    if args.labels:
        kept = [entry["code"] if isinstance(entry, dict) else entry
                for entry in json.loads(args.labels.read_text(encoding="utf-8"))]
    else:
        counts: dict[str, int] = {}
        for codes in labels:
            for code in codes:
                counts[code] = counts.get(code, 0) + 1
        kept = sorted(code for code, n in counts.items() if n >= args.min_papers)
    keep = set(kept)
    rows = [(t, [c for c in codes if c in keep]) for t, codes in zip(texts, labels)]
    rows = [(t, codes) for t, codes in rows if codes]
    if not rows:
        raise SystemExit("no paper has a category with enough papers; lower --min-papers")
    binarizer = MultiLabelBinarizer(classes=kept)
    y = binarizer.fit_transform([codes for _, codes in rows])
    pipeline = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=262_144),
        OneVsRestClassifier(
            SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=args.epochs, tol=None, random_state=42),
            n_jobs=-1,
        ),
    )
    pipeline.fit([t for t, _ in rows], y)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.output.with_suffix(".tmp")
    joblib.dump(
        {
            "pipeline": pipeline,
            "labels": kept,
            "label_info": {code: info.get(code, {"name": code, "archive": code.split(".")[0], "group": ""})
                           for code in kept},
            "trained_on": f"{args.input.name} ({len(rows)} of {seen} papers)",
        },
        temporary,
    )
    temporary.replace(args.output)
    print(f"train_peer: {len(rows)} papers, {len(kept)} categories, {time.perf_counter() - started:.1f} s -> "
          f"{args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
