#pragma once

// Decision thresholds turning a probability row into a predicted label set, and their tuning on
// validation data to maximise F1.
//
// The decision (decide()): every paper gets its top-1 label (most probable, ties: lower id), followed by
// every other label whose probability is >= its threshold, in decreasing probability (ties: lower id).
// Tuning optimises F1 of exactly this decision, forced top-1 included, with the conventions of
// metrics.hpp (gold categories outside the label space are misses).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "arxivc/eval/gold.hpp"

namespace arxivc::eval {

struct Thresholds {
  float global = 0.5F;
  // Empty: every label uses `global`. Otherwise one threshold per label.
  std::vector<float> per_label;

  float for_label(std::uint32_t label) const { return per_label.empty() ? global : per_label[label]; }
};

// Throws arxivc::Error when a threshold is NaN.
nlohmann::json to_json(const Thresholds& thresholds);
// Throws arxivc::Error naming the field when `json` is not what to_json writes (or per_label does not
// hold label_count values, when label_count != 0).
Thresholds thresholds_from_json(const nlohmann::json& json, std::size_t label_count = 0);

// The predicted labels of one paper (empty only for an empty row). Throws arxivc::Error when per_label
// thresholds do not match the row's size.
std::vector<std::uint32_t> decide(std::span<const float> row, const Thresholds& thresholds);
// decide() on each row of an N x label_count matrix.
std::vector<GoldLabels> decide_all(std::span<const float> probabilities, std::size_t label_count,
                                   const Thresholds& thresholds);

struct GlobalThreshold {
  float threshold = 0.5F;
  double micro_f1 = 0.0;  // on the tuning data, with this threshold
};

// The global threshold maximising micro-F1 of decide(), found exactly: the (paper, label) pairs other than
// each paper's top-1 sorted by decreasing probability, swept once (O(NL log NL)). Any threshold between
// two consecutive distinct probabilities gives the same decision; the midpoint is returned (between the
// highest probability and 1 when only top-1 labels are best). Among equal F1 the highest threshold wins.
// Throws arxivc::Error on invalid gold labels or probabilities (see gold.hpp).
GlobalThreshold tune_global_threshold(std::span<const float> probabilities, std::size_t label_count,
                                      std::span<const GoldLabels> gold);

struct ThresholdTuningOptions {
  bool per_label = true;
  // Labels with fewer gold positives than this in the tuning data keep the global threshold: a threshold
  // fitted to a handful of papers would be noise.
  std::size_t min_positives = 5;
};

struct LabelThreshold {
  float threshold = 0.5F;
  double f1 = 0.0;  // the label's F1 on the tuning data with `threshold`
  std::uint64_t positives = 0;
  bool fallback = true;  // true: the global threshold (too few positives, or no threshold scores F1 > 0)
};

struct ThresholdTuning {
  Thresholds thresholds;
  GlobalThreshold global;
  std::vector<LabelThreshold> labels;  // per label id; empty when per_label is off
};

// Tunes the global threshold, then (when options.per_label) each label's threshold to maximise that
// label's F1 under decide(), by the same exact sweep restricted to the label.
ThresholdTuning tune_thresholds(std::span<const float> probabilities, std::size_t label_count,
                                std::span<const GoldLabels> gold, const ThresholdTuningOptions& options = {});

}  // namespace arxivc::eval
