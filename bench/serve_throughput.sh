#!/usr/bin/env bash
# Serving benchmark: `arxivc serve` against a FastAPI + uvicorn + scikit-learn service (bench/peer_service)
# in the same run, on the same machine and the same data. Measures time from start to /ready, resident
# memory, then wrk for --duration at each of --connections against POST /v1/predict with real abstracts
# (requests/s, p50, p99), and the batch endpoint's throughput in papers/s (64-paper batches); prints both
# and their ratios, and writes them to OUT/serve_throughput.{md,json}.
#
#   bench/serve_throughput.sh [--model DIR] [--input FILE] [--max-samples N] [--duration 10s]
#                             [--connections "16 64"] [--batch-connections 8] [--out DIR]
#
# Without --model it trains the default CPU model (experiment tfidf_linear) on --input (default: the
# 500k sample) with --max-samples papers (default: all). The peer trains on the same papers: the training
# split of the dataset arxivc prepared from --input, exported with `arxivc export --max-samples N` (arxivc's
# seeded choice); with --model, on that split of --input prepared with prepare's defaults. Both are
# reused on the next run with the same input and sample size. Needs wrk and Debian's python3-fastapi,
# python3-uvicorn, python3-sklearn (bash scripts/setup.sh).
set -euo pipefail
# shellcheck source=tests/support/serve_helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../tests/support/serve_helpers.sh"
arxivc_install_cleanup

model=""
input="$ARXIVC_DATA_DIR/arxiv-metadata-500k.jsonl.zst"
max_samples=0
duration="10s"
connections="16 64"
batch_connections=8
out="$ARXIVC_SOURCE_DIR/bench/results/serve"
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --input) input="$2"; shift 2 ;;
    --max-samples) max_samples="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --batch-connections) batch_connections="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

PY=/usr/bin/python3  # Debian's Python: the one that sees python3-fastapi, -uvicorn, -sklearn
command -v wrk >/dev/null || die "wrk is not installed (bash scripts/setup.sh)"
"$PY" -c 'import fastapi, uvicorn, sklearn, joblib' 2>/dev/null ||
  die "Debian's python3-fastapi, python3-uvicorn, python3-sklearn, python3-joblib are needed (bash scripts/setup.sh)"
require_arxivc
[ -f "$input" ] || die "input not found: $input (--input or ARXIVC_DATA_DIR)"
sample="$ARXIVC_DATA_DIR/arxiv-metadata-5k.json"
[ -f "$sample" ] || die "the 5k sample (the abstracts sent) is missing: $sample"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cores="$(nproc)"
max_args=()
[ "$max_samples" -gt 0 ] && max_args=(--max-samples "$max_samples")

# --- the two models, trained on the same papers --------------------------------------------------------
stamp="$(basename "$input") $(stat -c %s "$input") max_samples=$max_samples"
own_model=0
if [ -z "$model" ]; then
  own_model=1
  model="$out/model"
  if [ ! -f "$model/model.bin" ] || [ "$(cat "$out/model.stamp" 2>/dev/null)" != "$stamp" ]; then
    log "training arxivc's default model on $input ${max_args[*]}"
    rm -rf "$model" "$out/work"
    mkdir -p "$out/work"
    started=$SECONDS
    (cd "$out/work" && "$ARXIVC_BIN" -q train --input "$input" --output "$model" "${max_args[@]}" \
      paths.datasets="$out/work/datasets" reports.dir="$out/work/reports" run.dir="$out/work/run") \
      >"$out/train.log" 2>&1 || die "arxivc train failed: $(tail -5 "$out/train.log")"
    log "arxivc trained in $((SECONDS - started)) s"
    printf '%s\n' "$stamp" >"$out/model.stamp"
  fi
fi
[ -f "$model/model.bin" ] || die "no model.bin in $model"

