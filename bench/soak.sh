#!/usr/bin/env bash
# Soak benchmark: `arxivc serve` under mixed good and bad traffic from several concurrent clients for
# --duration seconds (default 300, after a --warmup of 20), with a model reload every --reload-every
# seconds (alternately SIGHUP and POST /admin/reload). The traffic (bench/soak_traffic.py): single and
# batch predictions (some chunked), GET and HEAD of /health, /ready, /v1/model, /v1/categories, /metrics,
# /openapi.json and the page, pipelined requests; malformed JSON, wrong types, an empty batch, a wrong
# Content-Type, 404, 405, missing or wrong API key, bodies over the limit (413), bad Transfer-Encoding,
# malformed HTTP, an oversized header (431); slow requests trickled within the read timeout and stalled
# ones the server must cut off; kept-alive and new connections. Every request has an expected answer.
#
#   bench/soak.sh [--duration 300] [--warmup 20] [--clients 8] [--reload-every 3] [--model DIR]
#                 [--max-rss-growth 5] [--no-api-key] [--keep-log] [--out DIR]
#
# Without --model (or ARXIVC_TEST_MODEL) it uses the test model trained on the 5k sample (trained first
# when needed, as the client tests do). Prints total requests, counts by status, p50/p99 of good requests,
# the server's VmRSS after the warm-up and at the end (each read with nothing in flight, right after a
# finished reload), its growth, and the load average; writes OUT/soak.json. Exits 1 on any 5xx, a
# connection error where an answer was due, an unexpected status or answer, a refused reload, RSS growth
# above --max-rss-growth percent, or a server that does not exit 0 on SIGTERM at the end.
set -euo pipefail
# shellcheck source=tests/support/serve_helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../tests/support/serve_helpers.sh"
arxivc_install_cleanup

duration=300
warmup=20
clients=8
reload_every=3
model=""
max_rss_growth=5
api_key="soak-$RANDOM$RANDOM"
keep_log=0
out="$ARXIVC_SOURCE_DIR/bench/results/soak"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --reload-every) reload_every="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --max-rss-growth) max_rss_growth="$2"; shift 2 ;;
    --no-api-key) api_key=""; shift ;;
    --keep-log) keep_log=1; shift ;;
    --out) out="$2"; shift 2 ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

PY=/usr/bin/python3
require_arxivc
sample="$ARXIVC_DATA_DIR/arxiv-metadata-5k.json"
[ -f "$sample" ] || die "the 5k sample (the papers sent) is missing: $sample"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
[ -n "$model" ] || model="$(arxivc_test_model)"
[ -f "$model/model.bin" ] || die "no model.bin in $model"
# The server reloads its own copy: a test retraining the shared model cannot change it under the soak.
work=""
arxivc_temp_dir work
cp -r "$model" "$work/model"

read_timeout_s=5
max_body_bytes=1048576
log "load before: $(uptime)"
server_args=(serve.read_timeout_s="$read_timeout_s" serve.max_body_bytes="$max_body_bytes")
if [ -n "$api_key" ]; then
  ARXIVC_API_KEY="$api_key" arxivc_start_server "$work/model" "$out/serve.log" "${server_args[@]}"
else
  unset ARXIVC_API_KEY
  arxivc_start_server "$work/model" "$out/serve.log" "${server_args[@]}"
fi
port="${ARXIVC_URL##*:}"
log "soak: ${warmup} s warm-up, then ${duration} s with $clients clients (+1 slow), a reload every ${reload_every} s"
status=0
"$PY" "$ARXIVC_SOURCE_DIR/bench/soak_traffic.py" --port "$port" --pid "$ARXIVC_SERVER_PID" \
  --papers "$sample" --duration "$duration" --warmup "$warmup" --clients "$clients" \
  --reload-every "$reload_every" --api-key "$api_key" --max-body-bytes "$max_body_bytes" \
  --read-timeout-s "$read_timeout_s" --output "$out/soak.json" || status=$?
load="$(uptime)"
kill -0 "$ARXIVC_SERVER_PID" 2>/dev/null || die "arxivc serve died during the soak: $(tail -20 "$out/serve.log")"
[ "$status" = 0 ] || die "the traffic generator failed (exit $status)"
arxivc_stop_server

# The access log (one line per request) is large: keep the service's own lines unless --keep-log.
if [ "$keep_log" = 0 ]; then
  grep -v '"httpRequest"' "$out/serve.log" >"$out/serve-events.log" || true
  rm -f "$out/serve.log"
fi

"$PY" - "$out/soak.json" "$max_rss_growth" "$load" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
limit, load = float(sys.argv[2]), sys.argv[3].strip()
print(f"soak: {r['requests']} requests in {r['duration_s']} s ({r['requests_per_s']}/s, {r['clients']} clients + 1 slow) "
      f"after {r['warmup_requests']} in a {r['warmup_s']:g} s warm-up")
print("statuses: " + ", ".join(f"{k}: {v}" for k, v in r["statuses"].items()))
print(f"good requests: {r['good_requests']}, p50 {r['good_p50_ms']} ms, p99 {r['good_p99_ms']} ms "
      f"(POST /v1/predict: p50 {r['predict_p50_ms']} ms, p99 {r['predict_p99_ms']} ms)")
print(f"reloads: sent {r['reloads_sent']}, done {r['reloads_done']}")
print(f"RSS: {r['rss_start_kb']} KiB after the warm-up, {r['rss_end_kb']} KiB at the end, "
      f"growth {r['rss_growth_pct']:+.2f}% (limit {limit:g}%); samples (s, KiB): {r['rss_samples_kb']}")
print(f"load: {load}")
problems = []
if r["failures"]:
    problems.append(f"failures {r['failures']}; first of each: {json.dumps(r['failure_examples'], indent=1)}")
if r["rss_growth_pct"] > limit:
    problems.append(f"RSS grew {r['rss_growth_pct']}%, over {limit:g}%")
if problems:
    sys.exit("SOAK FAILED: " + "; ".join(problems))
print("soak passed: no 5xx, no connection errors, no unexpected answers, RSS within the limit")
PY
log "result: $out/soak.json"
