#!/usr/bin/env bash
# Load test: starts `arxivc serve`, runs tests/locustfile.py headless (single and batch predictions on
# real abstracts), prints the figures and fails on any failed request.
#
#   tests/load/run_locust.sh [--duration 30s] [--users 20] [--spawn-rate 10] [--model DIR] [--url URL]
#
# --url tests a server that is already running instead of starting one (then --model is unused).
# Skips (exit 77) when locust is missing (fails instead under ARXIVC_REQUIRE_CLIENT_TESTS=1).
set -euo pipefail
# shellcheck source=tests/support/serve_helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/serve_helpers.sh"
arxivc_install_cleanup

duration="30s"
users=20
spawn_rate=10
model=""
url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --users) users="$2"; shift 2 ;;
    --spawn-rate) spawn_rate="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --url) url="$2"; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

require_command locust
out="$ARXIVC_TEST_OUTPUT/load"
mkdir -p "$out"
if [ -z "$url" ]; then
  require_arxivc
  [ -n "$model" ] || model="$(arxivc_test_model)"
  arxivc_start_server "$model" "$out/server.log"
  url="$ARXIVC_URL"
fi
export ARXIVC_PAPERS="${ARXIVC_PAPERS:-$ARXIVC_DATA_DIR/arxiv-metadata-5k.json}"
[ -f "$ARXIVC_PAPERS" ] || die "papers file not found: $ARXIVC_PAPERS (set ARXIVC_DATA_DIR or ARXIVC_PAPERS)"

log "locust: $users users, spawn rate $spawn_rate/s, $duration against $url"
rm -f "$out"/locust_*.csv
# Locust exits non-zero when any request failed; the figures are checked below either way.
locust_status=0
locust -f "$ARXIVC_SOURCE_DIR/tests/locustfile.py" --headless --only-summary \
  -u "$users" -r "$spawn_rate" -t "$duration" --stop-timeout 10 \
  --host "$url" --csv "$out/locust" --exit-code-on-error 1 \
  >"$out/locust.log" 2>&1 || locust_status=$?
[ -f "$out/locust_stats.csv" ] || die "locust wrote no statistics (exit $locust_status); log: $(tail -20 "$out/locust.log")"

# One row per request name plus "Aggregated": requests/s, percentiles, failures.
/usr/bin/python3 - "$out/locust_stats.csv" "$out/locust_failures.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"{'request':<22}{'requests':>10}{'failures':>10}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
for r in rows:
    name = r["Name"] if r["Type"] else "all"
    print(f"{name:<22}{r['Request Count']:>10}{r['Failure Count']:>10}{float(r['Requests/s']):>10.1f}"
          f"{r['50%']:>9}{r['95%']:>9}{r['99%']:>9}")
failures = list(csv.DictReader(open(sys.argv[2])))
for f in failures[:10]:
    print(f"failure: {f['Method']} {f['Name']} x{f['Occurrences']}: {f['Error']}")
PY

total=$(/usr/bin/python3 -c 'import csv,sys; r=[x for x in csv.DictReader(open(sys.argv[1])) if x["Name"]=="Aggregated"][0]; print(r["Request Count"], r["Failure Count"])' "$out/locust_stats.csv")
read -r requests failures <<<"$total"
[ "$requests" -gt 0 ] || die "locust sent no requests; log: $(tail -20 "$out/locust.log")"
[ "$failures" -eq 0 ] || die "$failures of $requests requests failed (see above and $out/locust.log)"
[ "$locust_status" -eq 0 ] || die "locust exited with status $locust_status; log: $(tail -20 "$out/locust.log")"
if [ -n "${ARXIVC_SERVER_PID:-}" ]; then arxivc_stop_server; fi
log "passed: $requests requests, 0 failures"