# The peer trains on the papers arxivc trained on: the training split of the dataset `arxivc train --input`
# prepared (the one dataset in its cache under $out/work), or, with --model, of --input prepared with
# prepare's defaults (the same settings, deterministic), exported with the same --max-samples.
dataset=""
if [ "$own_model" = 1 ]; then
  manifests=("$out"/work/datasets/cache/*/manifest.json)
  [ "${#manifests[@]}" = 1 ] && [ -f "${manifests[0]}" ] && dataset="$(dirname "${manifests[0]}")"
fi
if [ -z "$dataset" ]; then
  dataset="$out/dataset"
  # Prepared again when it is missing or was prepared from another file.
  if ! "$PY" - "$dataset/manifest.json" "$input" <<'PY' 2>/dev/null; then
import json, os, sys
source = json.load(open(sys.argv[1]))["source"]
same = os.path.realpath(source["path"]) == os.path.realpath(sys.argv[2]) and source["size"] == os.path.getsize(sys.argv[2])
sys.exit(0 if same else 1)
PY
    log "preparing $input with prepare's defaults into $dataset"
    rm -rf "$dataset"
    "$ARXIVC_BIN" -q prepare --input "$input" --output "$dataset" run.dir="$out/work/run-prepare" \
      >"$out/prepare.log" 2>&1 || die "arxivc prepare failed: $(tail -5 "$out/prepare.log")"
  fi
fi
dataset_hash="$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["content_hash"])' "$dataset/manifest.json")" ||
  die "no readable manifest.json in $dataset"
# The peer scores the same label space as the arxivc model (its labels.json).
peer_model="$out/peer/model.joblib"
peer_stamp="$stamp labels=$(sha256sum "$model/labels.json" | cut -d' ' -f1) dataset=$dataset_hash split=train"
if [ ! -f "$peer_model" ] || [ "$(cat "$out/peer.stamp" 2>/dev/null)" != "$peer_stamp" ]; then
  mkdir -p "$out/peer"
  peer_train="$out/peer/train.jsonl"
  "$ARXIVC_BIN" -q export --input "$dataset" --split train --output "$peer_train" "${max_args[@]}" \
    2>"$out/peer_export.log" || die "arxivc export failed: $(tail -5 "$out/peer_export.log")"
  log "training the scikit-learn peer on the $(wc -l <"$peer_train") training papers of $dataset ${max_args[*]}"
  started=$SECONDS
  "$PY" "$ARXIVC_SOURCE_DIR/bench/peer_service/train_peer.py" --input "$peer_train" --output "$peer_model" \
    --labels "$model/labels.json" 2>"$out/peer_train.log" ||
    die "train_peer.py failed: $(tail -5 "$out/peer_train.log")"
  log "peer trained in $((SECONDS - started)) s: $(tail -1 "$out/peer_train.log")"
  rm -f "$peer_train"
  printf '%s\n' "$peer_stamp" >"$out/peer.stamp"
fi

# --- request bodies: real titles and abstracts -----------------------------------------------------------
"$PY" - "$sample" "$out/bodies_single.jsonl" "$out/bodies_batch64.jsonl" <<'PY'
import json, sys
papers = []
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        if line.strip():
            r = json.loads(line)
            papers.append({"id": r["id"], "title": r["title"], "abstract": r["abstract"]})
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for p in papers[:2000]:
        out.write(json.dumps({"title": p["title"], "abstract": p["abstract"], "top_k": 5}) + "\n")
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for start in range(0, 64 * 50, 64):
        out.write(json.dumps({"papers": papers[start:start + 64]}) + "\n")
PY

# --- measuring --------------------------------------------------------------------------------------------
rss_kb() {  # resident memory of a process and all its descendants, in KiB
  local total child
  total="$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true)"
  total="${total:-0}"
  for child in $(pgrep -P "$1" 2>/dev/null || true); do
    total=$((total + $(rss_kb "$child")))
  done
  echo "$total"
}

results="$out/results.tsv"
: >"$results"
# run_wrk SYSTEM LABEL URL PATH BODIES CONNECTIONS DURATION
run_wrk() {
  local system="$1" label="$2" url="$3" path="$4" bodies="$5" conns="$6" dur="$7"
  local threads=2
  [ "$conns" -lt "$threads" ] && threads="$conns"
  local line
  line="$(WRK_BODIES="$bodies" WRK_PATH="$path" wrk -t"$threads" -c"$conns" -d"$dur" --timeout 10s \
    -s "$ARXIVC_SOURCE_DIR/bench/wrk_post_bodies.lua" "$url" | grep '^WRK_RESULT')" ||
    die "wrk against $url$path gave no result"
  printf '%s\t%s\t%s\n' "$system" "$label" "${line#WRK_RESULT }" >>"$results"
  log "$system $label: ${line#WRK_RESULT }"
}

# measure SYSTEM URL PID
measure() {
  local system="$1" url="$2" pid="$3"
  # Warm-up (connections, caches, lazy initialisation), not recorded.
  WRK_BODIES="$out/bodies_single.jsonl" WRK_PATH=/v1/predict wrk -t2 -c16 -d2s \
    -s "$ARXIVC_SOURCE_DIR/bench/wrk_post_bodies.lua" "$url" >/dev/null
  local c
  for c in $connections; do
    run_wrk "$system" "predict_c$c" "$url" /v1/predict "$out/bodies_single.jsonl" "$c" "$duration"
  done
  run_wrk "$system" "batch64_c$batch_connections" "$url" /v1/predict/batch "$out/bodies_batch64.jsonl" \
    "$batch_connections" "$duration"
  printf '%s\tmemory\trss_after_load_kb=%s\n' "$system" "$(rss_kb "$pid")" >>"$results"
}

# --- arxivc serve -----------------------------------------------------------------------------------------
# No access log: the peer runs with --no-access-log too.
arxivc_start_server "$model" "$out/arxivc_serve.log" serve.access_log=false
arxivc_pid="$ARXIVC_SERVER_PID"
printf 'arxivc\tstartup\tready_s=%s rss_ready_kb=%s\n' "$ARXIVC_READY_SECONDS" "$(rss_kb "$arxivc_pid")" >>"$results"
log "arxivc ready in $ARXIVC_READY_SECONDS s"
measure arxivc "$ARXIVC_URL" "$arxivc_pid"
arxivc_stop_server

# --- FastAPI + uvicorn + scikit-learn ---------------------------------------------------------------------
peer_port="$(free_port)"
peer_url="http://127.0.0.1:$peer_port"
started="$(date +%s.%N)"
PEER_MODEL="$peer_model" "$PY" -m uvicorn app:app --app-dir "$ARXIVC_SOURCE_DIR/bench/peer_service" \
  --host 127.0.0.1 --port "$peer_port" --workers "$cores" --no-access-log --log-level warning \
  >"$out/peer_serve.log" 2>&1 &
peer_pid=$!
arxivc_track_pid "$peer_pid"
# Loading the model in every worker took about 20 s on the 500k sample: allow 300 s.
deadline=$((SECONDS + 300))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$peer_url/ready" || true)" = 200 ]; do
  kill -0 "$peer_pid" 2>/dev/null || die "the peer service exited: $(tail -20 "$out/peer_serve.log")"
  [ "$SECONDS" -lt "$deadline" ] || die "the peer service was not ready within 300 s; log: $out/peer_serve.log"
  sleep 0.02
done
peer_ready="$("$PY" -c 'import sys; print(f"{float(sys.argv[1]) - float(sys.argv[2]):.3f}")' "$(date +%s.%N)" "$started")"
# uvicorn answers as soon as one worker is up: wait until every worker process has loaded the model
# (their memory stops growing) before measuring.
previous=0
deadline=$((SECONDS + 300))
while :; do
  sleep 1
  kill -0 "$peer_pid" 2>/dev/null || die "the peer service exited while loading: $(tail -20 "$out/peer_serve.log")"
  now="$(rss_kb "$peer_pid")"
  [ "$now" -gt 0 ] && [ "$((now - previous))" -lt 2048 ] && break
  previous="$now"
  [ "$SECONDS" -lt "$deadline" ] || die "the peer service's memory was still growing after 300 s; log: $out/peer_serve.log"
done
printf 'peer\tstartup\tready_s=%s rss_ready_kb=%s\n' "$peer_ready" "$(rss_kb "$peer_pid")" >>"$results"
log "peer ready in $peer_ready s ($cores uvicorn workers)"
measure peer "$peer_url" "$peer_pid"
kill -TERM "$peer_pid"
wait "$peer_pid" 2>/dev/null || true

# --- report -----------------------------------------------------------------------------------------------
"$PY" - "$results" "$out" "$cores" "$model" "$input" "$max_samples" "$duration" <<'PY'
import json, platform, sys, time
results, out, cores, model, source, max_samples, duration = sys.argv[1:8]
data = {}
for line in open(results):
    system, label, fields = line.rstrip("\n").split("\t")
    data.setdefault(system, {})[label] = {k: float(v) for k, v in (f.split("=") for f in fields.split())}
a, p = data["arxivc"], data["peer"]
rows = []
md = [f"# Serving benchmark ({time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}, {cores} cores)", "",
      f"arxivc model `{model}`; both trained on the training split of `{source}`"
      + (f" ({max_samples} papers)" if int(max_samples) else "")
      + f"; wrk {duration} per row, real abstracts from the 5k sample.", "",
      "| measurement | arxivc serve | FastAPI + scikit-learn | ratio |", "| --- | --- | --- | --- |"]
def row(name, x, y, unit, higher_better=True, digits=1):
    ratio = (x / y if higher_better else y / x) if x and y else float("nan")
    md.append(f"| {name} | {x:.{digits}f} {unit} | {y:.{digits}f} {unit} | {ratio:.1f}x |")
row("time from start to /ready", a["startup"]["ready_s"], p["startup"]["ready_s"], "s", False, 3)
row("resident memory when ready", a["startup"]["rss_ready_kb"] / 1024, p["startup"]["rss_ready_kb"] / 1024, "MiB", False)
row("resident memory after load", a["memory"]["rss_after_load_kb"] / 1024, p["memory"]["rss_after_load_kb"] / 1024, "MiB", False)
for label in sorted(a, key=lambda l: (not l.startswith("predict"), int(l.split("_c")[-1]) if "_c" in l else 0)):
    if not label.startswith(("predict", "batch")):
        continue
    x, y = a[label], p[label]
    conns = label.split("_c")[-1]
    if label.startswith("predict"):
        row(f"POST /v1/predict, {conns} connections: requests/s", x["rps"], y["rps"], "req/s")
        row(f"POST /v1/predict, {conns} connections: p50", x["p50_ms"], y["p50_ms"], "ms", False, 2)
        row(f"POST /v1/predict, {conns} connections: p99", x["p99_ms"], y["p99_ms"], "ms", False, 2)
    else:
        row(f"POST /v1/predict/batch (64 papers), {conns} connections: papers/s", x["rps"] * 64, y["rps"] * 64, "papers/s")
        row(f"POST /v1/predict/batch (64 papers), {conns} connections: p99", x["p99_ms"], y["p99_ms"], "ms", False, 2)
errors = {s: {l: int(v.get("non2xx", 0) + v.get("socket_errors", 0)) for l, v in d.items() if "rps" in v}
          for s, d in data.items()}
md += ["", f"Errors (non-2xx answers + socket errors) per run: {json.dumps(errors)}"]
text = "\n".join(md) + "\n"
print(text)
open(f"{out}/serve_throughput.md", "w").write(text)
json.dump(data, open(f"{out}/serve_throughput.json", "w"), indent=2)
bad = {s: {l: n for l, n in d.items() if n} for s, d in errors.items()}
if any(bad["arxivc"].values()):
    sys.exit(f"arxivc answered errors under load: {bad['arxivc']}")
PY
log "results in $out/serve_throughput.md"
