#include <iostream>
#include <memory>

#include "command.hpp"

namespace arxivc::cli {

Command register_config_command(CLI::App& app) {
  auto options = std::make_shared<ConfigOptions>();
  auto* command = app.add_subcommand("config", "Print the composed configuration as YAML, run nothing");
  options->add_to(*command);
  return {command, [options] { std::cout << options->compose().to_yaml(); }};
}

}  // namespace arxivc::cli
