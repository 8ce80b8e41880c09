#include "arxivc/eval/report.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arxivc/core/error.hpp"

namespace arxivc::eval {
namespace {

// Four labels. Rankings: paper 0 [0 1 2 3] gold {0}; paper 1 [1 0 ...] gold {0, 1}; paper 2 [1 ...] gold
// {2}; paper 3 [3 ...] gold {outside, 3}. Decisions are the top-1s.
// Primary accuracy: papers 0 only -> 0.2500 (paper 3's primary is outside). Micro: TP 3 (papers 0, 1, 3),
// predicted 4, gold 6 -> P 0.7500, R 0.5000, F1 6/10 = 0.6000.
// Confusions: 0 -> 1 (paper 1, cross-listed), 2 -> 1 (paper 2).
EvaluationResult example_result() {
  static const std::vector<GoldLabels> gold = {{0}, {0, 1}, {2}, {kOutsideLabel, 3}};
  static const std::vector<float> probabilities = {
      0.70F, 0.20F, 0.06F, 0.04F,  //
      0.30F, 0.65F, 0.03F, 0.02F,  //
      0.10F, 0.80F, 0.05F, 0.05F,  //
      0.05F, 0.05F, 0.05F, 0.85F,  //
  };
  static const std::vector<GoldLabels> predicted = {{0}, {1}, {1}, {3}};
  static const std::vector<std::string> archives = {"cs", "cs", "math", "physics"};
  return evaluate({4, gold, probabilities, predicted, archives, {}});
}

ReportContext example_context() {
  ReportContext context;
  context.title = "Evaluation of linear on test";
  context.context_lines = {"Split: test (4 papers)", "Dataset hash: 0123abcd",
                           "Known bias: the 5k sample over-represents recent cs papers"};
  context.label_codes = {"cs.LG", "cs.AI", "math.ST", "physics.optics"};
  context.label_names = {"Machine Learning", "Artificial Intelligence", "Statistics | Theory", "Optics"};
  return context;
}

TEST(EvalReportTest, HasEverySectionWithTheNumbers) {
  const std::string report = render_markdown_report(example_result(), example_context());
  EXPECT_EQ(report.rfind("# Evaluation of linear on test\n", 0), 0U);
  for (const char* section : {"## Context", "## Summary", "## Per-category results", "## Most confused pairs",
                              "## Calibration", "## Papers outside the label space"}) {
    EXPECT_NE(report.find(section), std::string::npos) << section;
  }
  EXPECT_EQ(report.find("## Figures"), std::string::npos);
  EXPECT_NE(report.find("- Dataset hash: 0123abcd"), std::string::npos);
  EXPECT_NE(report.find("- Known bias: the 5k sample over-represents recent cs papers"), std::string::npos);
  EXPECT_NE(report.find("| Papers | 4 |"), std::string::npos);
  EXPECT_NE(report.find("| Primary accuracy (top-1 = gold primary) | 0.2500 |"), std::string::npos);
  EXPECT_NE(report.find("| Micro | 0.7500 | 0.5000 | 0.6000 |"), std::string::npos);
  // Per-category rows, with names; the '|' inside a name is escaped so the table keeps its columns.
  EXPECT_NE(report.find("| cs.LG | Machine Learning | 2 | 1 | 1.0000 | 0.5000 | 0.6667 |"),
            std::string::npos);
  EXPECT_NE(report.find("| math.ST | Statistics \\| Theory | 1 | 0 | 0.0000 | 0.0000 | 0.0000 |"),
            std::string::npos);
  // Confused pairs: cs.LG -> cs.AI is 1 of cs.LG's 2 primary papers, cross-listed.
  EXPECT_NE(report.find("| cs.LG (Machine Learning) | cs.AI (Artificial Intelligence) | 1 | 50.0% | 1 |"),
            std::string::npos);
  EXPECT_NE(
      report.find("| math.ST (Statistics \\| Theory) | cs.AI (Artificial Intelligence) | 1 | 100.0% | 0 |"),
      std::string::npos);
  // Calibration: top-1 confidences 0.70 (right), 0.65 (right), 0.80 (wrong), 0.85 (right). As floats 0.70
  // is just below 0.7, so bin [0.6, 0.7) holds 0.65 and 0.70 (mean 0.675, accuracy 1) and bin [0.8, 0.9)
  // holds 0.80 and 0.85 (mean 0.825, accuracy 0.5). ECE = 2/4 * 0.325 + 2/4 * 0.325 = 0.3250.
  EXPECT_NE(report.find("Expected calibration error: 0.3250"), std::string::npos);
  EXPECT_NE(report.find("| [0.60, 0.70) | 2 | 0.6750 | 1.0000 | +0.3250 |"), std::string::npos);
  EXPECT_NE(report.find("| [0.80, 0.90) | 2 | 0.8250 | 0.5000 | -0.3250 |"), std::string::npos);
  EXPECT_NE(report.find("| [0.90, 1.00] | 0 | - | - | - |"), std::string::npos);
  EXPECT_NE(report.find("1 papers (25.0%) have at least one gold category outside the label space"),
            std::string::npos);
}

TEST(EvalReportTest, LimitsRowsAndLinksFigures) {
  ReportContext context = example_context();
  context.per_category_rows = 2;
  context.label_names.clear();
  context.figures = {{"Reliability diagram", "figures/reliability.png"}, {"F1 [per category]", "a b(1).svg"}};
  const std::string report = render_markdown_report(example_result(), context);
  EXPECT_NE(report.find("The 2 categories with the most support, of 4."), std::string::npos);
  // Most support first: cs.LG (2), then cs.AI (1, first among the ties by id).
  EXPECT_NE(report.find("| cs.LG |  | 2 |"), std::string::npos);
  EXPECT_NE(report.find("| cs.AI |  | 1 |"), std::string::npos);
  EXPECT_EQ(report.find("| math.ST |  |"), std::string::npos);
  EXPECT_NE(report.find("![Reliability diagram](<figures/reliability.png>)"), std::string::npos);
  EXPECT_NE(report.find("![F1 \\[per category\\]](<a b(1).svg>)"), std::string::npos);
  EXPECT_NE(report.find("| cs.LG | cs.AI | 1 | 50.0% | 1 |"), std::string::npos);
}

TEST(EvalReportTest, SaysSoWhenNothingIsConfusedOrOutside) {
  const std::vector<GoldLabels> gold = {{0}, {1}};
  const std::vector<float> probabilities = {0.9F, 0.1F, 0.2F, 0.8F};
  const std::vector<GoldLabels> predicted = {{0}, {1}};
  const std::vector<std::string> archives = {"a", "b"};
  const EvaluationResult result = evaluate({2, gold, probabilities, predicted, archives, {}});
  ReportContext context;
  context.label_codes = {"a.X", "b.Y"};
  const std::string report = render_markdown_report(result, context);
  EXPECT_EQ(report.find("## Context"), std::string::npos);
  EXPECT_NE(report.find("No paper's top-1 category differs from its gold primary category."),
            std::string::npos);
  EXPECT_NE(report.find("Every gold category of the evaluated papers is in the label space."),
            std::string::npos);
}

TEST(EvalReportTest, MismatchedLabelCodesAreAnError) {
  ReportContext context = example_context();
  context.label_codes.pop_back();
  EXPECT_THROW(render_markdown_report(example_result(), context), Error);
  context = example_context();
  context.label_names = {"only one"};
  EXPECT_THROW(render_markdown_report(example_result(), context), Error);
}

}  // namespace
}  // namespace arxivc::eval
