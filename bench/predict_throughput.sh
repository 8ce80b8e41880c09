#!/usr/bin/env bash
# Prediction speed: `arxivc predict` throughput on 100k real papers (the first 100,000 of the 500k file,
# decompressed once), on all cores against a baseline run in the same invocation (--threads 1), with peak
# memory; then the latency of scoring one paper (bench/predict_latency.cpp, Google Benchmark).
#
#   bench/predict_throughput.sh [--model DIR] [--papers N] [--work-dir DIR] [--input FILE] [--no-latency]
#
# --model DIR     a trained model directory; default: arxivc's default experiment trained on the 5k sample
# --papers N      papers predicted (default 100000)
# --work-dir DIR  scratch (default bench/results/predict): the decompressed papers are kept there
# --input FILE    raw metadata (default: $ARXIVC_DATA_DIR or ../shared/data, arxiv-metadata-500k.jsonl.zst)
# Target (issue 3): at least 20,000 papers/s on 2 cores for the linear model.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR=${ARXIVC_DATA_DIR:-../shared/data}
INPUT=$DATA_DIR/arxiv-metadata-500k.jsonl.zst
WORK=bench/results/predict
MODEL=
PAPERS=100000
LATENCY=1
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL=$2; shift 2 ;;
    --papers) PAPERS=$2; shift 2 ;;
    --work-dir) WORK=$2; shift 2 ;;
    --input) INPUT=$2; shift 2 ;;
    --no-latency) LATENCY=; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
ARXIVC=${ARXIVC:-build/arxivc}
[ -x "$ARXIVC" ] || { echo "build arxivc first (make build)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
mkdir -p "$WORK"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

if [ -z "$MODEL" ]; then
  MODEL=$WORK/model-5k
  if [ ! -f "$MODEL/model.bin" ]; then
    log "no --model: training the default experiment on the 5k sample into $MODEL"
    "$ARXIVC" -q train --input "$DATA_DIR/arxiv-metadata-5k.json" --output "$MODEL" "run.dir=$WORK/runs/train" \
      "reports.dir=$WORK/reports" "paths.datasets=$WORK/datasets" >"$WORK/train.log" 2>&1 || {
      tail -20 "$WORK/train.log" >&2; exit 1; }
  fi
fi
[ -f "$MODEL/model.bin" ] || { echo "$MODEL is not a model directory (no model.bin)" >&2; exit 1; }

[[ "$PAPERS" =~ ^[1-9][0-9]*$ ]] || { echo "--papers must be a positive integer, not '$PAPERS'" >&2; exit 2; }
PAPERS_FILE=$WORK/papers-$PAPERS.jsonl
if [ ! -f "$PAPERS_FILE" ]; then
  [ -f "$INPUT" ] || { echo "input not found: $INPUT (--input FILE or ARXIVC_DATA_DIR)" >&2; exit 1; }
  log "decompressing the first $PAPERS papers of $INPUT"
  # `head` closing the pipe early makes the decompressor fail with SIGPIPE: its status is not checked here,
  # the line count below catches a missing, truncated or corrupt input instead.
  case "$INPUT" in
    *.zst) zstd -dc "$INPUT" | head -n "$PAPERS" >"$PAPERS_FILE.tmp" || true ;;
    *.gz) gzip -dc "$INPUT" | head -n "$PAPERS" >"$PAPERS_FILE.tmp" || true ;;
    *) head -n "$PAPERS" "$INPUT" >"$PAPERS_FILE.tmp" ;;
  esac
  got=$(wc -l <"$PAPERS_FILE.tmp")
  if [ "$got" -ne "$PAPERS" ]; then
    rm -f "$PAPERS_FILE.tmp"
    echo "$INPUT gave $got papers, not $PAPERS: missing, truncated or corrupt input (or use a smaller --papers)" >&2
    exit 1
  fi
  mv "$PAPERS_FILE.tmp" "$PAPERS_FILE"
fi
COUNT=$(wc -l <"$PAPERS_FILE")
[ "$COUNT" -eq "$PAPERS" ] || {
  echo "$PAPERS_FILE holds $COUNT papers, not $PAPERS (left by an older run?): delete it and rerun" >&2; exit 1; }
