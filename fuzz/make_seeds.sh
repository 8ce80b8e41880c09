#!/usr/bin/env bash
# Makes the generated seed corpora of the fuzz harnesses under BUILD/seeds/<harness>/ (next to the
# small hand-written seeds checked in under fuzz/seeds/<harness>/), and the tiny models that
# fuzz_http_request serves and fuzz_model_loader starts from. Every seed is a few KB at most.
#   fuzz/make_seeds.sh [BUILD]     BUILD: the ARXIVC_FUZZ build directory (default build-fuzz)
# ARXIVC_DATA_DIR: the shared data (default ../shared/data), read for arxiv-metadata-5k.json.
set -euo pipefail
cd "$(dirname "$0")/.."

build="${1:-build-fuzz}"
data_dir="${ARXIVC_DATA_DIR:-../shared/data}"
sample="$data_dir/arxiv-metadata-5k.json"
arxivc="$build/arxivc"
[ -f "$sample" ] || { echo "make_seeds: $sample not found (set ARXIVC_DATA_DIR)" >&2; exit 1; }
[ -x "$arxivc" ] || { echo "make_seeds: $arxivc not built" >&2; exit 1; }
sample="$(realpath "$sample")"

seeds="$build/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{fuzz_record_parser,fuzz_ingest_reader,fuzz_override_parser,fuzz_config_compose}
mkdir -p "$seeds"/{fuzz_http_request,fuzz_model_loader}

# The tests' own inputs: overrides, YAML documents, HTTP requests and records written in the test sources.
python3 fuzz/seeds_from_tests.py "$seeds"

# Records: a few real lines of the sample, one line per seed.
for n in 1 2 3 50 1000; do
  sed -n "${n}p" "$sample" >"$seeds/fuzz_record_parser/sample-line-$n.json"
done

# Whole files: three real records, plain and in each compression the reader detects.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
head -n 3 "$sample" >"$work/papers.json"
cp "$work/papers.json" "$seeds/fuzz_ingest_reader/plain.json"
gzip -9 -n -c "$work/papers.json" >"$seeds/fuzz_ingest_reader/papers.json.gz"
zstd -q -19 -c "$work/papers.json" >"$seeds/fuzz_ingest_reader/papers.json.zst"
(cd "$work" && zip -q -X -9 papers.zip papers.json)
cp "$work/papers.zip" "$seeds/fuzz_ingest_reader/papers.zip"
# CRLF line ends.
sed -n '4p' "$sample" | sed 's/$/\r/' >"$seeds/fuzz_ingest_reader/crlf.json"

# Configuration files: arxivc's own configs/, each as a base config (group options too: they are YAML).
for file in configs/config.yaml configs/*/*.yaml; do
  name="$(echo "${file#configs/}" | tr '/' '_')"
  cp "$file" "$seeds/fuzz_config_compose/$name"
done

# Models: a linear model and a fastText-style one, both tiny (a small vocabulary, few buckets), trained
# once on 300 papers of the sample with this build's arxivc; reused while they are there.
train() {
  local dir="$1"
  shift
  if [ ! -f "$build/$dir/model.bin" ]; then
    echo "make_seeds: training $build/$dir"
    (cd "$build" && ARXIVC_DATA_DIR="$(dirname "$sample")" ./arxivc train --input "$sample" --output "$dir" \
      --max-samples 300 --epochs 1 --force "$@" run.dir=outputs/"$dir" >/dev/null 2>&1) ||
      { echo "make_seeds: training $dir failed" >&2; exit 1; }
  fi
}
train fuzz-model --experiment tfidf_linear +model.max_features=16
train fuzz-model-fasttext --experiment fasttext model.dim=4 model.buckets=16 model.min_count=60
cp "$build/fuzz-model/model.bin" "$seeds/fuzz_model_loader/linear.bin"
cp "$build/fuzz-model-fasttext/model.bin" "$seeds/fuzz_model_loader/fasttext.bin"

# HTTP: what clients send, with CRLF line ends (printf), one connection per seed.
http() { printf '%b' "$2" >"$seeds/fuzz_http_request/$1"; }
auth='Authorization: Bearer fuzz-key\r\n'
paper='{"title":"Quantum groups","abstract":"We compute knot invariants of torus knots."}'
batch='{"papers":[{"title":"A","abstract":"graphs"},{"id":"x","title":"B","abstract":"spin chains"}],"top_k":2}'
http health 'GET /health HTTP/1.1\r\nHost: a\r\n\r\n'
http ready-head 'HEAD /ready HTTP/1.1\r\nHost: a\r\n\r\n'
http metrics "GET /metrics HTTP/1.1\r\nHost: a\r\n$auth\r\n"
http categories "GET /v1/categories HTTP/1.1\r\nHost: a\r\n${auth}X-Request-Id: seed-1\r\n\r\n"
http model "GET /v1/model HTTP/1.1\r\nHost: a\r\n$auth\r\n"
http openapi 'GET /openapi.json?x=1 HTTP/1.1\r\nHost: a\r\n\r\n'
http static 'GET /static/%61pp.js HTTP/1.0\r\n\r\n'
http predict "POST /v1/predict HTTP/1.1\r\nHost: a\r\n${auth}Content-Type: application/json\r\nContent-Length: ${#paper}\r\n\r\n$paper"
http predict-batch "POST /v1/predict/batch HTTP/1.1\r\nHost: a\r\n${auth}Content-Type: application/json\r\nContent-Length: ${#batch}\r\n\r\n$batch"
http predict-chunked "POST /v1/predict HTTP/1.1\r\nHost: a\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n$(printf '%x' ${#paper})\r\n$paper\r\n0\r\n\r\n"
http pipelined "GET /health HTTP/1.1\r\nHost: a\r\n\r\nPOST /v1/predict HTTP/1.1\r\nHost: a\r\n${auth}Content-Type: application/json\r\nContent-Length: ${#paper}\r\n\r\n${paper}GET /v1/nothing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
http wrong-key 'POST /v1/predict HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer nope\r\nContent-Length: 2\r\n\r\n{}'
http bad-te 'POST /v1/predict HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n'
http reload "POST /admin/reload HTTP/1.1\r\nHost: a\r\n$auth\r\n"
echo "make_seeds: $(find "$seeds" -type f | wc -l) seeds in $seeds ($(du -sh "$seeds" | cut -f1))"
