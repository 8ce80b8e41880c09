#!/usr/bin/env bash
# Builds the container images: arxivc-api:latest (dockerfiles/api.dockerfile) and arxivc-train:latest
# (dockerfiles/train.dockerfile), with podman, or docker where that is what the machine has.
#   scripts/images.sh [api|train ...]          (default: both; `make images` runs this)
# Environment: ENGINE (podman or docker), BASE_IMAGE (default: debian:bookworm-slim when the engine has it
# or can pull it, else the same base made from Debian's archive by scripts/base-image.sh), MODEL_DIR (a
# model directory in the repository to bake into the api image), TAG (default latest), BUILD_LOCK (a file
# to flock(1) around the builds, for machines whose builds take turns).
set -euo pipefail
cd "$(dirname "$0")/.."

engine="${ENGINE:-}"
if [ -z "$engine" ]; then
  if command -v podman >/dev/null 2>&1; then engine=podman
  elif command -v docker >/dev/null 2>&1; then engine=docker
  else echo "images: neither podman nor docker is installed (scripts/setup.sh installs podman)" >&2; exit 2
  fi
fi
if [ "$engine" = podman ] && [ -z "${CONTAINERS_CONF:-}" ]; then
  export CONTAINERS_CONF="$PWD/deploy/podman/containers.conf"
fi
if [ ! -f web/node_modules/redoc/bundles/redoc.standalone.js ]; then
  echo "images: web/node_modules is missing: run scripts/setup.sh (npm ci --prefix web) first" >&2
  exit 2
fi

base="${BASE_IMAGE:-}"
if [ -z "$base" ]; then
  official=docker.io/library/debian:bookworm-slim
  if "$engine" image inspect "$official" >/dev/null 2>&1 || timeout 60 "$engine" pull -q "$official" >/dev/null 2>&1; then
    base="$official"
  else
    echo "images: no registry reachable for debian:bookworm-slim; making it from Debian's archive"
    base=localhost/debian:bookworm-slim
    ENGINE="$engine" bash scripts/base-image.sh "$base"
  fi
fi

version="$(sed -n 's/^project(arxivc VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)"
revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then revision="$revision-dirty"; fi
tag="${TAG:-latest}"
format=()
[ "$engine" = podman ] && format=(--format docker)  # Docker's format keeps HEALTHCHECK; OCI's has none
model_arg=()
if [ -n "${MODEL_DIR:-}" ]; then
  [ -f "$MODEL_DIR/model.bin" ] || { echo "images: MODEL_DIR=$MODEL_DIR is not a model directory (no model.bin)" >&2; exit 2; }
  model_arg=(--build-arg "MODEL_DIR=$MODEL_DIR")
fi
lock=()
[ -z "${BUILD_LOCK:-}" ] || lock=(flock "$BUILD_LOCK")

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(train api)
for target in "${targets[@]}"; do
  case "$target" in
    api) extra=("${model_arg[@]}") ;;
    train) extra=() ;;
    *) echo "images: unknown image '$target' (api or train)" >&2; exit 2 ;;
  esac
  echo "images: building arxivc-$target:$tag with $engine from $base"
  "${lock[@]}" "$engine" build "${format[@]}" -f "dockerfiles/$target.dockerfile" -t "arxivc-$target:$tag" \
    --build-arg "BASE_IMAGE=$base" --build-arg "VERSION=$version" --build-arg "REVISION=$revision" \
    "${extra[@]}" .
  "$engine" image inspect --format '{{.Size}}' "arxivc-$target:$tag" |
    awk -v i="arxivc-$target:$tag" '{printf "images: %s is %.1f MB\n", i, $1/1e6}'
done
