#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "arxivc/app/evaluate_job.hpp"
#include "arxivc/app/run_directory.hpp"
#include "arxivc/core/error.hpp"
#include "command.hpp"

namespace arxivc::cli {
namespace {

struct EvaluateCommand {
  ConfigOptions config;
  app::EvaluateJobOptions options;
  std::string model_dir;
  std::string predictions;
  std::string input;
  std::string output;

  void run() {
    if (model_dir.empty() == predictions.empty()) {
      throw UsageError("evaluate needs --model DIR or --predictions FILE (exactly one)");
    }
    const auto composed = config.compose();
    const auto run_dir = app::create_run_directory(composed, "evaluate");
    spdlog::info("run directory: {}", run_dir.string());
    options.model_dir = model_dir;
    options.predictions = predictions;
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
  auto* model = command->add_option("--model,-m", state->model_dir, "Model directory (output of train)");
  auto* predictions = command->add_option("--predictions,-p", state->predictions,
                                          "Predictions of any tool, JSON Lines in predict's format, scored "
                                          "against --input's split instead of a model");
  model->excludes(predictions);
  predictions->excludes(model);
  command
      ->add_option("--name", state->options.name,
                   "Name of the predicting system in the report (default: the predictions file's stem)")
      ->needs(predictions);
  command->add_option("--input,-i", state->input, "Raw metadata file or prepared dataset directory")
      ->required();
  command->add_option("--split", state->options.split, "Split to evaluate when --input is a dataset")
      ->capture_default_str();
  command->add_option("--output,--output-dir,-o", state->output,
                      "Report directory (default: <reports.dir>/<model or system name>)");
  command->add_option("--threads,-j", state->options.threads, "Threads, 0 = all cores");
  state->config.add_to(*command);
  return {command, [state] { state->run(); }};
}

}  // namespace arxivc::cli