head -n 1 "$PAPERS_FILE" >"$WORK/one-paper.jsonl"

# run THREADS FILE: wall seconds and peak RSS (kB) of one `arxivc predict`, output into the work dir
run() {
  /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$ARXIVC" -q predict --model "$MODEL" --input "$2" \
    --output "$WORK/predictions.jsonl" --threads "$1" 2>"$WORK/predict.log" || {
    tail -20 "$WORK/predict.log" >&2; exit 1; }
  tail -1 "$WORK/time.txt"
}
# best THREADS FILE: the fastest of 3 runs (the machine is shared), with its peak RSS
best() {
  local s kb best_s='' best_kb=''
  for _ in 1 2 3; do
    read -r s kb < <(run "$1" "$2")
    if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then best_s=$s; best_kb=$kb; fi
  done
  echo "$best_s $best_kb"
}

echo "model: $MODEL ($(du -h "$MODEL/model.bin" | cut -f1) model.bin); papers: $COUNT from $INPUT"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (shared machine: compare the ratio)"
read -r load_s load_kb < <(best 0 "$WORK/one-paper.jsonl")
read -r one_s one_kb < <(best 1 "$PAPERS_FILE")
read -r all_s all_kb < <(best 0 "$PAPERS_FILE")
[ "$(wc -l <"$WORK/predictions.jsonl")" -eq "$COUNT" ] || { echo "predict wrote the wrong number of lines" >&2; exit 1; }
awk -v n="$COUNT" -v l="$load_s" -v o="$one_s" -v a="$all_s" -v ok="$one_kb" -v ak="$all_kb" -v lk="$load_kb" \
    -v cores="$(nproc)" 'BEGIN {
  printf "%-22s %9s %12s %22s %14s\n", "arxivc predict", "wall s", "papers/s", "papers/s (no loading)", "peak RSS (MB)";
  printf "%-22s %9.2f %12.0f %22.0f %14.0f\n", "--threads 1 (baseline)", o, n / o, (o > l ? n / (o - l) : 0), ok / 1024;
  printf "%-22s %9.2f %12.0f %22.0f %14.0f\n", "all " cores " cores", a, n / a, (a > l ? n / (a - l) : 0), ak / 1024;
  printf "model loading (1 paper): %.2f s, %.0f MB\n", l, lk / 1024;
  printf "speed-up over 1 thread: %.2fx; %.0f papers/s on %d cores (target >= 20000 for the linear model)\n",
         o / a, n / a, cores;
}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -n "$LATENCY" ]; then
  # Built next to arxivc by a build configured with -DARXIVC_BENCH=ON (CI's); otherwise build it here.
  LATENCY_BIN=$(dirname "$ARXIVC")/predict_latency
  if [ ! -x "$LATENCY_BIN" ]; then
    log "no $LATENCY_BIN: building bench/predict_latency.cpp (build-bench, -DARXIVC_BENCH=ON)"
    export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-$(command -v ccache || true)}
    { cmake -S . -B build-bench -G Ninja -DARXIVC_BENCH=ON -DARXIVC_TESTS=OFF -DARXIVC_WERROR=ON && \
      cmake --build build-bench --target predict_latency -j "$(nproc)"; } >"$WORK/build-bench.log" 2>&1 || {
      tail -30 "$WORK/build-bench.log" >&2; exit 1; }
    LATENCY_BIN=build-bench/predict_latency
  fi
  # The benchmark uses only the first 100 papers: give it those, not the whole file to parse.
  head -n 100 "$PAPERS_FILE" >"$WORK/papers-100.jsonl"
  echo "latency of scoring one paper (Classifier::predict, one thread; Google Benchmark, 5 repetitions; $LATENCY_BIN):"
  ARXIVC_BENCH_MODEL=$MODEL ARXIVC_BENCH_PAPERS=$WORK/papers-100.jsonl "$LATENCY_BIN" \
    --benchmark_repetitions=5 --benchmark_report_aggregates_only=true 2>&1 | grep -E 'Benchmark|---|_(mean|median|stddev)'
fi
