#!/usr/bin/env bash
# The container images, built and used as a user would (CTest label `containers`): builds arxivc-train
# and arxivc-api with scripts/images.sh, trains on the 5k sample inside the train image (data mounted
# read-only, outputs in a volume), serves that model from the api image on a loopback port, checks /ready,
# a prediction, the Problem JSON of a bad request, the JSON request log on stdout, the health check, the
# non-root user and the OCI labels, stops it with SIGTERM and checks it exits 0 within 10 s; then bakes
# the same model into the api image (MODEL_DIR) and serves it without a mount. The api image must be at
# most 150 MB. Skips (exit 77) without podman/docker or root (fails instead under
# ARXIVC_REQUIRE_CLIENT_TESTS=1).
set -euo pipefail
# shellcheck source=tests/support/serve_helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/serve_helpers.sh"
arxivc_install_cleanup

readonly max_api_mb=150
require_command curl python3
engine="${ENGINE:-}"
if [ -z "$engine" ]; then
  if command -v podman >/dev/null 2>&1; then engine=podman
  elif command -v docker >/dev/null 2>&1; then engine=docker
  else skip "neither podman nor docker is installed (scripts/setup.sh installs podman)"
  fi
fi
[ "$(id -u)" = 0 ] || [ "$engine" = docker ] || skip "podman builds here need root (scripts/base-image.sh runs debootstrap)"
if [ "$engine" = podman ] && [ -z "${CONTAINERS_CONF:-}" ]; then
  export CONTAINERS_CONF="$ARXIVC_SOURCE_DIR/deploy/podman/containers.conf"
fi
export ENGINE="$engine"
sample="$ARXIVC_DATA_DIR/arxiv-metadata-5k.json"
[ -f "$sample" ] || die "the 5k sample is missing: $sample"

out="$ARXIVC_TEST_OUTPUT/containers"
rm -rf "$out"
mkdir -p "$out/work"
tag="test-$$"
container="arxivc-api-test-$$"
baked_dir=""
cleanup_containers() {
  "$engine" rm -f "$container" "$container-baked" >/dev/null 2>&1 || true
  "$engine" rmi -f "arxivc-api:$tag" "arxivc-train:$tag" "arxivc-api:$tag-baked" >/dev/null 2>&1 || true
  [ -z "$baked_dir" ] || rm -rf "$baked_dir"
}
trap 'status=$?; cleanup_containers; arxivc_cleanup; exit $status' EXIT

log "building the images with $engine"
(cd "$ARXIVC_SOURCE_DIR" && TAG="$tag" bash scripts/images.sh train api) >"$out/build.log" 2>&1 ||
  { tail -n 40 "$out/build.log" >&2; die "scripts/images.sh failed (log: $out/build.log)"; }
grep '^images:' "$out/build.log" >&2

size_of() { "$engine" image inspect --format '{{.Size}}' "$1"; }
api_bytes="$(size_of "arxivc-api:$tag")"
api_mb="$(awk -v b="$api_bytes" 'BEGIN {printf "%.1f", b / 1e6}')"
log "arxivc-api is $api_mb MB, arxivc-train $(awk -v b="$(size_of "arxivc-train:$tag")" 'BEGIN {printf "%.1f", b / 1e6}') MB"
[ "$api_bytes" -le $((max_api_mb * 1000 * 1000)) ] || die "arxivc-api is $api_mb MB, over the $max_api_mb MB limit"

label() { "$engine" image inspect --format "{{index .Config.Labels \"org.opencontainers.image.$2\"}}" "$1"; }
for image in "arxivc-api:$tag" "arxivc-train:$tag"; do
  [ "$("$engine" image inspect --format '{{.Config.User}}' "$image")" = "10001:10001" ] || die "$image does not run as user 10001"
  for key in version revision source; do
    [ -n "$(label "$image" "$key")" ] || die "$image lacks the OCI label org.opencontainers.image.$key"
  done
done
revision="$(cd "$ARXIVC_SOURCE_DIR" && git rev-parse HEAD 2>/dev/null || echo unknown)"
[[ "$(label "arxivc-api:$tag" revision)" == "$revision"* ]] ||
  die "the api image's revision label is $(label "arxivc-api:$tag" revision), not this checkout's commit $revision"

# Nothing mounted and nothing baked in: the api image refuses to start and says what is missing.
if "$engine" run --rm --network none "arxivc-api:$tag" >"$out/no-model.log" 2>&1; then
  die "the api image started without a model"
fi
grep -q "no model.bin" "$out/no-model.log" || die "without a model the api image says: $(cat "$out/no-model.log")"

# --- train inside the train image: the data read-only, the outputs in a volume the image's user owns ---
chown 10001:10001 "$out/work"
log "training on the 5k sample inside arxivc-train"
"$engine" run --rm --network none -v "$ARXIVC_DATA_DIR:/data:ro" -v "$out/work:/workspace" "arxivc-train:$tag" \
  train --input /data/arxiv-metadata-5k.json --output models/demo >"$out/train.log" 2>&1 ||
  { tail -n 30 "$out/train.log" >&2; die "training in the train image failed (log: $out/train.log)"; }
model="$out/work/models/demo"
if [ ! -f "$model/model.bin" ] || [ ! -f "$model/model_card.md" ]; then
  die "the train image wrote no model directory at $model"
fi
[ "$(stat -c %u "$model/model.bin")" = 10001 ] || die "the model was not written by the image's user"

