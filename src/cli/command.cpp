#include "command.hpp"

#include <fmt/format.h>

#include <charconv>

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

CLI::Validator at_least(long long minimum) {
  return CLI::Validator(
      [minimum](std::string& text) -> std::string {
        long long value = 0;
        const auto* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        if (error == std::errc::result_out_of_range)
          return fmt::format("{} is out of range: it is too large", text);
        if (error != std::errc() || stop != end) return fmt::format("'{}' is not a whole number", text);
        if (value < minimum) return fmt::format("{} is out of range: it must be at least {}", text, minimum);
        return {};
      },
      fmt::format("INT>={}", minimum));
}

}  // namespace arxivc::cli
