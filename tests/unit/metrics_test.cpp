#include "arxivc/eval/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "arxivc/core/error.hpp"

namespace arxivc::eval {
namespace {

constexpr double kTolerance = 1e-6;

// Seven labels; label 6 is never a gold label (no support).
const std::vector<std::string> kCodes = {"cs.LG",  "cs.AI",   "math.ST", "stat.ML",
                                         "hep-th", "math.PR", "q-bio.GN"};
const std::vector<std::string> kArchives = {"cs", "cs", "math", "stat", "hep-th", "math", "q-bio"};

// The worked example of most tests. Rankings (most probable first, ties to the lower id):
//   paper 0: gold {0, 3}            ranking 0 3 1 2 4 5 6      decision {0, 3}
//   paper 1: gold {2, 5}            ranking 5 0 2 1 3 4 6      decision {5, 0}
//   paper 2: gold {outside, 1}      ranking 1 4 0 2 3 5 6      decision {1}
//   paper 3: gold {4}               ranking 0 1 6 5 3 2 4      decision {0, 6}
struct Example {
  std::vector<GoldLabels> gold = {{0, 3}, {2, 5}, {kOutsideLabel, 1}, {4}};
  std::vector<float> probabilities = {
      0.85F, 0.10F, 0.05F, 0.60F, 0.02F, 0.01F, 0.00F,  //
      0.30F, 0.20F, 0.25F, 0.10F, 0.05F, 0.45F, 0.00F,  //
      0.20F, 0.75F, 0.10F, 0.05F, 0.30F, 0.00F, 0.00F,  //
      0.55F, 0.45F, 0.02F, 0.03F, 0.01F, 0.04F, 0.30F,  //
  };
  std::vector<GoldLabels> predicted = {{0, 3}, {5, 0}, {1}, {0, 6}};
  std::vector<std::string> gold_primary_archives;