# --- serve it from the api image on a loopback port (host network: the platform's port is $PORT) ---
wait_ready() {  # url, container: /ready answers 200 within 60 s while the container runs
  local tries=0
  until curl -sf -o /dev/null "$1/ready"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 600 ] || [ "$("$engine" inspect --format '{{.State.Running}}' "$2" 2>/dev/null)" != true ]; then
      "$engine" logs "$2" >&2 || true
      die "$2 did not become ready at $1"
    fi
    sleep 0.1
  done
}
port="$(free_port)"
url="http://127.0.0.1:$port"
log "serving it from arxivc-api on $url"
"$engine" run -d --name "$container" --network host -e "PORT=$port" -v "$model:/models/default:ro" \
  "arxivc-api:$tag" >/dev/null 2>>"$out/podman.log"
wait_ready "$url" "$container"

paper='{"title": "Attention is all you need", "abstract": "We propose a new network architecture, the Transformer, based solely on attention mechanisms, dispensing with recurrence and convolutions.", "top_k": 3}'
curl -sf -H 'Content-Type: application/json' -H 'User-Agent: containers-test' -d "$paper" "$url/v1/predict" >"$out/predict.json" ||
  die "POST /v1/predict failed"
python3 - "$out/predict.json" <<'PY' || die "the prediction is not what the API promises: $(cat "$out/predict.json")"
import json, sys
answer = json.load(open(sys.argv[1]))
top = answer["categories"]
assert 1 <= len(top) <= 3, top
assert all(0.0 <= c["probability"] <= 1.0 for c in top), top
assert answer["predicted"] and answer["predicted"][0] == top[0]["code"], answer
PY

status="$(curl -s -o "$out/problem.json" -w '%{http_code} %{content_type}' -H 'Content-Type: application/json' \
  -d '{"title": ' "$url/v1/predict")"
[ "$status" = "400 application/problem+json" ] || die "a malformed body got '$status', not 400 Problem JSON"
python3 - "$out/problem.json" <<'PY' || die "the 400 is not Problem JSON: $(cat "$out/problem.json")"
import json, sys
problem = json.load(open(sys.argv[1]))
assert problem["status"] == 400 and problem["title"] and problem["detail"] and problem["type"], problem
PY

# The health check the image declares (Docker's format keeps it), run once now.
if [ "$engine" = podman ]; then
  "$engine" healthcheck run "$container" >/dev/null || die "the image's HEALTHCHECK fails on a healthy service"
fi

# One JSON line per request on stdout, with Cloud Logging's fields.
sleep 0.5
"$engine" logs "$container" 2>/dev/null >"$out/api.stdout" || true
python3 - "$out/api.stdout" <<'PY' || die "no Cloud Logging request line on stdout: $(head -c 2000 "$out/api.stdout")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{") and '"httpRequest"' in l]
predict = [l for l in lines if l["httpRequest"]["requestUrl"] == "/v1/predict"]
assert any(l["httpRequest"]["status"] == 200 and l["severity"] == "INFO" and
           l["httpRequest"]["userAgent"] == "containers-test" for l in predict), predict
assert any(l["httpRequest"]["status"] == 400 and l["severity"] == "WARNING" for l in predict), predict
PY

log "stopping it with SIGTERM"
start="$(date +%s.%N)"
"$engine" stop -t 10 "$container" >/dev/null 2>>"$out/podman.log"
elapsed="$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')"
code="$("$engine" inspect --format '{{.State.ExitCode}}' "$container")"
[ "$code" = 0 ] || { "$engine" logs "$container" >&2; die "arxivc-api exited $code on SIGTERM, not 0"; }
awk -v e="$elapsed" 'BEGIN {exit !(e < 10)}' || die "arxivc-api took ${elapsed}s to stop (SIGTERM, then SIGKILL at 10 s)"
log "stopped in ${elapsed}s with exit 0"

# --- the same model baked into the api image: served with nothing mounted -----------------------------
baked_dir="$ARXIVC_SOURCE_DIR/models/.containers-test-$$"
mkdir -p "$(dirname "$baked_dir")"
cp -r "$model" "$baked_dir"
log "baking the model into arxivc-api:$tag-baked"
(cd "$ARXIVC_SOURCE_DIR" && TAG="$tag-baked" MODEL_DIR="models/$(basename "$baked_dir")" bash scripts/images.sh api) \
  >"$out/build-baked.log" 2>&1 || { tail -n 30 "$out/build-baked.log" >&2; die "building the api image with MODEL_DIR failed"; }
port="$(free_port)"
url="http://127.0.0.1:$port"
"$engine" run -d --name "$container-baked" --network host -e "PORT=$port" "arxivc-api:$tag-baked" >/dev/null 2>>"$out/podman.log"
wait_ready "$url" "$container-baked"
curl -sf "$url/v1/model" >"$out/model-baked.json" || die "GET /v1/model failed on the baked image"
curl -sf "http://127.0.0.1:$port/v1/predict" -H 'Content-Type: application/json' -d "$paper" >/dev/null ||
  die "the baked image does not predict"
"$engine" stop -t 10 "$container-baked" >/dev/null 2>>"$out/podman.log"
[ "$("$engine" inspect --format '{{.State.ExitCode}}' "$container-baked")" = 0 ] || die "the baked image did not exit 0 on SIGTERM"
log "PASS: api image $api_mb MB (limit $max_api_mb), trained in the train image, served, stopped in ${elapsed}s"
