#include "arxivc/app/figures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "arxivc/eval/plots.hpp"

namespace arxivc::app {

std::string label_display_name(const inference::LabelInfo& label) {
  return label.name.empty() || label.name == label.code ? label.code
                                                        : fmt::format("{} {}", label.code, label.name);
}

std::vector<eval::ReportFigure> write_evaluation_figures(const std::filesystem::path& dir,
                                                         const std::string& prefix,
                                                         const eval::EvaluationResult& result,
                                                         const std::vector<inference::LabelInfo>& labels) {
  std::vector<eval::ReportFigure> figures;
  std::filesystem::create_directories(dir);

  // Per-category F1 of the 30 categories with the most support.
  std::vector<std::uint32_t> order(result.per_category.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return result.per_category[a].support > result.per_category[b].support;
  });
  order.resize(std::min<std::size_t>(order.size(), 30));
  std::vector<std::string> names;
  std::vector<double> f1;
  for (auto label : order) {
    if (result.per_category[label].support == 0) break;
    names.push_back(label_display_name(labels[label]));
    f1.push_back(result.per_category[label].scores.f1);
  }
  if (!names.empty()) {
    const auto file = prefix + "per_category_f1.png";
    eval::plot_category_f1(dir / file, names, f1, "F1 per category (the 30 with the most papers)");
    figures.push_back({"F1 per category", file});
  }

  const auto sub = eval::confusion_submatrix(result.primary_confusion, 12);
  if (sub.labels.size() >= 2) {
    std::vector<std::string> codes;
    for (auto label : sub.labels) codes.push_back(labels[label].code);
    const auto file = prefix + "confusion.png";
    eval::plot_confusion_heatmap(dir / file, codes, sub.row_shares(), "share of the gold primary's papers",
                                 "Gold primary category (rows) vs. predicted top-1 (columns)");
    figures.push_back({"Confusion among the most confused categories", file});
  }

  if (result.papers > 0) {
    const auto file = prefix + "reliability.png";
    eval::plot_reliability_diagram(dir / file, result.calibration.bins,
                                   fmt::format("Reliability of the top-1 probability (ECE {:.3f})",
                                               result.calibration.expected_calibration_error));
    figures.push_back({"Reliability diagram", file});
  }
  return figures;
}

}  // namespace arxivc::app
