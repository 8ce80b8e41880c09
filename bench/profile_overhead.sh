#!/usr/bin/env bash
# Benchmark: what `--profile FILE` costs. Runs the same job (prepare + train on the first --papers papers of
# the 500k file) alternately without and with --profile, --reps times each, interleaved (off/on, then on/off,
# ...), and prints each mode's median wall and CPU time and their ratio (target: at most 1.02), the size
# of the traces, and the load average before and after. With --serve, also `arxivc serve` under wrk
# (requests/s with --profile, 1 request in 100 sampled, against without). With build/trace_span_cost
# (cmake -DARXIVC_BENCH=ON), also the cost of one span and the bound it gives for the whole job.
#
#   bench/profile_overhead.sh [--papers 100000] [--epochs 3] [--reps 5] [--serve] [--serve-duration 10s]
#                             [--connections 16] [--work DIR]
#
# The machine is shared (2 cores): run it when the load average is below 1, and read the ratio, not the
# absolute times. Scratch files go to bench/results/profile (ignored by git) unless --work.
set -euo pipefail
cd "$(dirname "$0")/.."

ARXIVC=${ARXIVC:-build/arxivc}
DATA_DIR=${ARXIVC_DATA_DIR:-../shared/data}
papers=100000
epochs=3
reps=5
serve=0
serve_duration=10s
connections=16
work=bench/results/profile
while [ $# -gt 0 ]; do
  case "$1" in
    --papers) papers="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --serve) serve=1; shift ;;
    --serve-duration) serve_duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

