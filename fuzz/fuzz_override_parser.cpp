// The Hydra-style override parser (key=value, +key=value, ++key=value, ~key, typed values with lists,
// dicts, quoting and escapes) on one command-line argument. Malformed overrides must end in
// arxivc::Error (ConfigError), never in a crash; a parsed value is also written back as YAML.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "arxivc/config/config.hpp"
#include "arxivc/core/error.hpp"
#include "config/override_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto parsed = arxivc::config::detail::parse_override(text);
    if (parsed.value) (void)arxivc::config::to_yaml(*parsed.value);
  } catch (const arxivc::Error&) {
  }
  try {
    const auto value = arxivc::config::detail::parse_override_value(text, "fuzz input");
    (void)arxivc::config::to_yaml(value);
  } catch (const arxivc::Error&) {
  }
  return 0;
}
