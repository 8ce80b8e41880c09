#!/usr/bin/env bash
# Quality against peers: arxivc's default experiment, fastText and scikit-learn trained on the same training
# papers of the 500k file's default split, thresholds tuned on its validation split, and all three scored on
# its test split by the same code (`arxivc evaluate --predictions` on each system's predictions in
# `arxivc predict`'s format). Prints one Markdown table (also written to WORK_DIR/peers.md).
#
#   bench/compare_peers.sh [--max-samples N] [--work-dir DIR] [--input FILE] [--tune] [--systems LIST]
#
# --max-samples N   every system trains on the same N training papers (arxivc's seeded choice, exported
#                   with `arxivc export --max-samples N`); validation and test stay whole. Default: all.
# --work-dir DIR    scratch and results (default bench/results/peers); the prepared dataset is kept there and
#                   reused (prepare is deterministic).
# --input FILE      the raw metadata (default: $ARXIVC_DATA_DIR or ../shared/data, arxiv-metadata-500k.jsonl.zst)
# --tune            scikit-learn's alpha and fastText's learning rate chosen on validation among a few
#                   (otherwise alpha 3e-7 and fastText's default lr 0.1, or $FASTTEXT_LR)
# --systems LIST    comma-separated subset of arxivc,fastText,scikit-learn (default all three)
#
# Run by hand, not by CI: on the whole file each peer takes about 15 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR=${ARXIVC_DATA_DIR:-../shared/data}
INPUT=$DATA_DIR/arxiv-metadata-500k.jsonl.zst
WORK=bench/results/peers
MAX_SAMPLES=
TUNE=
SYSTEMS=arxivc,fastText,scikit-learn
while [ $# -gt 0 ]; do
  case "$1" in
    --max-samples) MAX_SAMPLES=$2; shift 2 ;;
    --work-dir) WORK=$2; shift 2 ;;
    --input) INPUT=$2; shift 2 ;;
    --tune) TUNE=--tune; shift ;;
    --systems) SYSTEMS=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

