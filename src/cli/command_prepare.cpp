#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <optional>

#include "arxivc/app/run_directory.hpp"
#include "arxivc/prepare/prepare.hpp"
#include "command.hpp"

namespace arxivc::cli {
namespace {

struct PrepareCommand {
  ConfigOptions config;
  std::string input;
  std::string output;
  bool strict = false;
  bool force = false;
  std::optional<long long> threads;

  void run() const {
    std::vector<std::string> shortcuts;
    if (!input.empty()) shortcuts.push_back(string_override("prepare.input", input));
    if (!output.empty()) shortcuts.push_back(string_override("prepare.output", output));
    if (strict) shortcuts.push_back("prepare.strict=true");
    if (threads) shortcuts.push_back("prepare.threads=" + std::to_string(*threads));
    if (force) shortcuts.push_back("prepare.force=true");
    const auto composed = config.compose(shortcuts);
    const auto run_dir = app::create_run_directory(composed, "prepare");
    spdlog::info("run directory: {}", run_dir.string());
    const auto options = prepare::options_from_config(composed);
    const auto result = prepare::run_prepare(options);
    std::cout << prepare::format_summary(result.manifest);
    spdlog::info("dataset written to {}", result.dataset_dir.string());
  }
};

}  // namespace

Command register_prepare_command(CLI::App& app) {
  auto state = std::make_shared<PrepareCommand>();
  auto* command = app.add_subcommand(
      "prepare", "Raw arXiv metadata (.json/.jsonl/.gz/.zst/.zip) -> a versioned dataset directory");
  command->add_option("--input,-i", state->input, "Metadata file (short for prepare.input=...)");
  command->add_option("--output,-o", state->output,
                      "Dataset directory to write (short for prepare.output=...)");
  command->add_flag("--strict", state->strict, "Stop at the first bad line (short for prepare.strict=true)");
  command->add_flag("--force", state->force,
                    "Replace --output even when it is not a dataset directory (prepare.force=true)");
  command->add_option("--threads,-j", state->threads, "Parser threads, 0 = all cores (prepare.threads)");
  state->config.add_to(*command);
  return {command, [state] { state->run(); }};
}

}  // namespace arxivc::cli
