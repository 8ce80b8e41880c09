"""Trains the peer model of bench/serve_throughput.sh: the scikit-learn version of the classic baseline,
TF-IDF (word 1-2 grams, sublinear tf) + one-vs-rest logistic regression fitted by SGD, on the papers
arxivc's model trained on, and saves it with joblib for app.py.

    arxivc export --input DATASET --split train --output train.jsonl [--max-samples N]
    /usr/bin/python3 bench/peer_service/train_peer.py --input train.jsonl \
        --output bench/results/peer/model.joblib [--labels MODEL_DIR/labels.json]

--input is an `arxivc export` file (id, title, abstract, labels: the categories arxivc normalised), so the
peer sees the same training papers (arxivc's seeded --max-samples choice included) with the same labels.
The label space is an arxivc model's (--labels, so both services score the same categories; its names,
archives and groups are the ones served) or the categories that at least --min-papers papers carry.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import joblib
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers"))
import common  # noqa: E402  (bench/peers/common.py: the `arxivc export` reader shared with the peer benchmark)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True, type=Path, help="`arxivc export` JSON Lines (the training split)")
    parser.add_argument("--output", required=True, type=Path, help="where to write model.joblib")
    parser.add_argument("--labels", type=Path, help="labels.json of an arxivc model: use its label space")
    parser.add_argument("--min-papers", type=int, default=50, help="without --labels: keep categories with at least N papers")
    parser.add_argument("--epochs", type=int, default=5, help="SGD epochs per category")
    args = parser.parse_args()

    started = time.perf_counter()
    papers = common.read_jsonl(args.input)
    if args.labels:
        entries = json.loads(args.labels.read_text(encoding="utf-8"))
        kept = [entry["code"] if isinstance(entry, dict) else entry for entry in entries]
        info = {entry["code"]: {key: entry.get(key, "") for key in ("name", "archive", "group")}
                for entry in entries if isinstance(entry, dict)}
    else:
        counts: dict[str, int] = {}
        for paper in papers:
            for code in paper["labels"]:
                counts[code] = counts.get(code, 0) + 1
        kept = sorted(code for code, n in counts.items() if n >= args.min_papers)
        info = {}
    keep = set(kept)
    rows = [(common.text_of(p), [c for c in p["labels"] if c in keep]) for p in papers]
    rows = [(t, codes) for t, codes in rows if codes and t.strip()]
    if not rows:
        raise SystemExit("no paper has a category of the label space; lower --min-papers")
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
            "trained_on": f"{args.input.name} ({len(rows)} of {len(papers)} papers)",
        },
        temporary,
    )
    temporary.replace(args.output)
    print(f"train_peer: {len(rows)} of {len(papers)} papers, {len(kept)} categories, "
          f"{time.perf_counter() - started:.1f} s -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
