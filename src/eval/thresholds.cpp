#include "arxivc/eval/thresholds.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "arxivc/core/error.hpp"
#include "arxivc/eval/ranking.hpp"

namespace arxivc::eval {
namespace {

// A (paper, label) pair that the threshold decides on: it is not the paper's forced top-1.
struct Candidate {
  float probability;
  bool relevant;  // the label is one of the paper's gold labels
};

// Counts of a decision: F1 = 2 TP / (predicted + gold), 0 when both are 0.
struct DecisionCounts {
  double true_positives = 0;
  double predicted = 0;
  double gold = 0;

  double f1() const { return predicted + gold == 0 ? 0.0 : 2.0 * true_positives / (predicted + gold); }
};

struct SweepResult {
  float threshold;
  double f1;
};

// Picks a threshold strictly above `excluded` (the highest probability left out) and at most `included`
// (the lowest probability kept); either may be absent (NaN).
float threshold_between(float included, float excluded) {
  const bool has_included = !std::isnan(included);
  const bool has_excluded = !std::isnan(excluded);
  if (!has_included && !has_excluded) return 0.5F;
  if (!has_excluded) return included / 2.0F;  // everything kept: anything up to the lowest probability
  const float upper = has_included ? included : 1.0F;
  if (upper > excluded) {
    const auto middle =
        static_cast<float>((static_cast<double>(upper) + static_cast<double>(excluded)) / 2.0);
    if (middle > excluded && middle <= upper) return middle;
    if (has_included) return upper;
  }
  return std::nextafter(excluded, std::numeric_limits<float>::infinity());
}

// Exact maximisation of F1 over thresholds: `forced` holds the counts of the decisions that do not depend
// on the threshold (forced top-1s), each candidate is added when the threshold drops to its probability.
SweepResult sweep(std::vector<Candidate>& candidates, DecisionCounts counts) {
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.probability > b.probability; });
  double best_f1 = counts.f1();
  std::size_t best_end = 0;  // candidates [0, best_end) are kept
  std::size_t i = 0;
  while (i < candidates.size()) {
    // Equal probabilities fall on the same side of any threshold.
    const float probability = candidates[i].probability;
    for (; i < candidates.size() && candidates[i].probability == probability; ++i) {
      counts.predicted += 1;
      if (candidates[i].relevant) counts.true_positives += 1;
    }
    const double f1 = counts.f1();
    if (f1 > best_f1) {
      best_f1 = f1;
      best_end = i;
    }
  }
  const float none = std::numeric_limits<float>::quiet_NaN();
  const float included = best_end > 0 ? candidates[best_end - 1].probability : none;
  const float excluded = best_end < candidates.size() ? candidates[best_end].probability : none;
  return {threshold_between(included, excluded), best_f1};
}

void validate_tuning_input(std::span<const float> probabilities, std::size_t label_count,
                           std::span<const GoldLabels> gold) {
  if (label_count == 0) throw Error("threshold tuning needs a label space of at least one label");
  validate_gold(gold, label_count);
  validate_probabilities(probabilities, gold.size(), label_count);
}

std::vector<std::uint32_t> decide_row(std::span<const float> row, const Thresholds& thresholds) {
  if (row.empty()) return {};
  const std::uint32_t top = top_label(row);
  std::vector<std::uint32_t> labels = {top};
  for (std::uint32_t label = 0; label < row.size(); ++label) {
    if (label != top && row[label] >= thresholds.for_label(label)) labels.push_back(label);
  }
  std::sort(labels.begin() + 1, labels.end(),
            [&](std::uint32_t a, std::uint32_t b) { return row[a] > row[b] || (row[a] == row[b] && a < b); });
  return labels;
}

void check_thresholds_fit(const Thresholds& thresholds, std::size_t label_count) {
  if (!thresholds.per_label.empty() && thresholds.per_label.size() != label_count) {
    throw Error(
        fmt::format("{} per-label thresholds for {} labels", thresholds.per_label.size(), label_count));
  }
}

float threshold_from_json(const nlohmann::json& value, const std::string& field) {
  if (!value.is_number()) throw Error(fmt::format("thresholds: field '{}' is not a number", field));
  const double threshold = value.get<double>();
  if (!std::isfinite(threshold)) throw Error(fmt::format("thresholds: field '{}' is not finite", field));
  return static_cast<float>(threshold);
}

}  // namespace

nlohmann::json to_json(const Thresholds& thresholds) {
  const auto check = [](float threshold) {
    if (std::isnan(threshold)) throw Error("thresholds: a threshold is NaN");
    return threshold;
  };
  nlohmann::json per_label = nlohmann::json::array();
  for (const float threshold : thresholds.per_label) per_label.push_back(check(threshold));
  return {{"global", check(thresholds.global)}, {"per_label", std::move(per_label)}};
}

Thresholds thresholds_from_json(const nlohmann::json& json, std::size_t label_count) {
  if (!json.is_object()) throw Error("thresholds: expected a JSON object");
  if (!json.contains("global")) throw Error("thresholds: missing field 'global'");
  Thresholds thresholds;
  thresholds.global = threshold_from_json(json.at("global"), "global");
  if (json.contains("per_label")) {
    const nlohmann::json& per_label = json.at("per_label");
    if (!per_label.is_array()) throw Error("thresholds: field 'per_label' is not an array");
    for (std::size_t i = 0; i < per_label.size(); ++i) {
      thresholds.per_label.push_back(threshold_from_json(per_label[i], fmt::format("per_label[{}]", i)));
    }
  }
  if (label_count != 0) check_thresholds_fit(thresholds, label_count);
  return thresholds;
}

