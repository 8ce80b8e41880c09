#include "command.hpp"

#include "arxivc/app/config_schema.hpp"

namespace arxivc::cli {

void ConfigOptions::add_to(CLI::App& command) {
  command.add_option("--config-dir,--config-path,-c", config_dir,
                     "Directory holding <config-name>.yaml and the config groups (default: ./configs)");
  command.add_option("--config-name,-n", config_name, "Base configuration file, without .yaml")
      ->capture_default_str();
  command.add_option("overrides", overrides,
                     "Hydra overrides: key=value, +key=value, ++key=value, ~key, group=option");
}

config::Config ConfigOptions::compose(const std::vector<std::string>& shortcuts) const {
  config::ComposeOptions options;
  options.config_dir = config_dir.empty() ? config::default_config_dir() : std::filesystem::path(config_dir);
  options.config_name = config_name;
  options.overrides = shortcuts;
  options.overrides.insert(options.overrides.end(), overrides.begin(), overrides.end());
  options.schema = &app::config_schema();
  return config::compose(options);
}

std::string string_override(const std::string& key, const std::string& value) {
  const bool plain = !value.empty() && value.find_first_not_of(
                                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                           "0123456789_./-") == std::string::npos;
  if (plain) return key + "=" + value;
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '\'';
  return key + "=" + quoted;
}

}  // namespace arxivc::cli
