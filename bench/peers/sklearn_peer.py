#!/usr/bin/python3
"""scikit-learn peer of bench/compare_peers.sh: TF-IDF over word unigrams and bigrams (sublinear tf,
min_df 2, max_df 0.5) with one-vs-rest logistic regression trained by SGD (loss 'log_loss'), a global
decision threshold tuned on validation for micro-F1, primary = the top-ranked label.

  sklearn_peer.py train --train T.jsonl --validation V.jsonl --model M.joblib [--alpha A] [--tune]
  sklearn_peer.py predict --model M.joblib --input TEST.jsonl --output P.jsonl [--top-k 10]

Inputs are `arxivc export` files; the output is JSON Lines in `arxivc predict`'s format. Run with Debian's
/usr/bin/python3 (python3-sklearn). Fitting uses 2 threads (the one-vs-rest problems in parallel; SGD
releases the GIL), like arxivc on this machine's 2 cores."""

import argparse
import sys
import time
import warnings

import joblib
import numpy as np
from joblib import parallel_backend
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

sys.path.insert(0, __import__("os").path.dirname(__file__))
import common  # noqa: E402

ALPHAS_TUNED = [1e-7, 2e-7, 3e-7, 5e-7, 1e-6]


def log(message):
    print(f"[sklearn] {message}", file=sys.stderr, flush=True)


def fit(x, y, alpha, threads, seed):
    clf = OneVsRestClassifier(SGDClassifier(loss="log_loss", alpha=alpha, random_state=seed), n_jobs=threads)
    with warnings.catch_warnings(), parallel_backend("threading", n_jobs=threads):
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x, y)
    return clf


def probabilities(clf, x, threads):
    with parallel_backend("threading", n_jobs=threads):
        return clf.predict_proba(x)


def train(args):
    t0 = time.time()
    train_papers = common.read_jsonl(args.train)
    validation = common.read_jsonl(args.validation)
    mlb = MultiLabelBinarizer()
    y = mlb.fit_transform([p["labels"] for p in train_papers])
    classes = list(mlb.classes_)
    known = set(classes)
    # Validation gold in the classes' space (a label absent from training cannot be predicted: a miss).
    y_val = MultiLabelBinarizer(classes=classes).fit_transform(
        [[c for c in p["labels"] if c in known] for p in validation])
    missed_val = sum(len([c for c in p["labels"] if c not in known]) for p in validation)
    # float64 with sorted, de-duplicated indices: SGD's input as it wants it, so that the threads of the
    # one-vs-rest fit share it read-only (a per-thread float32 -> float64 conversion mutates it: a race).
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=args.min_df, max_df=args.max_df,
                                 dtype=np.float64)
    x = vectorizer.fit_transform([common.text_of(p) for p in train_papers]).tocsr()
    x.sum_duplicates()
    x.sort_indices()
    vectorizer.stop_words_ = None  # the pruned terms: only kept for introspection, huge
    x_val = vectorizer.transform([common.text_of(p) for p in validation])
    log(f"{x.shape[0]} training papers, {x.shape[1]} features, {len(classes)} labels "
        f"({time.time() - t0:.1f} s to read and vectorise)")

    def tuned(alpha):
        t = time.time()
        clf = fit(x, y, alpha, args.threads, args.seed)
        p_val = probabilities(clf, x_val, args.threads)
        # Gold labels outside the classes count as misses in the F1 the threshold maximises.
        threshold, f1 = common.tune_on_matrix(p_val, y_val, missed_val)
        log(f"alpha {alpha:g}: validation micro-F1 {f1:.4f} at threshold {threshold:.3f} ({time.time() - t:.1f} s)")
        return f1, alpha, clf, threshold

    if args.tune:
        f1, alpha, clf, threshold = max((tuned(a) for a in ALPHAS_TUNED), key=lambda r: r[0])
        log(f"chosen alpha {alpha:g} (validation micro-F1 {f1:.4f})")
    else:
        f1, alpha, clf, threshold = tuned(args.alpha)
    joblib.dump({"vectorizer": vectorizer, "classes": classes, "classifier": clf, "threshold": threshold,
                 "alpha": alpha, "validation_micro_f1": f1}, args.model)
    log(f"model written to {args.model} ({time.time() - t0:.1f} s in all)")


def predict(args):
    t0 = time.time()
    model = joblib.load(args.model)
    papers = common.read_jsonl(args.input)
    t1 = time.time()
    x = model["vectorizer"].transform([common.text_of(p) for p in papers])
    p = probabilities(model["classifier"], x, args.threads)
    ranked = common.ranked_rows(p, model["classes"], 0)
    predicted = [common.decide(row, model["threshold"]) for row in ranked]
    t2 = time.time()
    common.write_predictions(args.output, [p["id"] for p in papers], ranked, predicted, args.top_k)
    log(f"{len(papers)} papers: {t1 - t0:.1f} s to load the model and papers, {t2 - t1:.1f} s to score "
        f"({1000 * (t2 - t1) / max(len(papers), 1):.3f} ms/paper)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--train", required=True)
    t.add_argument("--validation", required=True)
    t.add_argument("--model", required=True)
    t.add_argument("--alpha", type=float, default=3e-7)
    t.add_argument("--tune", action="store_true", help=f"choose alpha on validation among {ALPHAS_TUNED}")
    t.add_argument("--min-df", type=int, default=2)
    t.add_argument("--max-df", type=float, default=0.5)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--seed", type=int, default=42)
    p = sub.add_parser("predict")
    p.add_argument("--model", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--top-k", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    train(args) if args.command == "train" else predict(args)


if __name__ == "__main__":
    main()
