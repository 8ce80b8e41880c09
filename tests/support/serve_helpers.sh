# shellcheck shell=bash
# Shared by the client tests (tests/web, tests/load, tests/integration) and bench/serve_throughput.sh:
# a trained test model shared between tests (trained once, under a lock), starting `arxivc serve` on a
# free port of 127.0.0.1 and waiting for /ready, skipping when a tool is missing, and cleaning up every
# process and directory on exit. Source it from a script that runs under `set -euo pipefail`.
#
# Environment (CTest sets all of these; the defaults suit a run from the repository root):
#   ARXIVC_BIN          the arxivc binary (default: build/arxivc)
#   ARXIVC_SOURCE_DIR   the repository (default: this file's ../..)
#   ARXIVC_DATA_DIR     the shared data (default: $ARXIVC_SOURCE_DIR/../shared/data)
#   ARXIVC_TEST_OUTPUT  where tests write (default: $ARXIVC_SOURCE_DIR/build/test-output)
#   ARXIVC_TEST_MODEL   a trained model directory to use instead of training the shared test model
#   ARXIVC_REQUIRE_CLIENT_TESTS  1: a missing tool fails the test (exit 1) instead of skipping it (exit 77)

ARXIVC_SOURCE_DIR="${ARXIVC_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
ARXIVC_BIN="${ARXIVC_BIN:-$ARXIVC_SOURCE_DIR/build/arxivc}"
# absolute: the scripts change directory before they run it
[[ "$ARXIVC_BIN" == /* ]] || ARXIVC_BIN="$PWD/$ARXIVC_BIN"
ARXIVC_DATA_DIR="${ARXIVC_DATA_DIR:-$ARXIVC_SOURCE_DIR/../shared/data}"
ARXIVC_TEST_OUTPUT="${ARXIVC_TEST_OUTPUT:-$ARXIVC_SOURCE_DIR/build/test-output}"
export ARXIVC_SOURCE_DIR ARXIVC_BIN ARXIVC_DATA_DIR ARXIVC_TEST_OUTPUT

# Functions called in $(...) must still stop at the first failure.
shopt -s inherit_errexit

# CTest's SKIP_RETURN_CODE for every client test.
readonly ARXIVC_SKIP=77

_arxivc_cleanup_pids=()
_arxivc_cleanup_dirs=()

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() {
  log "FAIL: $*"
  exit 1
}
# ARXIVC_REQUIRE_CLIENT_TESTS=1 (set by CI) turns a skip into a failure, so a missing tool cannot hide a test.
skip() {
  if [ "${ARXIVC_REQUIRE_CLIENT_TESTS:-}" = 1 ]; then
    die "$* (the test cannot be skipped: required by ARXIVC_REQUIRE_CLIENT_TESTS)"
  fi
  log "SKIPPED: $*"
  exit "$ARXIVC_SKIP"
}

# Stops every process started through this helper (TERM, then KILL after 10 s) and removes temporary
# directories. Installed as the EXIT trap by `arxivc_install_cleanup`.
arxivc_cleanup() {
  local status=$?
  local pid
  for pid in "${_arxivc_cleanup_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in "${_arxivc_cleanup_pids[@]}"; do
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 100 ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "process $pid ignored SIGTERM for 10 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  local dir
  for dir in "${_arxivc_cleanup_dirs[@]}"; do rm -rf "$dir"; done
  return "$status"
}

arxivc_install_cleanup() {
  trap arxivc_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Registers a background process to stop on exit.
arxivc_track_pid() { _arxivc_cleanup_pids+=("$1"); }

# Creates a temporary directory removed on exit and stores its path in the variable named $1 (not
# printed: a $(...) subshell could not register it for removal).
arxivc_temp_dir() {
  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/arxivc-$(basename "$0" .sh).XXXXXX")"
  _arxivc_cleanup_dirs+=("$dir")
  printf -v "$1" '%s' "$dir"
}

require_command() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || skip "'$cmd' is not installed (bash scripts/setup.sh installs it)"
  done
}

require_arxivc() {
  [ -x "$ARXIVC_BIN" ] || die "no arxivc binary at $ARXIVC_BIN (build it: make build)"
  "$ARXIVC_BIN" serve --help >/dev/null 2>&1 || die "$ARXIVC_BIN has no 'serve' command"
}

# A free TCP port on 127.0.0.1 (for tools that cannot pick one themselves, like Prometheus).
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Prints the directory of a model trained on the 5k sample (3 epochs), training it first when needed.
# Tests running in parallel share it: the first trains under an exclusive lock, the others wait for it.
arxivc_test_model() {
  if [ -n "${ARXIVC_TEST_MODEL:-}" ]; then
    [ -f "$ARXIVC_TEST_MODEL/model.bin" ] || die "ARXIVC_TEST_MODEL=$ARXIVC_TEST_MODEL holds no model.bin"
    printf '%s\n' "$ARXIVC_TEST_MODEL"
    return
  fi
  local input="$ARXIVC_DATA_DIR/arxiv-metadata-5k.json"
  [ -f "$input" ] || die "the 5k sample is missing: $input (set ARXIVC_DATA_DIR)"
  local root="$ARXIVC_TEST_OUTPUT/shared-model"
  local model="$root/model-5k"
  mkdir -p "$root"
  (
    flock -x -w 600 9 || die "timed out waiting for the lock on $root/train.lock"
    # The binary is part of the key: a rebuilt binary retrains (a stale model format would fail to load).
    local stamp
    stamp="$(sha256sum "$ARXIVC_BIN" | cut -d' ' -f1) $(stat -c %s "$input")"
    if [ -f "$model/model.bin" ] && [ "$(cat "$root/stamp" 2>/dev/null)" = "$stamp" ]; then exit 0; fi
    log "training the shared test model on $input (3 epochs)"
    rm -rf "$model" "$root/work"
    mkdir -p "$root/work"
    # Reports, prepared data and run logs go to the work directory, not the source tree.
    (cd "$root/work" && "$ARXIVC_BIN" -q train --input "$input" --output "$model" training.epochs=3 \
      paths.datasets="$root/work/datasets" reports.dir="$root/work/reports" run.dir="$root/work/run") \
      >"$root/train.log" 2>&1 || die "training the test model failed; see $root/train.log: $(tail -5 "$root/train.log")"
    [ -f "$model/model.bin" ] || die "training wrote no $model/model.bin"
    printf '%s\n' "$stamp" >"$root/stamp"
  ) 9>"$root/train.lock" || return 1
  printf '%s\n' "$model"
}

# Starts `arxivc serve` on a free port and waits until /ready answers 200.
#   arxivc_start_server MODEL_DIR LOG_FILE [extra serve arguments...]
# Sets ARXIVC_SERVER_PID, ARXIVC_URL (http://127.0.0.1:PORT) and ARXIVC_READY_SECONDS.
arxivc_start_server() {
  local model="$1" logfile="$2"
  shift 2
  mkdir -p "$(dirname "$logfile")"
  local started
  started="$(date +%s.%N)"
  "$ARXIVC_BIN" serve --model "$model" --host 127.0.0.1 --port 0 --web-dir "$ARXIVC_SOURCE_DIR/web" "$@" \
    >"$logfile" 2>&1 &
  ARXIVC_SERVER_PID=$!
  arxivc_track_pid "$ARXIVC_SERVER_PID"

  local port="" tries=0
  while [ -z "$port" ]; do
    if ! kill -0 "$ARXIVC_SERVER_PID" 2>/dev/null; then
      die "arxivc serve exited before listening; its log ($logfile):
$(tail -20 "$logfile")"
    fi
    port="$(grep -o -m1 'listening on http://127\.0\.0\.1:[0-9]*' "$logfile" | grep -o '[0-9]*$' || true)"
    if [ -z "$port" ]; then
      tries=$((tries + 1))
      [ "$tries" -lt 3000 ] || die "arxivc serve printed no 'listening on' line within 60 s; log: $logfile"
      sleep 0.02
    fi
  done
  ARXIVC_URL="http://127.0.0.1:$port"

  tries=0
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$ARXIVC_URL/ready" || true)" = "200" ]; do
    kill -0 "$ARXIVC_SERVER_PID" 2>/dev/null || die "arxivc serve died before /ready; log: $(tail -20 "$logfile")"
    tries=$((tries + 1))
    [ "$tries" -lt 3000 ] || die "$ARXIVC_URL/ready did not answer 200 within 60 s; log: $logfile"
    sleep 0.02
  done
  ARXIVC_READY_SECONDS="$(/usr/bin/python3 -c 'import sys; print(f"{float(sys.argv[1]) - float(sys.argv[2]):.3f}")' \
    "$(date +%s.%N)" "$started")"
  export ARXIVC_URL ARXIVC_SERVER_PID ARXIVC_READY_SECONDS
  log "arxivc serve (pid $ARXIVC_SERVER_PID) ready at $ARXIVC_URL"
}

# Sends SIGTERM to the server and checks it exits 0 (graceful shutdown) within 30 s. A server that had
# already exited is checked the same way: its exit status must be 0 too.
arxivc_stop_server() {
  local pid="$ARXIVC_SERVER_PID" waited=0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 300 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    die "arxivc serve (pid $pid) was still running 30 s after SIGTERM; killed it"
  fi
  local status=0
  wait "$pid" || status=$?
  [ "$status" -eq 0 ] || die "arxivc serve exited with status $status after SIGTERM"
}
