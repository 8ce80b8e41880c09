#pragma once

// Evaluation of a multi-label classifier's output on N papers against their gold categories.
//
// Conventions (all documented here, tested in tests/unit/metrics_test.cpp):
// - Ranking metrics (primary accuracy, top-5, archive accuracy, P@k, NDCG@5, confusion, calibration) use
//   the probability matrix; a paper's top-1 is its most probable label (ties: lower label id), the label
//   that decide() (thresholds.hpp) puts first. Set metrics (micro, macro, samples, per-category) use the
//   decision: the predicted label sets.
// - A gold category outside the label space (kOutsideLabel) is a miss everywhere: it counts in a paper's
//   number of gold labels (recall denominators, NDCG's ideal hits) and can never be predicted. A paper
//   whose gold primary is outside the label space is wrong on primary accuracy and top-5, and on archive
//   accuracy unless its primary's archive is given in `gold_primary_archives`.
// - Zero division gives 0 (scikit-learn's zero_division=0): precision with no prediction, recall with no
//   gold label, F1 when precision + recall = 0 (F1 = 2TP / (2TP + FP + FN), 0 when that is 0/0).
// - micro: from TP, FP, FN summed over all (paper, label) pairs. macro: unweighted mean over all
//   label_count labels of the label space, labels without support included (they score 0 recall and F1,
//   as in scikit-learn); macro_supported: the same mean over labels with support > 0 only. samples: mean
//   over papers of each paper's precision, recall and F1 (scikit-learn average='samples').
// - P@k = (gold labels among the k most probable) / k, with k capped at label_count; averaged over papers.
// - NDCG@5 (Annif-style binary gains, log2 discounts): DCG = sum over ranks r = 1..5 of rel_r / log2(r + 1);
//   IDCG = the same sum with min(5, |gold|) relevant labels on top, where |gold| includes categories
//   outside the label space (unlike Annif, which drops them): such papers cannot reach 1, and a paper
//   whose gold categories are all outside scores 0.
// - Calibration: top-1 confidence (the top-1 label's probability) against whether the top-1 is one of the
//   paper's gold categories (a multi-label probability says "this label applies"); with
//   calibration_against_primary, against whether it is the gold primary (for single-label softmax models).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "arxivc/eval/calibration.hpp"
#include "arxivc/eval/confusion.hpp"
#include "arxivc/eval/gold.hpp"

namespace arxivc::eval {

struct EvaluationInput {
  std::size_t label_count = 0;
  std::span<const GoldLabels> gold;             // N papers
  std::span<const float> probabilities;         // N x label_count, row-major
  std::span<const GoldLabels> predicted;        // N decisions: label ids (no kOutsideLabel), may be empty
  std::span<const std::string> label_archives;  // label_count entries: each label's archive ("cs", "math")
  // Optional (empty or N entries): each paper's gold primary archive, so that a primary outside the label
  // space can still match at archive level. When empty, it is the archive of the gold primary label.
  std::span<const std::string> gold_primary_archives;
};

struct EvaluationOptions {
  std::size_t confused_pairs = 20;    // how many most-confused pairs to keep
  std::size_t calibration_bins = 10;  // equal-width top-1 confidence bins
  bool calibration_against_primary = false;
};

struct PrecisionRecallF1 {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

struct CategoryMetrics {
  std::uint32_t label = 0;
  std::uint64_t support = 0;    // papers with this gold label (TP + FN)
  std::uint64_t predicted = 0;  // papers with this label in their decision (TP + FP)
  std::uint64_t true_positives = 0;
  PrecisionRecallF1 scores;
};

struct OutsideLabelSpace {
  std::uint64_t papers = 0;          // papers with at least one gold category outside the label space
  std::uint64_t primary_papers = 0;  // papers whose gold primary is outside the label space
  std::uint64_t gold_labels = 0;     // gold categories outside the label space, over all papers
};

struct EvaluationResult {
  std::size_t papers = 0;
  std::size_t label_count = 0;
  std::size_t labels_with_support = 0;
  double mean_gold_labels = 0.0;       // per paper, outside categories included
  double mean_predicted_labels = 0.0;  // per paper, in the decision

  double primary_accuracy = 0.0;  // top-1 == gold primary
  double primary_in_top_5 = 0.0;  // gold primary among the 5 most probable labels
  double archive_accuracy = 0.0;  // archive of the top-1 == archive of the gold primary

  PrecisionRecallF1 micro;
  PrecisionRecallF1 macro;
  PrecisionRecallF1 macro_supported;
  PrecisionRecallF1 samples;

  double precision_at_1 = 0.0;
  double precision_at_3 = 0.0;
  double precision_at_5 = 0.0;
  double ndcg_at_5 = 0.0;

  std::vector<CategoryMetrics> per_category;     // indexed by label id
  std::vector<ConfusionCell> primary_confusion;  // every non-empty (gold primary, top-1) cell
  std::vector<ConfusionCell> confused_pairs;     // the most confused off-diagonal cells, most first
  Calibration calibration;                       // top-1 confidence
  bool calibration_against_primary = false;
  OutsideLabelSpace outside;
};

// Validates the input (sizes, label ids, probabilities; arxivc::Error names the paper) and computes every
// metric. N = 0 gives a result of zeros.
EvaluationResult evaluate(const EvaluationInput& input, const EvaluationOptions& options = {});

// JSON form of the result: every field except primary_confusion (the full cell list; confused_pairs holds
// the top ones). When label_codes has label_count entries, labels also carry their codes.
nlohmann::json to_json(const EvaluationResult& result, std::span<const std::string> label_codes = {});

}  // namespace arxivc::eval
