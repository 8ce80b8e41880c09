#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "arxivc/app/evaluate_job.hpp"
#include "arxivc/app/run_directory.hpp"
#include "command.hpp"

namespace arxivc::cli {
namespace {

struct EvaluateCommand {
  ConfigOptions config;
  app::EvaluateJobOptions options;
  std::string model_dir;
  std::string input;
  std::string output;

  void run() {
    const auto composed = config.compose();
    const auto run_dir = app::create_run_directory(composed, "evaluate");
    spdlog::info("run directory: {}", run_dir.string());
    options.model_dir = model_dir;
    options.input = input;
    options.output = output;
    const auto result = app::run_evaluate(options, composed);
    const auto& m = result.metrics;
    std::cout << fmt::format(
        "papers {} | primary accuracy {:.4f} | micro-F1 {:.4f} | samples-F1 {:.4f} | macro-F1 {:.4f}\n"
        "metrics: {}\nreport: {}\n",
        m.value("papers", 0), m.value("primary_accuracy", 0.0), m["micro"].value("f1", 0.0),
        m["samples"].value("f1", 0.0), m["macro"].value("f1", 0.0), result.metrics_json.string(),
        result.report_markdown.string());
  }
};

}  // namespace

Command register_evaluate_command(CLI::App& app) {
  auto state = std::make_shared<EvaluateCommand>();
  auto* command = app.add_subcommand("evaluate", "Evaluate a model: metrics JSON, Markdown report, figures");
  command->add_option("--model,-m", state->model_dir, "Model directory (output of train)")->required();
  command->add_option("--input,-i", state->input, "Raw metadata file or prepared dataset directory")->required();
  command->add_option("--split", state->options.split, "Split to evaluate when --input is a dataset")
      ->capture_default_str();
  command->add_option("--output,-o", state->output, "Report directory (default: <reports.dir>/<model name>)");
  command->add_option("--threads,-j", state->options.threads, "Threads, 0 = all cores");
  state->config.add_to(*command);
  return {command, [state] { state->run(); }};
}

}  // namespace arxivc::cli
