#!/usr/bin/env bash
# Benchmark: `arxivc prepare` against a straightforward Python script doing the same work, on the same
# file, in the same invocation. Prints throughput in MB/s of uncompressed JSON, their ratio, and peak
# memory. Usage: bench/prepare_throughput.sh [INPUT] (default: the 500k-paper zstd file).
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR=${ARXIVC_DATA_DIR:-../shared/data}
INPUT=${1:-$DATA_DIR/arxiv-metadata-500k.jsonl.zst}
ARXIVC=${ARXIVC:-build/arxivc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ -x "$ARXIVC" ] || { echo "build arxivc first (make build)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

case "$INPUT" in
  *.zst) BYTES=$(zstd -dc "$INPUT" | wc -c) ;;
  *.gz) BYTES=$(gzip -dc "$INPUT" | wc -c) ;;
  *) BYTES=$(stat -c %s "$INPUT") ;;
esac

# seconds and peak RSS (kB) of a command, from GNU time's report
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
    echo "$name failed:" >&2; tail -20 "$WORK/$name.err" >&2; exit 1; }
  cat "$WORK/$name.time" | tail -1
}

echo "input: $INPUT ($((BYTES / 1000000)) MB uncompressed JSON)"
read -r arxivc_s arxivc_kb < <(measure arxivc "$ARXIVC" -q prepare --input "$INPUT" --output "$WORK/dataset" \
  run.dir="$WORK/run")
read -r python_s python_kb < <(measure python /usr/bin/python3 bench/python_prepare_baseline.py \
  --input "$INPUT" --output "$WORK/python" --taxonomy "$DATA_DIR/arxiv-taxonomy.json")

awk -v b="$BYTES" -v as="$arxivc_s" -v ak="$arxivc_kb" -v ps="$python_s" -v pk="$python_kb" 'BEGIN {
  amb = b / 1e6 / as; pmb = b / 1e6 / ps;
  printf "%-22s %10s %10s %14s\n", "", "seconds", "MB/s", "peak RSS (MB)";
  printf "%-22s %10.2f %10.1f %14.0f\n", "arxivc prepare", as, amb, ak / 1024;
  printf "%-22s %10.2f %10.1f %14.0f\n", "python baseline", ps, pmb, pk / 1024;
  printf "throughput ratio: %.1fx (target >= 10x); arxivc peak memory %.2f GB (target <= 1.5 GB)\n", amb / pmb, ak / 1048576;
}'
