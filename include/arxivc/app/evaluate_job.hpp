#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "arxivc/config/config.hpp"

namespace arxivc::app {

struct EvaluateJobOptions {
  std::filesystem::path model_dir;
  std::filesystem::path input;   // raw metadata, or a prepared dataset directory
  std::string split = "test";    // the split evaluated when `input` is a dataset directory
  std::filesystem::path output;  // report directory; empty = <reports.dir>/<model name>
  unsigned threads = 0;
};

struct EvaluateJobResult {
  std::filesystem::path metrics_json;
  std::filesystem::path report_markdown;
  nlohmann::json metrics;
};

// `arxivc evaluate`: gold categories normalised through the taxonomy, then every metric, a metrics JSON,
// a Markdown report and figures.
EvaluateJobResult run_evaluate(const EvaluateJobOptions& options, const config::Config& config);

}  // namespace arxivc::app
