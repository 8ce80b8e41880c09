#pragma once

// The project's figures, drawn by gnuplot (see gnuplot.hpp) as .png or .svg by the output's extension.
// Each takes plain data so that it depends on no model code; each throws arxivc::Error when the data do
// not fit together (naming what), when gnuplot is missing or fails, and UsageError for another extension.

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "arxivc/eval/calibration.hpp"
#include "arxivc/eval/gnuplot.hpp"

namespace arxivc::eval {

// (a) Horizontal bars of how many papers each category has, the `top_n` largest, largest on top.
// names[i] labels counts[i] ("cs.LG Machine Learning").
void plot_category_distribution(const std::filesystem::path& output, std::span<const std::string> names,
                                std::span<const double> counts, const std::string& title,
                                std::size_t top_n = 30, const PlotOptions& options = {});

struct TrainingCurves {
  std::vector<double> train_loss;         // one per epoch (epochs 1..n); NaN: not measured
  std::vector<double> validation_loss;    // empty, or one per epoch
  std::vector<double> validation_metric;  // empty, or one per epoch; drawn on the right axis
  std::string metric_name = "validation micro-F1";
};

// (b) Training (and validation) loss per epoch, with the validation metric on a second axis.
void plot_training_curves(const std::filesystem::path& output, const TrainingCurves& curves,
                          const std::string& title, const PlotOptions& options = {});

// (c) Horizontal bars of each category's F1 in [0, 1], in the given order (first on top).
void plot_category_f1(const std::filesystem::path& output, std::span<const std::string> names,
                      std::span<const double> f1, const std::string& title, const PlotOptions& options = {});

// (d) Heatmap over k categories: values[r * k + c] for gold primary codes[r] (rows) and predicted top-1
// codes[c] (columns), each cell annotated with its value; value_label names the colour scale
// ("share of the gold primary's papers").
void plot_confusion_heatmap(const std::filesystem::path& output, std::span<const std::string> codes,
                            std::span<const double> values, const std::string& value_label,
                            const std::string& title, const PlotOptions& options = {});

// (e) Reliability diagram: each non-empty bin's accuracy as a bar over its confidence range, the observed
// (mean confidence, accuracy) points, and the diagonal of perfect calibration.
void plot_reliability_diagram(const std::filesystem::path& output, std::span<const ReliabilityBin> bins,
                              const std::string& title, const PlotOptions& options = {});

}  // namespace arxivc::eval
