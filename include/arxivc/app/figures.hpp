#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "arxivc/eval/metrics.hpp"
#include "arxivc/eval/report.hpp"
#include "arxivc/inference/classifier.hpp"

namespace arxivc::app {

// Draws the figures of an evaluation into `dir` (per-category F1, confusion heatmap of the most confused
// categories, reliability diagram), named with `prefix`; returns them for a report, paths relative to dir.
std::vector<eval::ReportFigure> write_evaluation_figures(const std::filesystem::path& dir,
                                                         const std::string& prefix,
                                                         const eval::EvaluationResult& result,
                                                         const std::vector<inference::LabelInfo>& labels);

// "cs.LG Machine Learning", as figures and tables show a label.
std::string label_display_name(const inference::LabelInfo& label);

}  // namespace arxivc::app