  EvaluationInput input() const {
    return {7, gold, probabilities, predicted, kArchives, gold_primary_archives};
  }
};

TEST(EvalMetricsTest, RankingMetricsOfTheWorkedExample) {
  const EvaluationResult r = evaluate(Example().input());
  EXPECT_EQ(r.papers, 4U);
  EXPECT_EQ(r.label_count, 7U);
  // Top-1 = gold primary: paper 0 only (paper 2's primary is outside, so it cannot be right): 1/4.
  EXPECT_NEAR(r.primary_accuracy, 0.25, kTolerance);
  // Primary in top 5: paper 0 (rank 1), paper 1 (2 at rank 3); not paper 2 (outside) nor paper 3 (4 at
  // rank 7): 2/4.
  EXPECT_NEAR(r.primary_in_top_5, 0.5, kTolerance);
  // Archive of top-1 vs gold primary: 0 cs=cs yes; 1 math.PR/math.ST math=math yes; 2 primary outside, no
  // archive given: no; 3 cs vs hep-th: no. 2/4.
  EXPECT_NEAR(r.archive_accuracy, 0.5, kTolerance);
  // P@1: top-1 in gold: papers 0, 1, 2 yes, 3 no: 3/4.
  EXPECT_NEAR(r.precision_at_1, 0.75, kTolerance);
  // P@3: paper 0 {0,3,1} 2 hits, paper 1 {5,0,2} 2, paper 2 {1,4,0} 1, paper 3 {0,1,6} 0:
  // (2/3 + 2/3 + 1/3 + 0) / 4 = 5/12.
  EXPECT_NEAR(r.precision_at_3, 5.0 / 12.0, kTolerance);
  // P@5: hits 2, 2, 1, 0 of 5: (0.4 + 0.4 + 0.2 + 0) / 4 = 0.25.
  EXPECT_NEAR(r.precision_at_5, 0.25, kTolerance);
  // NDCG@5 with discounts 1/log2(r+1): d1 = 1, d2 = 0.6309298, d3 = 0.5.
  //   paper 0: hits at ranks 1, 2, |gold| = 2: (d1 + d2) / (d1 + d2) = 1.
  //   paper 1: hits at ranks 1, 3: (d1 + d3) / (d1 + d2) = 1.5 / 1.6309298.
  //   paper 2: hit at rank 1, |gold| = 2 (outside counts): d1 / (d1 + d2) = 1 / 1.6309298.
  //   paper 3: gold label 4 at rank 7: 0.
  const double ideal_two = 1.0 + 1.0 / std::log2(3.0);
  EXPECT_NEAR(r.ndcg_at_5, (1.0 + 1.5 / ideal_two + 1.0 / ideal_two) / 4.0, kTolerance);
  EXPECT_NEAR(r.ndcg_at_5, 0.633217, 1e-6);
}

TEST(EvalMetricsTest, SetMetricsOfTheWorkedExample) {
  const EvaluationResult r = evaluate(Example().input());
  // TP per paper: 2 ({0,3}), 1 (5), 1 (1), 0 -> 4. Predicted 2+2+1+2 = 7. Gold 2+2+2+1 = 7 (outside counts).
  EXPECT_NEAR(r.micro.precision, 4.0 / 7.0, kTolerance);
  EXPECT_NEAR(r.micro.recall, 4.0 / 7.0, kTolerance);
  EXPECT_NEAR(r.micro.f1, 4.0 / 7.0, kTolerance);
  // Per paper (P, R, F1): (1, 1, 1), (1/2, 1/2, 1/2), (1, 1/2, 2/3), (0, 0, 0).
  EXPECT_NEAR(r.samples.precision, 2.5 / 4.0, kTolerance);
  EXPECT_NEAR(r.samples.recall, 2.0 / 4.0, kTolerance);
  EXPECT_NEAR(r.samples.f1, (1.0 + 0.5 + 2.0 / 3.0) / 4.0, kTolerance);
  EXPECT_NEAR(r.mean_gold_labels, 1.75, kTolerance);
  EXPECT_NEAR(r.mean_predicted_labels, 1.75, kTolerance);

  // Per label (support, predicted, TP) -> (P, R, F1):
  //   0: (1, 3, 1) -> (1/3, 1, 0.5)    1: (1, 1, 1) -> (1, 1, 1)    2: (1, 0, 0) -> (0, 0, 0)
  //   3: (1, 1, 1) -> (1, 1, 1)        4: (1, 0, 0) -> (0, 0, 0)    5: (1, 1, 1) -> (1, 1, 1)
  //   6: (0, 1, 0) -> (0, 0, 0)        (zero divisions give 0)
  ASSERT_EQ(r.per_category.size(), 7U);
  const CategoryMetrics& label_0 = r.per_category[0];
  EXPECT_EQ(label_0.label, 0U);
  EXPECT_EQ(label_0.support, 1U);
  EXPECT_EQ(label_0.predicted, 3U);
  EXPECT_EQ(label_0.true_positives, 1U);
  EXPECT_NEAR(label_0.scores.precision, 1.0 / 3.0, kTolerance);
  EXPECT_NEAR(label_0.scores.recall, 1.0, kTolerance);
  EXPECT_NEAR(label_0.scores.f1, 0.5, kTolerance);
  EXPECT_EQ(r.per_category[2].predicted, 0U);
  EXPECT_EQ(r.per_category[2].scores.precision, 0.0);
  EXPECT_EQ(r.per_category[2].scores.f1, 0.0);
  const CategoryMetrics& no_support = r.per_category[6];
  EXPECT_EQ(no_support.support, 0U);
  EXPECT_EQ(no_support.predicted, 1U);
  EXPECT_EQ(no_support.scores.precision, 0.0);
  EXPECT_EQ(no_support.scores.recall, 0.0);
  EXPECT_EQ(no_support.scores.f1, 0.0);
  EXPECT_NEAR(r.per_category[5].scores.f1, 1.0, kTolerance);

  // Macro over all 7 labels: P = (1/3 + 1 + 0 + 1 + 0 + 1 + 0) / 7 = 10/21, R = 4/7, F1 = 3.5/7 = 0.5.
  EXPECT_NEAR(r.macro.precision, 10.0 / 21.0, kTolerance);
  EXPECT_NEAR(r.macro.recall, 4.0 / 7.0, kTolerance);
  EXPECT_NEAR(r.macro.f1, 0.5, kTolerance);
  // Over the 6 labels with support: P = (10/3) / 6 = 5/9, R = 4/6, F1 = 3.5/6.
  EXPECT_EQ(r.labels_with_support, 6U);
  EXPECT_NEAR(r.macro_supported.precision, 5.0 / 9.0, kTolerance);
  EXPECT_NEAR(r.macro_supported.recall, 2.0 / 3.0, kTolerance);
  EXPECT_NEAR(r.macro_supported.f1, 3.5 / 6.0, kTolerance);
}

TEST(EvalMetricsTest, ConfusionAndOutsideCountsOfTheWorkedExample) {
  const EvaluationResult r = evaluate(Example().input());
  // (gold primary, top-1): paper 0 (0, 0), paper 1 (2, 5) with 5 a secondary gold label, paper 2 none
  // (primary outside), paper 3 (4, 0).
  ASSERT_EQ(r.primary_confusion.size(), 3U);
  EXPECT_EQ(r.primary_confusion[0].gold, 0U);
  EXPECT_EQ(r.primary_confusion[0].predicted, 0U);
  ASSERT_EQ(r.confused_pairs.size(), 2U);
  EXPECT_EQ(r.confused_pairs[0].gold, 2U);
  EXPECT_EQ(r.confused_pairs[0].predicted, 5U);
  EXPECT_EQ(r.confused_pairs[0].count, 1U);
  EXPECT_EQ(r.confused_pairs[0].predicted_in_gold, 1U);
  EXPECT_EQ(r.confused_pairs[1].gold, 4U);
  EXPECT_EQ(r.confused_pairs[1].predicted, 0U);
  EXPECT_EQ(r.confused_pairs[1].predicted_in_gold, 0U);

  EXPECT_EQ(r.outside.papers, 1U);
  EXPECT_EQ(r.outside.primary_papers, 1U);
  EXPECT_EQ(r.outside.gold_labels, 1U);
}

TEST(EvalMetricsTest, CalibrationOfTheWorkedExample) {
  // Top-1 confidences 0.85 (right), 0.45 (right: 5 is gold), 0.75 (right), 0.55 (wrong) fall in bins
  // 8, 4, 7 and 5, one each. ECE = (|1-0.85| + |1-0.45| + |1-0.75| + |0-0.55|) / 4 = 1.5 / 4.
  const EvaluationResult r = evaluate(Example().input());
  EXPECT_FALSE(r.calibration_against_primary);
  ASSERT_EQ(r.calibration.bins.size(), 10U);
  EXPECT_NEAR(r.calibration.expected_calibration_error, 0.375, kTolerance);
  const ReliabilityBin& bin_5 = r.calibration.bins[5];
  EXPECT_NEAR(bin_5.lower, 0.5, 1e-12);
  EXPECT_NEAR(bin_5.upper, 0.6, 1e-12);
  EXPECT_EQ(bin_5.count, 1U);
  EXPECT_NEAR(bin_5.mean_confidence, 0.55, kTolerance);
  EXPECT_EQ(bin_5.accuracy, 0.0);
  EXPECT_EQ(r.calibration.bins[8].accuracy, 1.0);
  EXPECT_EQ(r.calibration.bins[0].count, 0U);

  // Against the gold primary only paper 0 is right: (0.15 + 0.45 + 0.75 + 0.55) / 4 = 0.475.
  EvaluationOptions options;
  options.calibration_against_primary = true;
  const EvaluationResult primary = evaluate(Example().input(), options);
  EXPECT_TRUE(primary.calibration_against_primary);
  EXPECT_NEAR(primary.calibration.expected_calibration_error, 0.475, kTolerance);
}

TEST(EvalMetricsTest, GoldPrimaryArchivesLetAnOutsidePrimaryMatchItsArchive) {
  Example example;
  // Paper 2's primary is outside the label space but in archive cs, like its top-1 cs.AI: 3/4.
  example.gold_primary_archives = {"cs", "math", "cs", "hep-th"};
  EXPECT_NEAR(evaluate(example.input()).archive_accuracy, 0.75, kTolerance);
}

TEST(EvalMetricsTest, GoldOutsideTheLabelSpaceCountsAsAMiss) {
  // One paper, 3 labels, gold {0, outside}, decision {0}.
  const std::vector<GoldLabels> gold = {{0, kOutsideLabel}};
  const std::vector<float> probabilities = {0.8F, 0.1F, 0.1F};
  const std::vector<GoldLabels> predicted = {{0}};
  const std::vector<std::string> archives = {"cs", "cs", "math"};
  const EvaluationResult r = evaluate({3, gold, probabilities, predicted, archives, {}});
  // TP 1, predicted 1, gold 2: P = 1, R = 1/2, F1 = 2/3 (micro and samples alike).
  EXPECT_NEAR(r.micro.precision, 1.0, kTolerance);
  EXPECT_NEAR(r.micro.recall, 0.5, kTolerance);
  EXPECT_NEAR(r.micro.f1, 2.0 / 3.0, kTolerance);
  EXPECT_NEAR(r.samples.recall, 0.5, kTolerance);
  EXPECT_NEAR(r.samples.f1, 2.0 / 3.0, kTolerance);
  // The primary is in the label space and right.
  EXPECT_NEAR(r.primary_accuracy, 1.0, kTolerance);
  // Depth min(5, 3) = 3. NDCG: hit at rank 1, ideal 2 hits: 1 / (1 + 1/log2(3)) = 0.6131472.
  EXPECT_NEAR(r.ndcg_at_5, 1.0 / (1.0 + 1.0 / std::log2(3.0)), kTolerance);
  // P@3 and P@5 (k capped at 3 labels): 1 hit / 3.
  EXPECT_NEAR(r.precision_at_3, 1.0 / 3.0, kTolerance);
  EXPECT_NEAR(r.precision_at_5, 1.0 / 3.0, kTolerance);
  // Per-category recall of label 0 is unaffected: its one gold occurrence is found.
  EXPECT_NEAR(r.per_category[0].scores.recall, 1.0, kTolerance);
  EXPECT_EQ(r.outside.papers, 1U);
  EXPECT_EQ(r.outside.primary_papers, 0U);
  EXPECT_EQ(r.outside.gold_labels, 1U);

  // All gold outside: nothing can be right; NDCG is 0, not undefined.
  const std::vector<GoldLabels> all_outside = {{kOutsideLabel}};
  const EvaluationResult none = evaluate({3, all_outside, probabilities, predicted, archives, {}});
  EXPECT_EQ(none.primary_accuracy, 0.0);
  EXPECT_EQ(none.ndcg_at_5, 0.0);
  EXPECT_EQ(none.micro.recall, 0.0);
  EXPECT_EQ(none.micro.precision, 0.0);
  EXPECT_EQ(none.archive_accuracy, 0.0);
  EXPECT_TRUE(none.primary_confusion.empty());
}

TEST(EvalMetricsTest, NoPredictionsGiveZeroPrecisionNotAnError) {
  // Two papers, empty decisions: every precision is 0/0 -> 0, recall 0/|gold| = 0, F1 0.
  const std::vector<GoldLabels> gold = {{0}, {1, 2}};
  const std::vector<float> probabilities = {0.6F, 0.3F, 0.1F, 0.2F, 0.5F, 0.3F};
  const std::vector<GoldLabels> predicted = {{}, {}};
  const std::vector<std::string> archives = {"a", "b", "c"};
  const EvaluationResult r = evaluate({3, gold, probabilities, predicted, archives, {}});
  EXPECT_EQ(r.micro.precision, 0.0);
  EXPECT_EQ(r.micro.recall, 0.0);
  EXPECT_EQ(r.micro.f1, 0.0);
  EXPECT_EQ(r.samples.precision, 0.0);
  EXPECT_EQ(r.samples.f1, 0.0);
  EXPECT_EQ(r.macro.f1, 0.0);
  EXPECT_EQ(r.mean_predicted_labels, 0.0);
  // The ranking metrics still come from the probabilities: both top-1s are right.
  EXPECT_NEAR(r.primary_accuracy, 1.0, kTolerance);
  EXPECT_NEAR(r.precision_at_1, 1.0, kTolerance);
}

TEST(EvalMetricsTest, TiedProbabilitiesRankTheLowerLabelFirst) {
  const std::vector<GoldLabels> gold = {{1}};
  const std::vector<float> probabilities = {0.5F, 0.5F, 0.0F};
  const std::vector<GoldLabels> predicted = {{0}};
  const std::vector<std::string> archives = {"a", "b", "c"};
  const EvaluationResult r = evaluate({3, gold, probabilities, predicted, archives, {}});
  EXPECT_EQ(r.primary_accuracy, 0.0);
  EXPECT_NEAR(r.primary_in_top_5, 1.0, kTolerance);
  ASSERT_EQ(r.confused_pairs.size(), 1U);
  EXPECT_EQ(r.confused_pairs[0].predicted, 0U);
}

TEST(EvalMetricsTest, NoPapersGiveZeros) {
  const std::vector<std::string> archives = {"a", "b"};
  const EvaluationResult r = evaluate({2, {}, {}, {}, archives, {}});
  EXPECT_EQ(r.papers, 0U);
  EXPECT_EQ(r.primary_accuracy, 0.0);
  EXPECT_EQ(r.micro.f1, 0.0);
  EXPECT_EQ(r.calibration.expected_calibration_error, 0.0);
  EXPECT_EQ(r.per_category.size(), 2U);
}

TEST(EvalMetricsTest, BadInputIsAnErrorNamingThePaper) {
  const std::vector<std::string> archives = {"a", "b", "c"};
  const std::vector<float> probabilities = {0.6F, 0.3F, 0.1F};
  const std::vector<GoldLabels> one_empty = {{}};
  const std::vector<GoldLabels> ok = {{0}};
  const auto message_of = [&](const EvaluationInput& input) {
    try {
      evaluate(input);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of({3, one_empty, probabilities, ok, archives, {}}).find("paper 0: no gold"),
            std::string::npos);
  const std::vector<GoldLabels> out_of_range = {{3}};
  EXPECT_NE(message_of({3, out_of_range, probabilities, ok, archives, {}}).find("gold label id 3"),
            std::string::npos);
  const std::vector<GoldLabels> repeated = {{1, 1}};
  EXPECT_NE(message_of({3, repeated, probabilities, ok, archives, {}}).find("twice"), std::string::npos);
  const std::vector<GoldLabels> predicted_outside = {{kOutsideLabel}};
  EXPECT_NE(message_of({3, ok, probabilities, predicted_outside, archives, {}}).find("predicted label id"),
            std::string::npos);
  const std::vector<float> not_probability = {0.6F, NAN, 0.1F};
  EXPECT_NE(message_of({3, ok, not_probability, ok, archives, {}}).find("paper 0, label 1"),
            std::string::npos);
  const std::vector<float> above_one = {1.5F, 0.0F, 0.0F};
  EXPECT_NE(message_of({3, ok, above_one, ok, archives, {}}).find("not a probability"), std::string::npos);
  EXPECT_NE(
      message_of({3, ok, std::span(probabilities).first(2), ok, archives, {}}).find("probability matrix"),
      std::string::npos);
  EXPECT_NE(message_of({3, ok, probabilities, {}, archives, {}}).find("predicted label sets"),
            std::string::npos);
  EXPECT_NE(message_of({3, ok, probabilities, ok, std::span(archives).first(2), {}}).find("label archives"),
            std::string::npos);
}

TEST(EvalMetricsTest, JsonCarriesEveryMetricAndLabelCodes) {
  const EvaluationResult r = evaluate(Example().input());
  const nlohmann::json json = to_json(r, kCodes);
  EXPECT_EQ(json.at("papers"), 4);
  EXPECT_NEAR(json.at("primary_accuracy").get<double>(), 0.25, kTolerance);
  EXPECT_NEAR(json.at("micro").at("f1").get<double>(), 4.0 / 7.0, kTolerance);
  EXPECT_NEAR(json.at("macro").at("f1").get<double>(), 0.5, kTolerance);
  EXPECT_NEAR(json.at("samples").at("precision").get<double>(), 0.625, kTolerance);
  EXPECT_NEAR(json.at("ndcg_at_5").get<double>(), r.ndcg_at_5, 1e-12);
  EXPECT_NEAR(json.at("precision_at_3").get<double>(), 5.0 / 12.0, kTolerance);
  EXPECT_EQ(json.at("per_category").size(), 7U);
  EXPECT_EQ(json.at("per_category")[6].at("label_code"), "q-bio.GN");
  EXPECT_EQ(json.at("per_category")[0].at("predicted"), 3);
  EXPECT_EQ(json.at("confused_pairs")[0].at("gold_code"), "math.ST");
  EXPECT_EQ(json.at("confused_pairs")[0].at("predicted_code"), "math.PR");
  EXPECT_EQ(json.at("calibration").at("target"), "any_gold");
  EXPECT_EQ(json.at("calibration").at("bins").size(), 10U);
  EXPECT_EQ(json.at("outside_label_space").at("primary_papers"), 1);
  EXPECT_FALSE(to_json(r).at("per_category")[0].contains("label_code"));
}

TEST(EvalCalibrationTest, BinsAreEqualWidthWithOneInTheLastBin) {
  // Confidences 0 (bin 0, wrong), 0.25 (bin 2, right), 1 (bin 9, right), 0.95 (bin 9, wrong).
  // Bin 9: mean confidence 0.975, accuracy 0.5. ECE = (|0-0| + |1-0.25| + 2 * |0.5-0.975|) / 4.
  const std::vector<float> confidence = {0.0F, 0.25F, 1.0F, 0.95F};
  const std::vector<std::uint8_t> correct = {0, 1, 1, 0};
  const Calibration c = compute_calibration(confidence, correct, 10);
  EXPECT_EQ(c.bins[0].count, 1U);
  EXPECT_EQ(c.bins[2].count, 1U);
  EXPECT_EQ(c.bins[9].count, 2U);
  EXPECT_NEAR(c.bins[9].mean_confidence, 0.975, kTolerance);
  EXPECT_NEAR(c.bins[9].accuracy, 0.5, kTolerance);
  EXPECT_NEAR(c.expected_calibration_error, (0.75 + 2 * 0.475) / 4, kTolerance);
  EXPECT_THROW(compute_calibration(confidence, correct, 0), Error);
  EXPECT_THROW(compute_calibration(confidence, std::span(correct).first(3), 10), Error);
}

TEST(EvalConfusionTest, SubmatrixKeepsTheMostConfusedCategories) {
  // Gold primary -> top-1 counts: 0->0 5, 0->1 3, 1->0 2, 1->1 4, 2->2 6, 2->3 1, 3->3 2.
  // Off-diagonal involvement: label 0: 3 + 2 = 5, label 1: 5, label 2: 1, label 3: 1.
  const std::vector<ConfusionCell> cells = {{0, 0, 5, 0}, {0, 1, 3, 1}, {1, 0, 2, 0}, {1, 1, 4, 0},
                                            {2, 2, 6, 0}, {2, 3, 1, 0}, {3, 3, 2, 0}};
  const ConfusionSubmatrix top_two = confusion_submatrix(cells, 2);
  ASSERT_EQ(top_two.labels, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(top_two.counts, (std::vector<std::uint64_t>{5, 3, 2, 4}));
  EXPECT_EQ(top_two.gold_primary_totals, (std::vector<std::uint64_t>{8, 6}));
  const std::vector<double> shares = top_two.row_shares();
  EXPECT_NEAR(shares[1], 3.0 / 8.0, kTolerance);
  EXPECT_NEAR(shares[2], 2.0 / 6.0, kTolerance);
  // With three, the tie between 2 and 3 goes to the lower id; row 2's total counts its top-1 3 too.
  const ConfusionSubmatrix top_three = confusion_submatrix(cells, 3);
  ASSERT_EQ(top_three.labels, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(top_three.gold_primary_totals[2], 7U);
  EXPECT_EQ(top_three.counts[2 * 3 + 2], 6U);

  const std::vector<ConfusionCell> pairs = most_confused_pairs(cells, 2);
  ASSERT_EQ(pairs.size(), 2U);
  EXPECT_EQ(pairs[0].gold, 0U);
  EXPECT_EQ(pairs[0].predicted, 1U);
  EXPECT_EQ(pairs[1].gold, 1U);
  EXPECT_EQ(pairs[1].predicted, 0U);
}

}  // namespace
}  // namespace arxivc::eval
