#!/usr/bin/env bash
# Prometheus scrapes `arxivc serve`: starts the server and a real Prometheus (Debian's `prometheus`) on
# free ports of 127.0.0.1 with a generated configuration (scrape every second, storage in a temporary
# directory), sends predictions, then queries Prometheus's HTTP API until it holds
# arxivc_http_requests_total for the predict route with the number of requests sent.
# Skips (exit 77) when prometheus is missing (fails instead under ARXIVC_REQUIRE_CLIENT_TESTS=1).
set -euo pipefail
# shellcheck source=tests/support/serve_helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/serve_helpers.sh"
arxivc_install_cleanup

require_command prometheus curl
require_arxivc
out="$ARXIVC_TEST_OUTPUT/prometheus"
mkdir -p "$out"
work=""
arxivc_temp_dir work

model="$(arxivc_test_model)"
arxivc_start_server "$model" "$out/server.log"
target="${ARXIVC_URL#http://}"

prometheus_port="$(free_port)"
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: arxivc
    metrics_path: /metrics
    static_configs:
      - targets: ["$target"]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prometheus_port" --log.level=warn >"$out/prometheus.log" 2>&1 &
prometheus_pid=$!
arxivc_track_pid "$prometheus_pid"
prometheus_url="http://127.0.0.1:$prometheus_port"
tries=0
until curl -sf "$prometheus_url/-/ready" >/dev/null; do
  kill -0 "$prometheus_pid" 2>/dev/null || die "prometheus exited; log: $(tail -20 "$out/prometheus.log")"
  tries=$((tries + 1))
  [ "$tries" -lt 300 ] || die "prometheus not ready within 30 s; log: $out/prometheus.log"
  sleep 0.1
done
log "prometheus (pid $prometheus_pid) at $prometheus_url scraping $target"

# Real abstracts from the 5k sample, one request each.
sent=20
/usr/bin/python3 - "$ARXIVC_DATA_DIR/arxiv-metadata-5k.json" "$sent" "$work/bodies" <<'PY'
import json, os, sys
source, count, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(folder)
with open(source, encoding="utf-8") as lines:
    for i, line in zip(range(count), lines):
        paper = json.loads(line)
        with open(os.path.join(folder, f"{i}.json"), "w", encoding="utf-8") as out:
            json.dump({"title": paper["title"], "abstract": paper["abstract"]}, out)
PY
for body in "$work"/bodies/*.json; do
  status="$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$body" \
    "$ARXIVC_URL/v1/predict")"
  [ "$status" = 200 ] || die "POST /v1/predict answered $status"
done
log "sent $sent predictions"

# Prometheus's first scrape comes a few seconds after it starts: poll its query API.
query='sum(arxivc_http_requests_total{job="arxivc",route="/v1/predict",method="POST",status="200"})'
deadline=$((SECONDS + 60))
value=""
while [ "$SECONDS" -lt "$deadline" ]; do
  answer="$(curl -sf --get "$prometheus_url/api/v1/query" --data-urlencode "query=$query" || true)"
  value="$(printf '%s' "$answer" | /usr/bin/python3 -c '
import json, sys
try:
    answer = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
if answer.get("status") == "success" and answer["data"]["result"]:
    print(int(float(answer["data"]["result"][0]["value"][1])))
')"
  if [ -n "$value" ] && [ "$value" -ge "$sent" ]; then break; fi
  sleep 0.5
done
[ -n "$value" ] || die "Prometheus never returned $query within 60 s; targets: $(curl -s "$prometheus_url/api/v1/targets" | head -c 600)"
[ "$value" -ge "$sent" ] || die "Prometheus reports $value POST /v1/predict requests, expected at least $sent"
log "Prometheus query $query = $value"

# The target is healthy in Prometheus's eyes (the exposition format parsed without errors).
health="$(curl -sf "$prometheus_url/api/v1/targets" | /usr/bin/python3 -c '
import json, sys
for target in json.load(sys.stdin)["data"]["activeTargets"]:
    print(target["health"], target.get("lastError", ""))')"
[ "${health%% *}" = "up" ] || die "Prometheus reports the target as: $health"
arxivc_stop_server
log "passed"
