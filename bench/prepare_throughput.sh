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

# wall seconds, CPU seconds (user + system) and peak RSS (kB) of a command, from GNU time's report
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
    echo "$name failed:" >&2; tail -20 "$WORK/$name.err" >&2; exit 1; }
  tail -1 "$WORK/$name.time" | awk '{print $1, $2 + $3, $4}'
}

echo "input: $INPUT ($((BYTES / 1000000)) MB uncompressed JSON)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare ratios, and CPU time when loaded)"
read -r arxivc_s arxivc_cpu arxivc_kb < <(measure arxivc "$ARXIVC" -q prepare --input "$INPUT" --output "$WORK/dataset" \
  run.dir="$WORK/run")
read -r python_s python_cpu python_kb < <(measure python /usr/bin/python3 bench/python_prepare_baseline.py \
  --input "$INPUT" --output "$WORK/python" --taxonomy "$DATA_DIR/arxiv-taxonomy.json")

awk -v b="$BYTES" -v as="$arxivc_s" -v ac="$arxivc_cpu" -v ak="$arxivc_kb" \
    -v ps="$python_s" -v pc="$python_cpu" -v pk="$python_kb" 'BEGIN {
  amb = b / 1e6 / as; pmb = b / 1e6 / ps;
  printf "%-18s %9s %9s %12s %16s %14s\n", "", "wall s", "MB/s", "CPU s", "MB per CPU-s", "peak RSS (MB)";
  printf "%-18s %9.2f %9.1f %12.2f %16.1f %14.0f\n", "arxivc prepare", as, amb, ac, b / 1e6 / ac, ak / 1024;
  printf "%-18s %9.2f %9.1f %12.2f %16.1f %14.0f\n", "python baseline", ps, pmb, pc, b / 1e6 / pc, pk / 1024;
  printf "throughput ratio (wall): %.1fx (target >= 10x); CPU-time ratio: %.1fx\n", amb / pmb, pc / ac;
  printf "arxivc peak memory %.2f GB (target <= 1.5 GB)\n", ak / 1048576;
}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
