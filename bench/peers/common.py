"""Shared pieces of the peer benchmark (bench/compare_peers.sh): reading `arxivc export` JSON Lines, the
decision rule arxivc uses (top-1 plus every other label whose probability reaches a global threshold),
tuning that threshold on validation for micro-F1, and writing predictions in `arxivc predict`'s format so
that `arxivc evaluate --predictions` scores every system with the same code.

Only the standard library and numpy (Debian's python3-numpy, pulled in by python3-sklearn)."""

import json

import numpy as np


def read_jsonl(path):
    """The papers of an `arxivc export` file: dicts with id, title, abstract, labels (primary first)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def text_of(paper):
    """The input every system sees: title and abstract."""
    return paper["title"] + " " + paper["abstract"]


def tune_global_threshold(probabilities, is_gold, top1_correct, papers, gold_total):
    """The global threshold maximising micro-F1 of the decision "top-1 plus every other label with
    probability >= t", by one exact sweep (as arxivc's eval::tune_global_threshold).

    probabilities, is_gold: arrays over every (paper, label) pair other than each paper's top-1 that the
    system scored; top1_correct: how many top-1 labels are gold; papers: N; gold_total: gold labels over all
    papers. Returns (threshold, micro_f1)."""
    order = np.argsort(-probabilities, kind="stable")
    p = probabilities[order]
    g = is_gold[order].astype(np.int64)
    # After taking the first i + 1 candidates: TP, FP, FN.
    tp = top1_correct + np.cumsum(g)
    fp = (papers - top1_correct) + np.cumsum(1 - g)
    fn = gold_total - tp
    f1 = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    # A cut is only possible between distinct probabilities: after the last of a run of equal ones.
    last_of_run = np.ones(len(p), dtype=bool)
    last_of_run[:-1] = p[:-1] != p[1:]
    f1 = np.where(last_of_run, f1, -1.0)
    base_den = 2 * top1_correct + (papers - top1_correct) + (gold_total - top1_correct)
    base_f1 = 2 * top1_correct / base_den if base_den else 0.0
    if len(p) == 0 or f1.max() <= base_f1:
        highest = float(p[0]) if len(p) else 0.0
        return (highest + 1.0) / 2, base_f1  # top-1 only: above every probability seen
    i = int(np.argmax(f1))
    nxt = float(p[i + 1]) if i + 1 < len(p) else 0.0
    return (float(p[i]) + nxt) / 2, float(f1[i])


def tune_on_matrix(probabilities, gold, missed=0):
    """Threshold tuning on a full N x L probability matrix and a 0/1 gold matrix of the same shape;
    `missed`: gold labels outside the matrix's columns (they count as misses)."""
    n = probabilities.shape[0]
    top1 = np.argmax(probabilities, axis=1)
    top1_correct = int(gold[np.arange(n), top1].sum())
    mask = np.ones(probabilities.shape, dtype=bool)
    mask[np.arange(n), top1] = False
    return tune_global_threshold(probabilities[mask], gold[mask] > 0, top1_correct, n, int(gold.sum()) + missed)


def tune_on_ranked(ranked, gold_sets):
    """Threshold tuning from per-paper ranked lists [(code, probability), ...] (highest first) and gold
    code sets; gold labels a list does not reach count as missed."""
    probabilities, is_gold, top1_correct, gold_total = [], [], 0, 0
    for row, gold in zip(ranked, gold_sets):
        gold_total += len(gold)
        if row and row[0][0] in gold:
            top1_correct += 1
        for code, p in row[1:]:
            probabilities.append(p)
            is_gold.append(code in gold)
    return tune_global_threshold(np.array(probabilities, dtype=np.float64), np.array(is_gold, dtype=bool),
                                 top1_correct, len(ranked), gold_total)


def decide(row, threshold):
    """arxivc's decision on a ranked row: the top-1, then every other label reaching the threshold."""
    return [row[0][0]] + [code for code, p in row[1:] if p >= threshold] if row else []


def ranked_rows(probabilities, classes, k):
    """Per paper, the k most probable (code, probability) pairs of an N x L matrix, highest first (ties:
    lower column first); k <= 0 means all."""
    k = probabilities.shape[1] if k <= 0 else min(k, probabilities.shape[1])
    top = np.argsort(-probabilities, axis=1, kind="stable")[:, :k]
    return [[(classes[j], float(probabilities[i, j])) for j in top[i]] for i in range(probabilities.shape[0])]


def write_predictions(path, ids, ranked, predicted, top_k=10):
    """JSON Lines in `arxivc predict`'s format: {"id", "predicted", "top"}."""
    with open(path, "w", encoding="utf-8") as f:
        for paper_id, row, labels in zip(ids, ranked, predicted):
            top = [[code, round(p, 6)] for code, p in row[:top_k]]
            f.write(json.dumps({"id": paper_id, "predicted": labels, "top": top}) + "\n")
