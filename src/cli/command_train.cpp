#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <optional>

#include "arxivc/app/run_directory.hpp"
#include "arxivc/app/train_job.hpp"
#include "command.hpp"

namespace arxivc::cli {
namespace {

struct TrainCommand {
  ConfigOptions config;
  std::string input;
  std::string output;
  std::string experiment;
  std::optional<long long> max_samples;
  std::optional<long long> epochs;
  bool resume = false;
  bool force = false;

  void run() const {
    std::vector<std::string> shortcuts;
    if (!experiment.empty()) shortcuts.push_back(string_override("experiment", experiment));
    if (!input.empty()) shortcuts.push_back(string_override("training.input", input));
    if (!output.empty()) shortcuts.push_back(string_override("training.output", output));
    // Given values always reach the configuration, where they are range-checked like overrides.
    if (max_samples) shortcuts.push_back("training.max_samples=" + std::to_string(*max_samples));
    if (epochs) shortcuts.push_back("training.epochs=" + std::to_string(*epochs));
    if (resume) shortcuts.push_back("training.resume=true");
    if (force) shortcuts.push_back("training.force=true");
    const auto composed = config.compose(shortcuts);
    const auto run_dir = app::create_run_directory(composed, "train");
    spdlog::info("run directory: {}", run_dir.string());
    const auto result = app::run_train(composed, run_dir);
    std::cout << "model: " << result.model_dir.string() << "\nmodel card: " << result.model_card.string()
              << "\n";
  }
};

}  // namespace

Command register_train_command(CLI::App& app) {
  auto state = std::make_shared<TrainCommand>();
  auto* command = app.add_subcommand("train", "Train a model on raw metadata or a prepared dataset");
  command->add_option("--input,-i", state->input,
                      "Raw metadata file or prepared dataset directory (training.input)");
  command->add_option("--output,-o", state->output, "Model directory to write (training.output)");
  command->add_option("--experiment,-e", state->experiment, "Experiment config (experiment=...)");
  command->add_option("--max-samples", state->max_samples,
                      "Train on at most N papers (training.max_samples)");
  command->add_option("--epochs", state->epochs, "Epochs (training.epochs)");
  command->add_flag("--resume", state->resume,
                    "Continue from the output's last checkpoint (training.resume)");
  command->add_flag("--force", state->force,
                    "Replace --output even when it is not a model directory (training.force)");
  state->config.add_to(*command);
  return {command, [state] { state->run(); }};
}

}  // namespace arxivc::cli