std::vector<std::uint32_t> decide(std::span<const float> row, const Thresholds& thresholds) {
  check_thresholds_fit(thresholds, row.size());
  validate_probabilities(row, 1, row.size());
  return decide_row(row, thresholds);
}

std::vector<GoldLabels> decide_all(std::span<const float> probabilities, std::size_t label_count,
                                   const Thresholds& thresholds) {
  if (label_count == 0) throw Error("decide: the label space is empty");
  if (probabilities.size() % label_count != 0) {
    throw Error(fmt::format("decide: {} probabilities do not fill rows of {} labels", probabilities.size(),
                            label_count));
  }
  const std::size_t papers = probabilities.size() / label_count;
  check_thresholds_fit(thresholds, label_count);
  validate_probabilities(probabilities, papers, label_count);
  std::vector<GoldLabels> decisions(papers);
  for (std::size_t paper = 0; paper < papers; ++paper) {
    decisions[paper] = decide_row(probabilities.subspan(paper * label_count, label_count), thresholds);
  }
  return decisions;
}

namespace {

GlobalThreshold tune_global(std::span<const float> probabilities, std::size_t label_count,
                            std::span<const GoldLabels> gold, std::span<const std::uint32_t> top_1) {
  DecisionCounts forced;
  std::vector<Candidate> candidates;
  candidates.reserve(gold.size() * (label_count - 1));
  std::vector<std::size_t> gold_in_paper(label_count, 0);  // paper index + 1
  for (std::size_t paper = 0; paper < gold.size(); ++paper) {
    for (const std::uint32_t label : gold[paper]) {
      if (label != kOutsideLabel) gold_in_paper[label] = paper + 1;
    }
    forced.gold += static_cast<double>(gold[paper].size());
    forced.predicted += 1;
    if (gold_in_paper[top_1[paper]] == paper + 1) forced.true_positives += 1;
    const auto row = probabilities.subspan(paper * label_count, label_count);
    for (std::uint32_t label = 0; label < label_count; ++label) {
      if (label != top_1[paper]) candidates.push_back({row[label], gold_in_paper[label] == paper + 1});
    }
  }
  const SweepResult best = sweep(candidates, forced);
  return {best.threshold, best.f1};
}

}  // namespace

GlobalThreshold tune_global_threshold(std::span<const float> probabilities, std::size_t label_count,
                                      std::span<const GoldLabels> gold) {
  validate_tuning_input(probabilities, label_count, gold);
  std::vector<std::uint32_t> top_1(gold.size());
  for (std::size_t paper = 0; paper < gold.size(); ++paper) {
    top_1[paper] = top_label(probabilities.subspan(paper * label_count, label_count));
  }
  return tune_global(probabilities, label_count, gold, top_1);
}

ThresholdTuning tune_thresholds(std::span<const float> probabilities, std::size_t label_count,
                                std::span<const GoldLabels> gold, const ThresholdTuningOptions& options) {
  validate_tuning_input(probabilities, label_count, gold);
  const std::size_t papers = gold.size();
  std::vector<std::uint32_t> top_1(papers);
  for (std::size_t paper = 0; paper < papers; ++paper) {
    top_1[paper] = top_label(probabilities.subspan(paper * label_count, label_count));
  }
  ThresholdTuning tuning;
  tuning.global = tune_global(probabilities, label_count, gold, top_1);
  tuning.thresholds.global = tuning.global.threshold;
  if (!options.per_label) return tuning;

  // One row-major pass gathers every label's candidates (reading columns would miss the cache on every
  // value); a label's decision does not depend on the other labels, so each is swept on its own.
  std::vector<DecisionCounts> forced(label_count);
  std::vector<std::vector<Candidate>> candidates(label_count);
  for (auto& label_candidates : candidates) label_candidates.reserve(papers);
  std::vector<std::size_t> gold_in_paper(label_count, 0);  // paper index + 1
  for (std::size_t paper = 0; paper < papers; ++paper) {
    for (const std::uint32_t label : gold[paper]) {
      if (label == kOutsideLabel) continue;
      gold_in_paper[label] = paper + 1;
      forced[label].gold += 1;
    }
    const auto row = probabilities.subspan(paper * label_count, label_count);
    for (std::uint32_t label = 0; label < label_count; ++label) {
      const bool relevant = gold_in_paper[label] == paper + 1;
      if (label == top_1[paper]) {
        forced[label].predicted += 1;
        if (relevant) forced[label].true_positives += 1;
      } else {
        candidates[label].push_back({row[label], relevant});
      }
    }
  }
  tuning.labels.resize(label_count);
  tuning.thresholds.per_label.resize(label_count);
  for (std::uint32_t label = 0; label < label_count; ++label) {
    LabelThreshold& result = tuning.labels[label];
    result.positives = static_cast<std::uint64_t>(forced[label].gold);
    const SweepResult best = sweep(candidates[label], forced[label]);
    result.fallback = result.positives < options.min_positives || best.f1 <= 0.0;
    if (result.fallback) {
      result.threshold = tuning.global.threshold;
      DecisionCounts at_global = forced[label];
      for (const Candidate& candidate : candidates[label]) {
        if (candidate.probability < result.threshold) continue;
        at_global.predicted += 1;
        if (candidate.relevant) at_global.true_positives += 1;
      }
      result.f1 = at_global.f1();
    } else {
      result.threshold = best.threshold;
      result.f1 = best.f1;
    }
    tuning.thresholds.per_label[label] = result.threshold;
    std::vector<Candidate>().swap(candidates[label]);  // free as we go
  }
  return tuning;
}

}  // namespace arxivc::eval
