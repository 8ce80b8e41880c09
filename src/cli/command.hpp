#pragma once

// Shared plumbing of the CLI's commands: configuration options and their translation into overrides.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "arxivc/config/config.hpp"

namespace arxivc::cli {

// Options every configuration-driven command takes: Hydra's --config-dir/--config-name and
// key=value overrides.
struct ConfigOptions {
  std::string config_dir;
  std::string config_name = "config";
  std::vector<std::string> overrides;

  void add_to(CLI::App& command);
  // Composes the configuration; `shortcuts` are overrides from named options (--input ...), applied
  // before the positional ones so that an explicit key=value wins.
  config::Config compose(const std::vector<std::string>& shortcuts = {}) const;
};

// An override that sets `key` to the string `value`, quoted for the override grammar when needed.
std::string string_override(const std::string& key, const std::string& value);

// A check of a whole-number option that says the range in words: "0 is out of range: it must be at least 1".
CLI::Validator at_least(long long minimum);

// A subcommand and what it does once the whole command line is parsed and logging is set up.
struct Command {
  CLI::App* app = nullptr;
  std::function<void()> run;
};

Command register_config_command(CLI::App& app);
Command register_prepare_command(CLI::App& app);
Command register_train_command(CLI::App& app);
Command register_evaluate_command(CLI::App& app);
Command register_predict_command(CLI::App& app);
Command register_export_command(CLI::App& app);
Command register_serve_command(CLI::App& app);

}  // namespace arxivc::cli
