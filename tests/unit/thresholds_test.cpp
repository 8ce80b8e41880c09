#include "arxivc/eval/thresholds.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "arxivc/core/error.hpp"
#include "arxivc/eval/metrics.hpp"

namespace arxivc::eval {
namespace {

struct Data {
  std::size_t label_count = 0;
  std::vector<float> probabilities;
  std::vector<GoldLabels> gold;
};

// Random probabilities, rounded to two decimals in half of the rows so that ties occur; 1 to 3 gold
// labels per paper, a gold label outside the label space now and then.
Data random_data(std::uint32_t seed, std::size_t papers, std::size_t label_count) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> uniform(0.0F, 1.0F);
  Data data;
  data.label_count = label_count;
  for (std::size_t paper = 0; paper < papers; ++paper) {
    const bool rounded = paper % 2 == 0;
    for (std::size_t label = 0; label < label_count; ++label) {
      const float p = uniform(random);
      data.probabilities.push_back(rounded ? std::round(p * 100.0F) / 100.0F : p);
    }
    std::vector<std::uint32_t> labels(label_count);
    for (std::uint32_t label = 0; label < label_count; ++label) labels[label] = label;
    std::shuffle(labels.begin(), labels.end(), random);
    // Gold labels lean towards probable ones so that an informative threshold exists.
    std::sort(labels.begin(), labels.begin() + 4, [&](std::uint32_t a, std::uint32_t b) {
      return data.probabilities[paper * label_count + a] > data.probabilities[paper * label_count + b];
    });
    const std::size_t count = 1 + random() % 3;
    GoldLabels gold(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(count));
    if (random() % 7 == 0) gold.push_back(kOutsideLabel);
    data.gold.push_back(gold);
  }
  return data;
}

EvaluationResult evaluate_with(const Data& data, const Thresholds& thresholds) {
  const std::vector<GoldLabels> decisions = decide_all(data.probabilities, data.label_count, thresholds);
  const std::vector<std::string> archives(data.label_count, "a");
  return evaluate({data.label_count, data.gold, data.probabilities, decisions, archives, {}});
}

double micro_f1_at(const Data& data, float threshold) {
  return evaluate_with(data, Thresholds{threshold, {}}).micro.f1;
}

TEST(EvalThresholdsTest, GlobalThresholdOfAWorkedExample) {
  // Paper 0: [0.9, 0.6, 0.2] gold {0, 1}; paper 1: [0.8, 0.3, 0.7] gold {0}. Forced top-1s: 2 TP of 2.
  // Lowering the threshold adds 0.7 (wrong), 0.6 (right), 0.3 (wrong), 0.2 (wrong); with 3 gold labels
  // F1 = 2TP / (predicted + 3): only top-1s 4/5; +0.7 4/6; +0.6 6/7; +0.3 6/8; +0.2 6/9.
  // Best 6/7, for thresholds in (0.3, 0.6]: midpoint 0.45.
  const Data data{3, {0.9F, 0.6F, 0.2F, 0.8F, 0.3F, 0.7F}, {{0, 1}, {0}}};
  const GlobalThreshold best = tune_global_threshold(data.probabilities, 3, data.gold);
  EXPECT_NEAR(best.micro_f1, 6.0 / 7.0, 1e-12);
  EXPECT_NEAR(best.threshold, 0.45, 1e-6);
  EXPECT_NEAR(micro_f1_at(data, best.threshold), 6.0 / 7.0, 1e-12);
}

TEST(EvalThresholdsTest, OnlyTopOneWinsAboveEveryProbability) {
  // Every other label is wrong: the best decision keeps only the top-1s, threshold between 0.4 and 1.
  const Data data{2, {0.9F, 0.4F, 0.2F, 0.8F}, {{0}, {1}}};
  const GlobalThreshold best = tune_global_threshold(data.probabilities, 2, data.gold);
  EXPECT_NEAR(best.micro_f1, 1.0, 1e-12);
  EXPECT_GT(best.threshold, 0.4F);
  EXPECT_LE(best.threshold, 1.0F);
  // A probability of exactly 1 that must stay out pushes the threshold above 1.
  const Data certain{2, {1.0F, 1.0F, 0.2F, 0.8F}, {{0}, {1}}};
  const GlobalThreshold above = tune_global_threshold(certain.probabilities, 2, certain.gold);
  EXPECT_GT(above.threshold, 1.0F);
  EXPECT_NEAR(above.micro_f1, 1.0, 1e-12);
}

TEST(EvalThresholdsTest, GlobalThresholdMatchesBruteForceOnRandomData) {
  for (const std::uint32_t seed : {1U, 2U, 3U, 4U, 5U}) {
    const Data data = random_data(seed, 60, 8);
    const GlobalThreshold best = tune_global_threshold(data.probabilities, data.label_count, data.gold);
    // The reported F1 is the F1 of the decision at the returned threshold, by the independent metrics code.
    EXPECT_NEAR(micro_f1_at(data, best.threshold), best.micro_f1, 1e-12) << "seed " << seed;
    // No threshold on a fine grid does better.
    double grid_best = 0.0;
    for (int step = 0; step <= 1000; ++step) {
      grid_best = std::max(grid_best, micro_f1_at(data, static_cast<float>(step) / 1000.0F));
    }
    EXPECT_LE(grid_best, best.micro_f1 + 1e-12) << "seed " << seed;
    // Exhaustive search over every distinct probability (each a possible cut) reaches the same optimum.
    std::set<float> cuts(data.probabilities.begin(), data.probabilities.end());
    cuts.insert(std::nextafter(1.0F, 2.0F));
    double exhaustive_best = 0.0;
    for (const float cut : cuts) exhaustive_best = std::max(exhaustive_best, micro_f1_at(data, cut));
    EXPECT_NEAR(exhaustive_best, best.micro_f1, 1e-12) << "seed " << seed;
  }
}

TEST(EvalThresholdsTest, PerLabelThresholdsMaximiseEachLabelsF1) {
  const Data data = random_data(11, 80, 6);
  ThresholdTuningOptions options;
  options.min_positives = 1;
  const ThresholdTuning tuning = tune_thresholds(data.probabilities, data.label_count, data.gold, options);
  ASSERT_EQ(tuning.thresholds.per_label.size(), data.label_count);
  ASSERT_EQ(tuning.labels.size(), data.label_count);
  EXPECT_EQ(tuning.thresholds.global, tuning.global.threshold);
  const EvaluationResult tuned = evaluate_with(data, tuning.thresholds);
  for (std::uint32_t label = 0; label < data.label_count; ++label) {
    const LabelThreshold& result = tuning.labels[label];
    EXPECT_FALSE(result.fallback);
    EXPECT_EQ(result.positives, tuned.per_category[label].support);
    // Reported F1 = the label's F1 under decide() with the tuned thresholds.
    EXPECT_NEAR(tuned.per_category[label].scores.f1, result.f1, 1e-12) << "label " << label;
    // Brute force over this label's possible cuts, the other labels' thresholds unchanged (a label's
    // decision does not depend on other thresholds).
    std::set<float> cuts;
    for (std::size_t paper = 0; paper < data.gold.size(); ++paper) {
      cuts.insert(data.probabilities[paper * data.label_count + label]);
    }
    cuts.insert(std::nextafter(1.0F, 2.0F));
    double brute_best = 0.0;
    for (const float cut : cuts) {
      Thresholds thresholds = tuning.thresholds;
      thresholds.per_label[label] = cut;
      brute_best = std::max(brute_best, evaluate_with(data, thresholds).per_category[label].scores.f1);
    }
    EXPECT_NEAR(brute_best, result.f1, 1e-12) << "label " << label;
  }
  // Per-label thresholds do at least as well per label as the global one.
  const EvaluationResult global = evaluate_with(data, Thresholds{tuning.global.threshold, {}});
  for (std::uint32_t label = 0; label < data.label_count; ++label) {
    EXPECT_GE(tuned.per_category[label].scores.f1 + 1e-12, global.per_category[label].scores.f1);
  }
}

TEST(EvalThresholdsTest, LabelsWithFewPositivesFallBackToTheGlobalThreshold) {
  // Paper 0: [0.9, 0.6, 0.2] gold {0, 1}; paper 1: [0.8, 0.3, 0.7] gold {0}. Label 1 has 1 positive,
  // label 2 none, label 0 two.
  const Data data{3, {0.9F, 0.6F, 0.2F, 0.8F, 0.3F, 0.7F}, {{0, 1}, {0}}};
  ThresholdTuningOptions options;
  options.min_positives = 2;
  const ThresholdTuning tuning = tune_thresholds(data.probabilities, 3, data.gold, options);
  const float global = tuning.global.threshold;
  EXPECT_FALSE(tuning.labels[0].fallback);
  EXPECT_TRUE(tuning.labels[1].fallback);
  EXPECT_TRUE(tuning.labels[2].fallback);
  EXPECT_EQ(tuning.thresholds.per_label[1], global);
  EXPECT_EQ(tuning.thresholds.per_label[2], global);
  EXPECT_EQ(tuning.labels[1].positives, 1U);
  // Label 1 at the global 0.45: paper 0's 0.6 in (right), paper 1's 0.3 out: F1 1.
  EXPECT_NEAR(tuning.labels[1].f1, 1.0, 1e-12);
  // Label 2 at 0.45: paper 1's 0.7 in, wrong, no positive: F1 0.
  EXPECT_EQ(tuning.labels[2].f1, 0.0);

  // With min_positives 1, label 1 gets its own threshold: between 0.3 and 0.6.
  options.min_positives = 1;
  const ThresholdTuning own = tune_thresholds(data.probabilities, 3, data.gold, options);
  EXPECT_FALSE(own.labels[1].fallback);
  EXPECT_NEAR(own.thresholds.per_label[1], 0.45, 1e-6);
  // Label 2 has a positive count of 0 < 1 and falls back still.
  EXPECT_TRUE(own.labels[2].fallback);

  options.per_label = false;
  const ThresholdTuning global_only = tune_thresholds(data.probabilities, 3, data.gold, options);
  EXPECT_TRUE(global_only.thresholds.per_label.empty());
  EXPECT_TRUE(global_only.labels.empty());
}

TEST(EvalThresholdsTest, DecideKeepsTheTopLabelFirstThenOthersByProbability) {
  const Thresholds half{0.5F, {}};
  // Nothing above the threshold: the top label all the same.
  EXPECT_EQ(decide(std::vector<float>{0.1F, 0.2F, 0.05F}, half), (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(decide(std::vector<float>{0.6F, 0.9F, 0.7F, 0.1F}, half), (std::vector<std::uint32_t>{1, 2, 0}));
  // Ties: lower id first; a probability equal to the threshold is kept.
  EXPECT_EQ(decide(std::vector<float>{0.5F, 0.5F, 0.5F}, half), (std::vector<std::uint32_t>{0, 1, 2}));
  const Thresholds per_label{0.5F, {0.65F, 0.95F, 0.75F, 0.05F}};
  EXPECT_EQ(decide(std::vector<float>{0.6F, 0.9F, 0.7F, 0.1F}, per_label),
            (std::vector<std::uint32_t>{1, 3}));
  EXPECT_TRUE(decide(std::vector<float>{}, half).empty());

  // Property check on random rows and thresholds.
  std::mt19937 random(7);
  std::uniform_real_distribution<float> uniform(0.0F, 1.0F);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<float> row(9);
    for (float& p : row) p = std::round(uniform(random) * 20.0F) / 20.0F;
    const Thresholds thresholds{uniform(random), {}};
    const std::vector<std::uint32_t> labels = decide(row, thresholds);
    ASSERT_FALSE(labels.empty());
    const float highest = *std::max_element(row.begin(), row.end());
    EXPECT_EQ(row[labels[0]], highest);
    for (std::uint32_t l = 0; l < labels[0]; ++l)
      EXPECT_LT(row[l], highest) << "top-1 is the lowest id among ties";
    for (std::size_t i = 1; i < labels.size(); ++i) {
      EXPECT_GE(row[labels[i]], thresholds.global);
      EXPECT_GE(row[labels[i - 1]], row[labels[i]]);
    }
    for (std::uint32_t label = 0; label < row.size(); ++label) {
      const bool kept = std::find(labels.begin(), labels.end(), label) != labels.end();
      EXPECT_EQ(kept, label == labels[0] || row[label] >= thresholds.global);
    }
  }
}

TEST(EvalThresholdsTest, DecideAllMatchesDecidePerRow) {
  const Data data = random_data(3, 10, 5);
  const Thresholds thresholds{0.4F, {0.3F, 0.5F, 0.7F, 0.2F, 0.9F}};
  const std::vector<GoldLabels> all = decide_all(data.probabilities, 5, thresholds);
  ASSERT_EQ(all.size(), 10U);
  for (std::size_t paper = 0; paper < 10; ++paper) {
    EXPECT_EQ(all[paper], decide(std::span(data.probabilities).subspan(paper * 5, 5), thresholds));
  }
}

TEST(EvalThresholdsTest, BadInputIsAnError) {
  EXPECT_THROW(decide(std::vector<float>{0.2F, 0.8F}, Thresholds{0.5F, {0.1F}}), Error);
  EXPECT_THROW(decide(std::vector<float>{0.2F, NAN}, Thresholds{}), Error);
  EXPECT_THROW(decide_all(std::vector<float>{0.2F, 0.8F, 0.1F}, 2, Thresholds{}), Error);
  const std::vector<GoldLabels> gold = {{0}, {5}};
  EXPECT_THROW(tune_global_threshold(std::vector<float>{0.2F, 0.8F, 0.1F, 0.9F}, 2, gold), Error);
  const std::vector<GoldLabels> ok = {{0}};
  EXPECT_THROW(tune_thresholds(std::vector<float>{0.2F, 0.8F, 0.1F}, 2, ok), Error);
}

TEST(EvalThresholdsTest, JsonRoundTrip) {
  const Thresholds thresholds{0.375F, {0.25F, 0.5F, 0.75F}};
  const Thresholds back = thresholds_from_json(nlohmann::json::parse(to_json(thresholds).dump()), 3);
  EXPECT_EQ(back.global, thresholds.global);
  EXPECT_EQ(back.per_label, thresholds.per_label);
  EXPECT_EQ(thresholds_from_json(nlohmann::json{{"global", 0.5}}).per_label.size(), 0U);

  const auto message_of = [](const nlohmann::json& json, std::size_t label_count) {
    try {
      thresholds_from_json(json, label_count);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of(nlohmann::json::array(), 0).find("object"), std::string::npos);
  EXPECT_NE(message_of({{"per_label", {0.5}}}, 0).find("missing field 'global'"), std::string::npos);
  EXPECT_NE(message_of({{"global", "high"}}, 0).find("'global'"), std::string::npos);
  EXPECT_NE(message_of({{"global", 0.5}, {"per_label", {0.5, "x"}}}, 0).find("per_label[1]"),
            std::string::npos);
  EXPECT_NE(
      message_of({{"global", 0.5}, {"per_label", {0.5}}}, 3).find("1 per-label thresholds for 3 labels"),
      std::string::npos);
  EXPECT_THROW(to_json(Thresholds{NAN, {}}), Error);
}

}  // namespace
}  // namespace arxivc::eval
