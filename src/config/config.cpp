#include "arxivc/config/config.hpp"

#include <fmt/format.h>

#include "arxivc/core/error.hpp"
#include "suggest.hpp"

namespace arxivc::config {
namespace {

// OmegaConf's marker for a value that must be given (usually on the command line).
constexpr std::string_view kMandatoryMissing = "???";

void check_not_missing(const Node& node, std::string_view path) {
  if (node.kind() == Node::Kind::string && node.as_string() == kMandatoryMissing) {
    throw ConfigError(fmt::format("{}: mandatory value is missing (set it with {}=...)", path, path));
  }
}

}  // namespace

Config::Config(Node root, std::vector<std::string> overrides, std::map<std::string, std::string> choices)
    : root_(std::move(root)), overrides_(std::move(overrides)), choices_(std::move(choices)) {}

bool Config::has(std::string_view path) const { return root_.find_path(path) != nullptr; }

const Node& Config::at(std::string_view path) const {
  const Node* node = root_.find_path(path);
  if (node == nullptr) throw ConfigError(detail::unknown_key_message(root_, path));
  check_not_missing(*node, path);
  return *node;
}

bool Config::get_bool(std::string_view path) const { return at(path).as_bool(path); }

std::int64_t Config::get_int(std::string_view path) const { return at(path).as_int(path); }

double Config::get_double(std::string_view path) const { return at(path).as_double(path); }

std::string Config::get_string(std::string_view path) const { return at(path).as_string(path); }

// Null reads as an empty list: "no items" is what an unset list means to its users.
std::vector<std::string> Config::get_string_list(std::string_view path) const {
  const Node& node = at(path);
  if (node.is_null()) return {};
  if (!node.is_list()) return {node.as_string(path)};
  std::vector<std::string> values;
  values.reserve(node.items().size());
  for (std::size_t i = 0; i < node.items().size(); ++i) {
    values.push_back(node.items()[i].as_string(fmt::format("{}.{}", path, i)));
  }
  return values;
}

// Absent and null both mean "not set" for the optional getters.
std::optional<std::int64_t> Config::get_optional_int(std::string_view path) const {
  const Node* node = root_.find_path(path);
  if (node == nullptr || node->is_null()) return std::nullopt;
  check_not_missing(*node, path);
  return node->as_int(path);
}

std::optional<std::string> Config::get_optional_string(std::string_view path) const {
  const Node* node = root_.find_path(path);
  if (node == nullptr || node->is_null()) return std::nullopt;
  check_not_missing(*node, path);
  return node->as_string(path);
}

}  // namespace arxivc::config