ARXIVC=${ARXIVC:-build/arxivc}
PY=/usr/bin/python3  # Debian's Python: the one that sees python3-sklearn
[ -x "$ARXIVC" ] || { echo "build arxivc first (make build)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -f "$INPUT" ] || { echo "no input file $INPUT (set --input or ARXIVC_DATA_DIR)" >&2; exit 1; }
if [[ ,$SYSTEMS, == *,fastText,* ]] && ! command -v fasttext >/dev/null; then
  echo "needs the fasttext command (bash scripts/setup.sh)" >&2; exit 1
fi
if [[ ,$SYSTEMS, == *,scikit-learn,* ]] && ! $PY -c 'import sklearn' 2>/dev/null; then
  echo "needs python3-sklearn (bash scripts/setup.sh)" >&2; exit 1
fi
ARXIVC=$(realpath "$ARXIVC")
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
mkdir -p "$WORK/times" "$WORK/logs" "$WORK/eval"
SAMPLES_TAG=${MAX_SAMPLES:-all}

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
# measure NAME COMMAND...: runs it under GNU time -v (report in times/NAME.time, standard output in
# logs/NAME.out, standard error in logs/NAME.log)
measure() {
  local name=$1; shift
  log "$name: $*"
  if ! /usr/bin/time -v -o "$WORK/times/$name.time" "$@" >"$WORK/logs/$name.out" 2>"$WORK/logs/$name.log"; then
    echo "$name failed:" >&2; tail -20 "$WORK/logs/$name.log" >&2; exit 1
  fi
}
# meta-data of the run
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >"$WORK/machine.txt"
for system in ${SYSTEMS//,/ }; do rm -f "$WORK/times/$system".*.time; done

# 1. Prepare once with the defaults (the same dataset `arxivc train --input FILE` prepares for itself),
#    then export its splits for the peers.
DATASET=$WORK/dataset
if [ ! -f "$DATASET/manifest.json" ]; then
  log "preparing $INPUT with prepare's defaults"
  "$ARXIVC" -q prepare --input "$INPUT" --output "$DATASET" "run.dir=$WORK/runs/prepare" >"$WORK/logs/prepare.log" 2>&1 || {
    tail -20 "$WORK/logs/prepare.log" >&2; exit 1; }
fi
EXPORT=$WORK/export-$SAMPLES_TAG
mkdir -p "$EXPORT"
if [ ! -f "$EXPORT/test.jsonl" ]; then
  log "exporting the splits to $EXPORT"
  "$ARXIVC" -q export --input "$DATASET" --split train --output "$EXPORT/train.jsonl" \
    ${MAX_SAMPLES:+--max-samples "$MAX_SAMPLES"}
  "$ARXIVC" -q export --input "$DATASET" --split validation --output "$EXPORT/validation.jsonl"
  "$ARXIVC" -q export --input "$DATASET" --split test --output "$EXPORT/test.jsonl"
  # `arxivc predict` reads metadata: the exported labels become the "categories" field
  $PY -c 'import json, sys
for line in sys.stdin:
    p = json.loads(line); p["categories"] = " ".join(p.pop("labels")); print(json.dumps(p))' \
    <"$EXPORT/test.jsonl" >"$EXPORT/test-papers.jsonl"
fi
TEST_PAPERS=$(wc -l <"$EXPORT/test.jsonl")
log "$(wc -l <"$EXPORT/train.jsonl") training, $(wc -l <"$EXPORT/validation.jsonl") validation, $TEST_PAPERS test papers"

evaluate() {  # evaluate SYSTEM PREDICTIONS
  "$ARXIVC" -q evaluate --predictions "$2" --name "$1" --input "$DATASET" --split test \
    --output-dir "$WORK/eval/$1" "run.dir=$WORK/runs/$1.evaluate" >"$WORK/logs/$1.evaluate.log" 2>&1 || {
    tail -20 "$WORK/logs/$1.evaluate.log" >&2; exit 1; }
  log "$1: $(head -1 "$WORK/logs/$1.evaluate.log")"
}

# 2a. arxivc: the default experiment, no overrides but the sample size.
if [[ ,$SYSTEMS, == *,arxivc,* ]]; then
  mkdir -p "$WORK/arxivc"
  rm -rf "$WORK/arxivc/model"
  measure arxivc.train.1 "$ARXIVC" train --input "$DATASET" --output "$WORK/arxivc/model" \
    ${MAX_SAMPLES:+--max-samples "$MAX_SAMPLES"} "run.dir=$WORK/runs/arxivc.train" "reports.dir=$WORK/arxivc/reports"
  echo "$WORK/arxivc/model/model.bin" >"$WORK/arxivc/model_files"
  measure arxivc.predict "$ARXIVC" predict --model "$WORK/arxivc/model" --input "$EXPORT/test-papers.jsonl" \
    --output "$WORK/arxivc/predictions.jsonl" --top-k 10
  evaluate arxivc "$WORK/arxivc/predictions.jsonl"
fi

# 2b. fastText: supervised, one-vs-all loss, word bigrams, dim 100, 10 epochs, 2 threads; threshold on validation.
if [[ ,$SYSTEMS, == *,fastText,* ]]; then
  FT=$WORK/fastText
  mkdir -p "$FT"
  for split in train validation test; do
    $PY bench/peers/fasttext_peer.py convert --input "$EXPORT/$split.jsonl" --output "$FT/$split.txt"
  done
  # --tune: the learning rate chosen on validation (micro-F1 with its tuned threshold); every fit counts
  # in the training time.
  LRS=${FASTTEXT_LR:-0.1}
  [ -n "$TUNE" ] && LRS="0.1 0.25 0.5 1.0"
  step=0 best_f1=-1
  for lr in $LRS; do
    step=$((step + 1))
    measure "fastText.train.$step" fasttext supervised -input "$FT/train.txt" -output "$FT/model-lr$lr" -loss ova \
      -wordNgrams 2 -dim 100 -epoch 10 -lr "$lr" -thread 2 -verbose 1
    step=$((step + 1))
    measure "fastText.train.$step" fasttext predict-prob "$FT/model-lr$lr.bin" "$FT/validation.txt" 10
    $PY bench/peers/fasttext_peer.py tune --scores "$WORK/logs/fastText.train.$step.out" \
      --gold "$EXPORT/validation.jsonl" --output "$FT/threshold-lr$lr.json" 2>>"$WORK/logs/fastText.tune.log"
    f1=$($PY -c 'import json, sys; print(json.load(open(sys.argv[1]))["validation_micro_f1"])' "$FT/threshold-lr$lr.json")
    log "fastText lr $lr: validation micro-F1 $f1"
    if awk -v a="$f1" -v b="$best_f1" 'BEGIN { exit !(a > b) }'; then best_f1=$f1 best_lr=$lr; fi
  done
  log "fastText: lr $best_lr"
  mv "$FT/model-lr$best_lr.bin" "$FT/model.bin"
  cp "$FT/threshold-lr$best_lr.json" "$FT/threshold.json"
  rm -f "$FT"/model-lr*.bin "$FT"/model-lr*.vec "$FT/model.vec"
  echo "$FT/model.bin" >"$FT/model_files"
  measure fastText.predict fasttext predict-prob "$FT/model.bin" "$FT/test.txt" 10
  cp "$WORK/logs/fastText.predict.out" "$FT/test.scores"
  $PY bench/peers/fasttext_peer.py write --scores "$FT/test.scores" --papers "$EXPORT/test.jsonl" \
    --threshold "$FT/threshold.json" --output "$FT/predictions.jsonl"
  evaluate fastText "$FT/predictions.jsonl"
fi

# 2c. scikit-learn: TF-IDF unigrams + bigrams, one-vs-rest SGD logistic regression; threshold on validation.
if [[ ,$SYSTEMS, == *,scikit-learn,* ]]; then
  SK=$WORK/scikit-learn
  mkdir -p "$SK"
  measure scikit-learn.train.1 $PY bench/peers/sklearn_peer.py train --train "$EXPORT/train.jsonl" \
    --validation "$EXPORT/validation.jsonl" --model "$SK/model.joblib" $TUNE
  grep '^\[sklearn\]' "$WORK/logs/scikit-learn.train.1.log" >&2 || true
  echo "$SK/model.joblib" >"$SK/model_files"
  measure scikit-learn.predict $PY bench/peers/sklearn_peer.py predict --model "$SK/model.joblib" \
    --input "$EXPORT/test.jsonl" --output "$SK/predictions.jsonl"
  evaluate scikit-learn "$SK/predictions.jsonl"
fi

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$WORK/machine.txt"
{
  echo "## arxivc against fastText and scikit-learn"
  echo
  echo "Input: \`$INPUT\`, prepare's defaults; training papers: ${MAX_SAMPLES:-all of the train split}" \
    "(the same for every system); $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(paste -sd';' "$WORK/machine.txt")."
  echo
  # every system with results in the work dir (an earlier --systems run's included)
  $PY bench/peers/report.py "$WORK" "$(for s in arxivc fastText scikit-learn; do
    [ -f "$WORK/eval/$s/evaluation_test.json" ] && [ -f "$WORK/times/$s.predict.time" ] && echo "$s"; done | paste -sd,)"
} >"$WORK/peers.md"
cat "$WORK/peers.md"
echo
echo "table: $WORK/peers.md; reports: $WORK/eval/<system>/evaluation_test.md" >&2
