#pragma once

// A Markdown evaluation report for people: summary, per-category results, confusions, calibration, and
// the papers whose categories the model cannot predict.

#include <cstddef>
#include <string>
#include <vector>

#include "arxivc/eval/metrics.hpp"

namespace arxivc::eval {

struct ReportFigure {
  std::string caption;
  std::string path;  // as the report should link it, usually relative to the report's directory
};

struct ReportContext {
  std::string title = "Evaluation report";
  // Free-form lines shown as a list: split, model, dataset hash, the data's known biases.
  std::vector<std::string> context_lines;
  std::vector<std::string> label_codes;  // label_count entries, by label id
  std::vector<std::string> label_names;  // empty, or label_count entries ("Machine Learning")
  std::vector<ReportFigure> figures;
  std::size_t per_category_rows = 0;  // 0: every label; otherwise the labels with the most support
};

// Throws arxivc::Error when label_codes (or non-empty label_names) do not have label_count entries.
std::string render_markdown_report(const EvaluationResult& result, const ReportContext& context);

}  // namespace arxivc::eval
