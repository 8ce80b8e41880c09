#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "arxivc/config/config.hpp"

namespace arxivc::app {

struct EvaluateJobOptions {
  // What is evaluated: a model directory, or (exactly one of them) a predictions file in `arxivc
  // predict`'s JSON Lines format made by any tool (see prediction_file.hpp), evaluated against a prepared
  // dataset's split.
  std::filesystem::path model_dir;
  std::filesystem::path predictions;
  std::string name;              // the predicting system's name in reports; empty = the file's stem
  std::filesystem::path input;   // raw metadata, or a prepared dataset directory
  std::string split = "test";    // the split evaluated when `input` is a dataset directory
  std::filesystem::path output;  // report directory; empty = <reports.dir>/<model or system name>
  unsigned threads = 0;
};

struct EvaluateJobResult {
  std::filesystem::path metrics_json;
  std::filesystem::path report_markdown;
  nlohmann::json metrics;
};

// `arxivc evaluate`: gold categories normalised through the taxonomy, then every metric, a metrics JSON,
// a Markdown report and figures. A model and a predictions file go through the same metrics and report;
// the label space is the model's, or the dataset's for a predictions file (codes outside it are misses).
EvaluateJobResult run_evaluate(const EvaluateJobOptions& options, const config::Config& config);

}  // namespace arxivc::app
