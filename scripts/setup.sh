#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of arxivc from Debian's archive.
# Idempotent and non-interactive: packages already present are left alone.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libsimdjson-dev libzstd-dev libxxhash-dev zstd zlib1g-dev libarchive-dev libssl-dev
  libcli11-dev libyaml-cpp-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libboost-dev gnuplot-nox
  python3 time gzip zip
  fasttext linux-perf
  # Memory profiling (docs/profiling.md): heap allocations, peak and where they come from.
  heaptrack
  # libFuzzer harnesses (make fuzz): Clang, its sanitizer and fuzzer runtimes, llvm-symbolizer.
  clang-14 libclang-rt-14-dev llvm-14
  # Serving clients and benchmarks (docs/web-and-load-tests.md): headless browser, load generators,
  # Prometheus, and the FastAPI + scikit-learn peer service.
  chromium curl python3-locust prometheus wrk
  python3-fastapi python3-uvicorn python3-uvloop python3-httptools python3-sklearn python3-joblib
  # Container images (make images, CTest label containers; docs/containers.md): podman without a Docker
  # engine, and debootstrap for the Debian base image where no registry is reachable.
  podman buildah runc debootstrap uidmap
  # The documentation site (make docs, mkdocs.yml): mkdocs 1.4.2 and its Material theme 8.2.5.
  mkdocs mkdocs-material
  # Lint and pre-commit hooks (.pre-commit-config.yaml, docs/ci.md); clang-format and clang-tidy pinned to
  # version 14, the one the tree is formatted with.
  pre-commit yamllint shellcheck clang-format-14 clang-tidy-14
)
# Node.js and npm for the web page's vendored packages and the browser tests: Debian's packages unless a
# node/npm is already on the machine (NodeSource's nodejs bundles npm and conflicts with Debian's npm).
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then packages+=(npm); fi
# Ubuntu (the ubuntu-24.04 jobs of .github/workflows/tests.yaml) has no apt package named chromium (its
# Chromium is a snap; the browser test then skips) or linux-perf (perf comes with linux-tools-<kernel>).
if grep -qx 'ID=ubuntu' /etc/os-release 2>/dev/null; then
  kept=()
  for p in "${packages[@]}"; do
    case "$p" in
      chromium | linux-perf) echo "setup: $p has no apt package on Ubuntu; skipped" ;;
      *) kept+=("$p") ;;
    esac
  done
  packages=("${kept[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages of the web page (Redoc) and its tests, exactly as locked; skipped when web/node_modules was
# installed from the current package-lock.json.
web_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/web"
lock_stamp="$web_dir/node_modules/.arxivc-lock.sha256"
lock_sum="$(sha256sum "$web_dir/package-lock.json" | cut -d' ' -f1)"
if [ -f "$lock_stamp" ] && [ "$(cat "$lock_stamp")" = "$lock_sum" ]; then
  echo "setup: web/node_modules is up to date with web/package-lock.json"
else
  echo "setup: npm ci --prefix web (no install scripts: none of these packages needs one)"
  npm ci --prefix "$web_dir" --no-audit --no-fund --ignore-scripts
  echo "$lock_sum" >"$lock_stamp"
fi
