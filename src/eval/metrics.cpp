#include "arxivc/eval/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "arxivc/core/error.hpp"
#include "arxivc/eval/ranking.hpp"

namespace arxivc::eval {
namespace {

// Zero division gives 0 (see the conventions in metrics.hpp).
double ratio(double numerator, double denominator) {
  return denominator == 0.0 ? 0.0 : numerator / denominator;
}

PrecisionRecallF1 scores_from_counts(double true_positives, double predicted, double gold) {
  return {ratio(true_positives, predicted), ratio(true_positives, gold),
          ratio(2.0 * true_positives, predicted + gold)};
}

void validate_input(const EvaluationInput& input) {
  const std::size_t papers = input.gold.size();
  if (input.label_count == 0) throw Error("evaluation needs a label space of at least one label");
  if (input.predicted.size() != papers) {
    throw Error(fmt::format("evaluation: {} gold label sets but {} predicted label sets", papers,
                            input.predicted.size()));
  }
  if (input.label_archives.size() != input.label_count) {
    throw Error(fmt::format("evaluation: {} label archives for {} labels", input.label_archives.size(),
                            input.label_count));
  }
  if (!input.gold_primary_archives.empty() && input.gold_primary_archives.size() != papers) {
    throw Error(fmt::format("evaluation: {} gold primary archives for {} papers",
                            input.gold_primary_archives.size(), papers));
  }
  validate_gold(input.gold, input.label_count);
  validate_probabilities(input.probabilities, papers, input.label_count);
  std::vector<std::size_t> seen_in_paper(input.label_count, 0);
  for (std::size_t paper = 0; paper < papers; ++paper) {
    for (const std::uint32_t label : input.predicted[paper]) {
      if (label >= input.label_count) {
        throw Error(fmt::format("paper {}: predicted label id {} is outside the label space of {} labels",
                                paper, label, input.label_count));
      }
      if (seen_in_paper[label] == paper + 1) {
        throw Error(fmt::format("paper {}: predicted label id {} is listed twice", paper, label));
      }
      seen_in_paper[label] = paper + 1;
    }
  }
}

}  // namespace

EvaluationResult evaluate(const EvaluationInput& input, const EvaluationOptions& options) {
  validate_input(input);
  const std::size_t papers = input.gold.size();
  const std::size_t label_count = input.label_count;

  EvaluationResult result;
  result.papers = papers;
  result.label_count = label_count;
  result.calibration_against_primary = options.calibration_against_primary;
  result.per_category.resize(label_count);
  for (std::size_t label = 0; label < label_count; ++label) {
    result.per_category[label].label = static_cast<std::uint32_t>(label);
  }

  const std::size_t ranking_depth = std::min<std::size_t>(5, label_count);
  std::vector<std::size_t> gold_in_paper(label_count, 0);  // paper index + 1 for the paper's gold labels
  std::vector<std::uint32_t> top_1(papers);
  std::vector<float> confidence(papers);
  std::vector<std::uint8_t> top_1_right(papers);
  double primary_right = 0, primary_in_top_5 = 0, archive_right = 0;
  double hits_at[3] = {0, 0, 0};
  constexpr std::size_t kDepths[3] = {1, 3, 5};
  double ndcg_sum = 0, sample_precision = 0, sample_recall = 0, sample_f1 = 0;
  double true_positives = 0, predicted_count = 0, gold_count = 0;

  for (std::size_t paper = 0; paper < papers; ++paper) {
    const GoldLabels& gold = input.gold[paper];
    const GoldLabels& predicted = input.predicted[paper];
    const auto row = input.probabilities.subspan(paper * label_count, label_count);
    const auto is_gold = [&](std::uint32_t label) { return gold_in_paper[label] == paper + 1; };

    std::uint64_t outside = 0;
    for (const std::uint32_t label : gold) {
      if (label == kOutsideLabel) {
        ++outside;
      } else {
        gold_in_paper[label] = paper + 1;
        ++result.per_category[label].support;
      }
    }
    result.outside.gold_labels += outside;
    if (outside > 0) ++result.outside.papers;
    const std::uint32_t primary = gold.front();
    if (primary == kOutsideLabel) ++result.outside.primary_papers;

    // Ranking metrics.
    const std::vector<std::uint32_t> ranked = top_labels(row, ranking_depth);
    top_1[paper] = ranked.front();
    if (ranked.front() == primary) ++primary_right;
    if (std::find(ranked.begin(), ranked.end(), primary) != ranked.end()) ++primary_in_top_5;
    const std::string* gold_archive = nullptr;
    if (!input.gold_primary_archives.empty()) {
      gold_archive = &input.gold_primary_archives[paper];
    } else if (primary != kOutsideLabel) {
      gold_archive = &input.label_archives[primary];
    }
    if (gold_archive != nullptr && *gold_archive == input.label_archives[ranked.front()]) ++archive_right;

    for (std::size_t d = 0; d < 3; ++d) {
      const std::size_t depth = std::min(kDepths[d], label_count);
      const auto hits =
          std::count_if(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(depth), is_gold);
      hits_at[d] += static_cast<double>(hits) / static_cast<double>(depth);
    }
    double dcg = 0, ideal_dcg = 0;
    for (std::size_t rank = 0; rank < ranked.size(); ++rank) {
      const double discount = 1.0 / std::log2(static_cast<double>(rank) + 2.0);
      if (is_gold(ranked[rank])) dcg += discount;
      if (rank < gold.size()) ideal_dcg += discount;
    }
    ndcg_sum += dcg / ideal_dcg;  // ideal_dcg > 0: every paper has a gold label and ranked is non-empty

    confidence[paper] = row[ranked.front()];
    top_1_right[paper] =
        options.calibration_against_primary ? ranked.front() == primary : is_gold(ranked.front());

    // Set metrics on the decision.
    std::uint64_t paper_true_positives = 0;
    for (const std::uint32_t label : predicted) {
      CategoryMetrics& category = result.per_category[label];
      ++category.predicted;
      if (is_gold(label)) {
        ++category.true_positives;
        ++paper_true_positives;
      }
    }
    const PrecisionRecallF1 paper_scores =
        scores_from_counts(static_cast<double>(paper_true_positives), static_cast<double>(predicted.size()),
                           static_cast<double>(gold.size()));
    sample_precision += paper_scores.precision;
    sample_recall += paper_scores.recall;
    sample_f1 += paper_scores.f1;
    true_positives += static_cast<double>(paper_true_positives);
    predicted_count += static_cast<double>(predicted.size());
    gold_count += static_cast<double>(gold.size());
  }

  const auto n = static_cast<double>(papers);
  result.mean_gold_labels = ratio(gold_count, n);
  result.mean_predicted_labels = ratio(predicted_count, n);
  result.primary_accuracy = ratio(primary_right, n);
  result.primary_in_top_5 = ratio(primary_in_top_5, n);
  result.archive_accuracy = ratio(archive_right, n);
  result.precision_at_1 = ratio(hits_at[0], n);
  result.precision_at_3 = ratio(hits_at[1], n);
  result.precision_at_5 = ratio(hits_at[2], n);
  result.ndcg_at_5 = ratio(ndcg_sum, n);
  result.samples = {ratio(sample_precision, n), ratio(sample_recall, n), ratio(sample_f1, n)};
  result.micro = scores_from_counts(true_positives, predicted_count, gold_count);

  PrecisionRecallF1 macro_sum, supported_sum;
  for (CategoryMetrics& category : result.per_category) {
    category.scores =
        scores_from_counts(static_cast<double>(category.true_positives),
                           static_cast<double>(category.predicted), static_cast<double>(category.support));
    macro_sum.precision += category.scores.precision;
    macro_sum.recall += category.scores.recall;
    macro_sum.f1 += category.scores.f1;
    if (category.support == 0) continue;
    ++result.labels_with_support;
    supported_sum.precision += category.scores.precision;
    supported_sum.recall += category.scores.recall;
    supported_sum.f1 += category.scores.f1;
  }
  const auto labels = static_cast<double>(label_count);
  const auto supported = static_cast<double>(result.labels_with_support);
  result.macro = {macro_sum.precision / labels, macro_sum.recall / labels, macro_sum.f1 / labels};
  result.macro_supported = {ratio(supported_sum.precision, supported), ratio(supported_sum.recall, supported),
                            ratio(supported_sum.f1, supported)};

  result.primary_confusion = primary_confusion(input.gold, top_1);
  result.confused_pairs = most_confused_pairs(result.primary_confusion, options.confused_pairs);
  result.calibration = compute_calibration(confidence, top_1_right, options.calibration_bins);
  return result;
}

namespace {

nlohmann::json to_json(const PrecisionRecallF1& scores) {
  return {{"precision", scores.precision}, {"recall", scores.recall}, {"f1", scores.f1}};
}

}  // namespace

nlohmann::json to_json(const EvaluationResult& result, std::span<const std::string> label_codes) {
  const bool with_codes = label_codes.size() == result.label_count;
  const auto label_json = [&](nlohmann::json& object, const char* key, std::uint32_t label) {
    object[key] = label;
    if (with_codes) object[std::string(key) + "_code"] = label_codes[label];
  };

  nlohmann::json per_category = nlohmann::json::array();
  for (const CategoryMetrics& category : result.per_category) {
    nlohmann::json entry;
    label_json(entry, "label", category.label);
    entry["support"] = category.support;
    entry["predicted"] = category.predicted;
    entry["true_positives"] = category.true_positives;
    entry["precision"] = category.scores.precision;
    entry["recall"] = category.scores.recall;
    entry["f1"] = category.scores.f1;
    per_category.push_back(std::move(entry));
  }
  nlohmann::json confused = nlohmann::json::array();
  for (const ConfusionCell& cell : result.confused_pairs) {
    nlohmann::json entry = to_json(cell);
    label_json(entry, "gold", cell.gold);
    label_json(entry, "predicted", cell.predicted);
    confused.push_back(std::move(entry));
  }
  nlohmann::json calibration = to_json(result.calibration);
  calibration["target"] = result.calibration_against_primary ? "gold_primary" : "any_gold";

  return {{"papers", result.papers},
          {"label_count", result.label_count},
          {"labels_with_support", result.labels_with_support},
          {"mean_gold_labels", result.mean_gold_labels},
          {"mean_predicted_labels", result.mean_predicted_labels},
          {"primary_accuracy", result.primary_accuracy},
          {"primary_in_top_5", result.primary_in_top_5},
          {"archive_accuracy", result.archive_accuracy},
          {"micro", to_json(result.micro)},
          {"macro", to_json(result.macro)},
          {"macro_supported", to_json(result.macro_supported)},
          {"samples", to_json(result.samples)},
          {"precision_at_1", result.precision_at_1},
          {"precision_at_3", result.precision_at_3},
          {"precision_at_5", result.precision_at_5},
          {"ndcg_at_5", result.ndcg_at_5},
          {"per_category", std::move(per_category)},
          {"confused_pairs", std::move(confused)},
          {"calibration", std::move(calibration)},
          {"outside_label_space",
           {{"papers", result.outside.papers},
            {"primary_papers", result.outside.primary_papers},
            {"gold_labels", result.outside.gold_labels}}}};
}

}  // namespace arxivc::eval
