#!/usr/bin/env bash
# Builds the libFuzzer harnesses (ARXIVC_FUZZ, Clang) in their own build directory, makes the seed
# corpora, and runs each harness for FUZZ_SECONDS, one after another. Exits 1 when any harness found a
# crash, a sanitizer report, a timeout or an out-of-memory; its input is then in BUILD/artifacts/.
#   FUZZ_SECONDS=60 fuzz/run.sh [harness...]      (default: all six; docs/fuzzing.md)
# BUILD (default build-fuzz), CC/CXX (default clang-14/clang++-14), JOBS (default nproc); BUILD_LOCK: a
# file to flock(1) around the compile, for machines whose builds take turns.
set -euo pipefail
cd "$(dirname "$0")/.."

build="${BUILD:-build-fuzz}"
seconds="${FUZZ_SECONDS:-60}"
jobs="${JOBS:-$(nproc)}"
all=(fuzz_record_parser fuzz_ingest_reader fuzz_override_parser fuzz_config_compose fuzz_http_request
  fuzz_model_loader)
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all[@]}")

if [ ! -f "$build/CMakeCache.txt" ]; then
  CC="${CC:-clang-14}" CXX="${CXX:-clang++-14}" cmake -S . -B "$build" -G Ninja -DARXIVC_FUZZ=ON \
    -DARXIVC_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
lock=()
[ -z "${BUILD_LOCK:-}" ] || lock=(flock "$BUILD_LOCK")
"${lock[@]}" cmake --build "$build" -j "$jobs"
bash fuzz/make_seeds.sh "$build"

mkdir -p "$build/artifacts"
export ARXIVC_FUZZ_MODEL="${ARXIVC_FUZZ_MODEL:-$(realpath "$build/fuzz-model")}"
# LeakSanitizer is on: a leak is a finding too. UBSan reports abort (the build is -fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
for name in "${harnesses[@]}"; do
  corpus="$build/corpus/$name"
  mkdir -p "$corpus"
  inputs=("$corpus" "$build/seeds/$name")
  [ -d "fuzz/seeds/$name" ] && inputs+=("fuzz/seeds/$name")
  echo "== $name for ${seconds}s (corpus $corpus)"
  # The first directory is the corpus the run grows; the seed directories are only read.
  if ! "$build/$name" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$name-" "${inputs[@]}" 2>"$build/$name.log"; then
    failed+=("$name")
    tail -n 60 "$build/$name.log"
  fi
  grep -E '^#[0-9]+.*(DONE|pulse)|^stat::' "$build/$name.log" | tail -n 8 || true
done

if [ ${#failed[@]} -gt 0 ]; then
  # What each finding is, last, so that a CI log cut to its final lines still shows it.
  for name in "${failed[@]}"; do
    echo "== $name: what it found" >&2
    grep -a -E '^==[0-9]+==|SUMMARY|Test unit written|Base64|(ERROR|WARNING): libFuzzer|^ +#[0-9]+ ' \
      "$build/$name.log" | head -n 20 >&2 || true
  done
  echo "fuzz: findings in ${failed[*]}: see $build/artifacts/ and $build/<harness>.log" >&2
  exit 1
fi
echo "fuzz: ${#harnesses[@]} harnesses ran ${seconds}s each without a finding"
