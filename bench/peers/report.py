#!/usr/bin/python3
"""Builds bench/compare_peers.sh's table from its work directory: per system, the /usr/bin/time -v reports
of its training steps and of its prediction step, its model files and the metrics JSON written by
`arxivc evaluate --predictions`.

  report.py WORK_DIR SYSTEM[,SYSTEM...]

WORK_DIR/times/<system>.train.*.time: training steps (wall times summed, peak RSS = the highest);
WORK_DIR/times/<system>.predict.time: prediction on the test split;
WORK_DIR/<system>/model_files: the model's files, one path a line (sizes summed);
WORK_DIR/eval/<system>/evaluation_test.json: metrics."""

import glob
import json
import os
import re
import sys


def parse_time(path):
    """(wall seconds, peak RSS in kB) from a GNU time -v report."""
    wall, rss = None, None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("Elapsed (wall clock) time"):
                parts = [float(x) for x in re.split(r":", line.rsplit(" ", 1)[1])]
                wall = sum(v * 60 ** (len(parts) - 1 - i) for i, v in enumerate(parts))
            elif line.startswith("Maximum resident set size"):
                rss = int(line.rsplit(" ", 1)[1])
    if wall is None or rss is None:
        sys.exit(f"{path}: not a GNU time -v report")
    return wall, rss


def human_bytes(n):
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.2f} {unit}" if unit == "GB" else f"{n / size:.0f} {unit}"
    return f"{n} B"


def human_seconds(s):
    return f"{s / 60:.1f} min" if s >= 120 else f"{s:.1f} s"


def main():
    work, systems = sys.argv[1], sys.argv[2].split(",")
    rows = {}
    for system in systems:
        train = [parse_time(p) for p in sorted(glob.glob(f"{work}/times/{system}.train.*.time"))]
        predict_wall, predict_rss = parse_time(f"{work}/times/{system}.predict.time")
        with open(f"{work}/eval/{system}/evaluation_test.json") as f:
            metrics = json.load(f)
        with open(f"{work}/{system}/model_files") as f:
            size = sum(os.path.getsize(p.strip()) for p in f if p.strip())
        rows[system] = {
            "train_s": sum(w for w, _ in train),
            "peak_kb": max([r for _, r in train] + [predict_rss]),
            "predict_ms": 1000 * predict_wall / metrics["papers"],
            "size": size,
            "m": metrics,
        }
    header = ("| system | primary accuracy | micro-F1 | samples-F1 | macro-F1 | training time | "
              "predict ms/paper | peak memory | model size |")
    lines = [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for system, r in rows.items():
        m = r["m"]
        lines.append(f"| {system} | {m['primary_accuracy']:.4f} | {m['micro']['f1']:.4f} | "
                     f"{m['samples']['f1']:.4f} | {m['macro']['f1']:.4f} | {human_seconds(r['train_s'])} | "
                     f"{r['predict_ms']:.3f} | {human_bytes(r['peak_kb'] * 1024)} | {human_bytes(r['size'])} |")
    papers = next(iter(rows.values()))["m"]["papers"]
    lines.append("")
    lines.append(f"Test papers: {papers}. Training time: wall time of every training step (fit, validation "
                 "scoring, threshold tuning, saving); predict ms/paper: wall time of the whole prediction "
                 "process on the test split (model loading included) / papers; peak memory: the highest "
                 "resident set size of any step.")
    if "arxivc" in rows and "scikit-learn" in rows:
        ratio = rows["scikit-learn"]["train_s"] / rows["arxivc"]["train_s"]
        lines.append(f"arxivc trains {ratio:.1f}x faster than scikit-learn (target: at least 5x).")
    if "arxivc" in rows and "fastText" in rows:
        ratio = rows["fastText"]["train_s"] / rows["arxivc"]["train_s"]
        lines.append(f"arxivc trains {ratio:.1f}x faster than fastText.")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
