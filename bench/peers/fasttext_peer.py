#!/usr/bin/python3
"""fastText peer of bench/compare_peers.sh: helpers around Debian's `fasttext` command-line tool, which
does the training and the scoring itself (supervised, one-vs-all loss, so that probabilities are per
category and a paper can have several).

  fasttext_peer.py convert --input X.jsonl --output X.txt
      `arxivc export` JSON Lines -> fastText's format: "__label__cs.LG __label__stat.ML text", the text
      being title and abstract, lower-cased, punctuation split from words, on one line.
  fasttext_peer.py tune --scores V.scores --gold V.jsonl --output threshold.json
      the global threshold maximising micro-F1 on validation of arxivc's decision (top-1 plus every other
      label reaching the threshold), from `fasttext predict-prob MODEL V.txt K` output.
  fasttext_peer.py write --scores T.scores --papers T.jsonl --threshold threshold.json --output P.jsonl
      predictions in `arxivc predict`'s JSON Lines format (primary = the top-ranked label).
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import common  # noqa: E402

PREFIX = "__label__"
PUNCTUATION = re.compile(r"([.,;:!?()\[\]{}\"'`$\\/=+*^_<>|~-])")
SPACES = re.compile(r"\s+")


def fasttext_text(paper):
    text = PUNCTUATION.sub(r" \1 ", common.text_of(paper).lower())
    return SPACES.sub(" ", text).strip()


def convert(args):
    with open(args.output, "w", encoding="utf-8") as out:
        for paper in common.read_jsonl(args.input):
            labels = " ".join(PREFIX + code for code in paper["labels"])
            out.write(f"{labels} {fasttext_text(paper)}\n")


def read_scores(path):
    """`fasttext predict-prob` output: one line per paper, "__label__X p __label__Y q ...", highest first."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            rows.append([(fields[i][len(PREFIX):], min(1.0, float(fields[i + 1])))
                         for i in range(0, len(fields) - 1, 2)])
    return rows


def tune(args):
    rows = read_scores(args.scores)
    papers = common.read_jsonl(args.gold)
    if len(rows) != len(papers):
        sys.exit(f"{args.scores}: {len(rows)} score lines for {len(papers)} papers")
    threshold, f1 = common.tune_on_ranked(rows, [set(p["labels"]) for p in papers])
    print(f"[fasttext] validation micro-F1 {f1:.4f} at threshold {threshold:.3f}", file=sys.stderr)
    with open(args.output, "w") as f:
        json.dump({"threshold": threshold, "validation_micro_f1": f1}, f)


def write(args):
    rows = read_scores(args.scores)
    papers = common.read_jsonl(args.papers)
    if len(rows) != len(papers):
        sys.exit(f"{args.scores}: {len(rows)} score lines for {len(papers)} papers")
    with open(args.threshold) as f:
        threshold = json.load(f)["threshold"]
    predicted = [common.decide(row, threshold) for row in rows]
    common.write_predictions(args.output, [p["id"] for p in papers], rows, predicted)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("convert")
    c.add_argument("--input", required=True)
    c.add_argument("--output", required=True)
    t = sub.add_parser("tune")
    t.add_argument("--scores", required=True)
    t.add_argument("--gold", required=True)
    t.add_argument("--output", required=True)
    w = sub.add_parser("write")
    w.add_argument("--scores", required=True)
    w.add_argument("--papers", required=True)
    w.add_argument("--threshold", required=True)
    w.add_argument("--output", required=True)
    args = parser.parse_args()
    {"convert": convert, "tune": tune, "write": write}[args.command](args)


if __name__ == "__main__":
    main()