[ -x "$ARXIVC" ] || { echo "build arxivc first (make build)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
ARXIVC="$(cd "$(dirname "$ARXIVC")" && pwd)/$(basename "$ARXIVC")"
source_500k="$DATA_DIR/arxiv-metadata-500k.jsonl.zst"
[ -f "$source_500k" ] || { echo "missing $source_500k (set ARXIVC_DATA_DIR)" >&2; exit 1; }
mkdir -p "$work"
work="$(cd "$work" && pwd)"
input="$work/papers-$papers.jsonl"
if [ ! -s "$input" ]; then
  # head stops zstd early (SIGPIPE): the count of lines is what matters
  { zstd -dc "$source_500k" 2>/dev/null || true; } | head -n "$papers" >"$input.tmp"
  [ "$(wc -l <"$input.tmp")" = "$papers" ] || { echo "the 500k file has fewer than $papers papers" >&2; exit 1; }
  mv "$input.tmp" "$input"
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "job: arxivc prepare + arxivc train --epochs $epochs on the first $papers papers of $(basename "$source_500k")"
echo "binary: $ARXIVC ($("$ARXIVC" --version))"
echo "load average before: $(load)"

# run MODE REP: one prepare + train; appends "mode wall cpu" for the pair to $work/times.tsv
run() {
  local mode=$1 rep=$2 dir="$work/run-$1-$2"
  rm -rf "$dir"
  mkdir -p "$dir"
  local prepare_profile=() train_profile=()
  if [ "$mode" = on ]; then
    prepare_profile=(--profile "$dir/prepare.trace.json")
    train_profile=(--profile "$dir/train.trace.json")
  fi
  /usr/bin/time -f '%e %U %S' -o "$dir/prepare.time" "$ARXIVC" -q "${prepare_profile[@]}" prepare \
    --input "$input" --output "$dir/dataset" run.dir="$dir/run" >"$dir/prepare.log" 2>&1 ||
    { echo "prepare failed:" >&2; tail -5 "$dir/prepare.log" >&2; exit 1; }
  /usr/bin/time -f '%e %U %S' -o "$dir/train.time" "$ARXIVC" -q "${train_profile[@]}" train \
    --input "$dir/dataset" --output "$dir/model" --epochs "$epochs" run.dir="$dir/run" \
    reports.dir="$dir/reports" >"$dir/train.log" 2>&1 ||
    { echo "train failed:" >&2; tail -5 "$dir/train.log" >&2; exit 1; }
  awk -v mode="$mode" -v rep="$rep" '{ wall += $1; cpu += $2 + $3 } END { printf "%s\t%s\t%.3f\t%.3f\n", mode, rep, wall, cpu }' \
    "$dir/prepare.time" "$dir/train.time" >>"$work/times.tsv"
  if [ "$mode" = on ]; then
    du -cb "$dir"/*.trace.json | tail -1 | cut -f1 >"$work/trace-bytes-$rep"
    /usr/bin/python3 -c 'import json, sys; print(sum(json.load(open(f))["otherData"]["events"] for f in sys.argv[1:]))' \
      "$dir"/*.trace.json >"$work/trace-events-$rep"
  fi
  rm -rf "$dir/dataset" "$dir/model"
}

: >"$work/times.tsv"
for rep in $(seq 1 "$reps"); do
  if [ $((rep % 2)) = 1 ]; then run off "$rep"; run on "$rep"; else run on "$rep"; run off "$rep"; fi
  printf 'rep %d: %s\n' "$rep" "$(awk -v r="$rep" '$2 == r { printf "%s %.2f s (cpu %.2f s)  ", $1, $3, $4 }' "$work/times.tsv")"
done

# The cost of one span, for a bound that does not depend on the machine's noise (needs -DARXIVC_BENCH=ON).
span_ns=""
if [ -x "$(dirname "$ARXIVC")/trace_span_cost" ]; then
  span_ns="$("$(dirname "$ARXIVC")/trace_span_cost" --benchmark_filter='BM_SpanRecorded/|BM_RenderThousandEvents' \
    --benchmark_format=json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
b = {x["name"].split("/")[0]: x for x in json.load(sys.stdin)["benchmarks"]}
print(b["BM_SpanRecorded"]["real_time"], b["BM_RenderThousandEvents"]["real_time"])')" || span_ns=""
fi

/usr/bin/python3 - "$work/times.tsv" "$work" "$span_ns" <<'PY'
import glob, statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]) if line.strip()]
wall = {m: [float(r[2]) for r in rows if r[0] == m] for m in ("off", "on")}
cpu = {m: [float(r[3]) for r in rows if r[0] == m] for m in ("off", "on")}
by_rep = {(r[0], r[1]): float(r[2]) for r in rows}
paired = [by_rep[("on", rep)] / by_rep[("off", rep)] for (mode, rep) in by_rep if mode == "on" and ("off", rep) in by_rep]
trace_bytes = [int(open(f).read()) for f in glob.glob(sys.argv[2] + "/trace-bytes-*")]
events = [int(open(f).read()) for f in glob.glob(sys.argv[2] + "/trace-events-*")]
print()
print("%-18s %14s %11s %13s %5s" % ("", "median wall s", "min wall s", "median CPU s", "runs"))
for mode, label in (("off", "without --profile"), ("on", "with --profile")):
    print("%-18s %14.2f %11.2f %13.2f %5d" % (label, statistics.median(wall[mode]), min(wall[mode]),
                                                statistics.median(cpu[mode]), len(wall[mode])))
ratio = statistics.median(wall["on"]) / statistics.median(wall["off"])
cpu_ratio = statistics.median(cpu["on"]) / statistics.median(cpu["off"])
print("overhead, ratio of medians: wall %+.2f%% (%.4f; target <= 1.02), CPU %+.2f%%" % ((ratio - 1) * 100, ratio, (cpu_ratio - 1) * 100))
print("overhead, median of the %d paired ratios (on/off of one rep): %+.2f%% (each: %s)" % (
    len(paired), (statistics.median(paired) - 1) * 100, " ".join("%.3f" % p for p in paired)))
print("min over min: %+.2f%%; spread of the runs without --profile: %.2f-%.2f s (%.1f%%)" % (
    (min(wall["on"]) / min(wall["off"]) - 1) * 100, min(wall["off"]), max(wall["off"]),
    (max(wall["off"]) / min(wall["off"]) - 1) * 100))
if trace_bytes:
    print("trace files (prepare + train): %.0f KB, %d events per run" % (statistics.median(trace_bytes) / 1024,
                                                                       statistics.median(events) if events else 0))
if sys.argv[3] and events:
    span_ns, render_us = (float(x) for x in sys.argv[3].split())
    n = statistics.median(events)
    cost_s = n * span_ns * 1e-9 + n / 1000 * render_us * 1e-6
    print("bound from the span cost (%.0f ns a span, %.0f us to render 1,000 events): %.2f ms a run, %.4f%% of %.1f s" % (
        span_ns, render_us, cost_s * 1e3, 100 * cost_s / statistics.median(wall["off"]), statistics.median(wall["off"])))
PY
echo "load average after: $(load)"

[ "$serve" = 1 ] || exit 0

# --- serve: requests/s with and without --profile (default sampling, 1 request in 100) -----------------
command -v wrk >/dev/null || { echo "wrk is not installed (bash scripts/setup.sh): skipping serve" >&2; exit 0; }
model="$work/serve-model"
if [ ! -f "$model/model.bin" ]; then
  "$ARXIVC" -q train --input "$input" --output "$model" --epochs "$epochs" run.dir="$work/serve-run" \
    reports.dir="$work/serve-reports" paths.datasets="$work/serve-datasets" >"$work/serve-train.log" 2>&1 ||
    { echo "training the served model failed" >&2; exit 1; }
fi
/usr/bin/python3 - "$DATA_DIR/arxiv-metadata-5k.json" "$work/bodies.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as lines, open(sys.argv[2], "w", encoding="utf-8") as out:
    for n, line in enumerate(lines):
        if n == 2000:
            break
        r = json.loads(line)
        out.write(json.dumps({"title": r["title"], "abstract": r["abstract"], "top_k": 5}) + "\n")
PY
serve_pid=""
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; true' EXIT
# serve_rps MODE: starts the server, warms it up, runs wrk, stops it with SIGTERM; prints requests/s
serve_rps() {
  local mode=$1 profile=() log="$work/serve-$1.log" port=""
  [ "$mode" = on ] && profile=(--profile "$work/serve.trace.json")
  rm -f "$work/serve.trace.json"
  "$ARXIVC" "${profile[@]}" serve --model "$model" --host 127.0.0.1 --port 0 --no-auth >"$log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 600); do
    port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log" | head -1)"
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "serve did not start: $(tail -3 "$log")" >&2; exit 1; }
  WRK_BODIES="$work/bodies.jsonl" WRK_PATH=/v1/predict wrk -t2 -c"$connections" -d2s \
    -s bench/wrk_post_bodies.lua "http://127.0.0.1:$port" >/dev/null
  WRK_BODIES="$work/bodies.jsonl" WRK_PATH=/v1/predict wrk -t2 -c"$connections" -d"$serve_duration" \
    -s bench/wrk_post_bodies.lua "http://127.0.0.1:$port" | sed -n 's/.*WRK_RESULT.* rps=\([0-9.]*\).*/\1/p'
  kill -TERM "$serve_pid"
  wait "$serve_pid" || true
  serve_pid=""
}
echo
echo "serve: POST /v1/predict, wrk -c$connections -d$serve_duration, 3 runs each, interleaved; load average $(load)"
: >"$work/serve.tsv"
for rep in 1 2 3; do
  for mode in off on; do
    [ $((rep % 2)) = 0 ] && mode=$([ "$mode" = off ] && echo on || echo off)
    rps="$(serve_rps "$mode")"
    printf '%s\t%s\n' "$mode" "$rps" >>"$work/serve.tsv"
    printf 'rep %d %s: %s requests/s\n' "$rep" "$mode" "$rps"
  done
done
/usr/bin/python3 - "$work/serve.tsv" "$work/serve.trace.json" <<'PY'
import json, os, statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
rps = {m: [float(r[1]) for r in rows if r[0] == m] for m in ("off", "on")}
off, on = statistics.median(rps["off"]), statistics.median(rps["on"])
print("serve median requests/s: without --profile %.0f, with --profile %.0f: %.2f%% fewer" % (off, on, (1 - on / off) * 100))
if os.path.exists(sys.argv[2]):
    trace = json.load(open(sys.argv[2]))
    requests = sum(1 for e in trace["traceEvents"] if e.get("ph") == "b" and e.get("name") == "request")
    print("last trace: %d sampled requests, %.0f KB" % (requests, os.path.getsize(sys.argv[2]) / 1024))
PY
echo "load average after serve: $(load)"
