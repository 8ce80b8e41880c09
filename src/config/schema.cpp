#include "arxivc/config/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "arxivc/core/error.hpp"
#include "scalar_text.hpp"
#include "suggest.hpp"

namespace arxivc::config {
namespace {

unsigned type_of(const Node& node) {
  switch (node.kind()) {
    case Node::Kind::null:
      return Schema::null_value;
    case Node::Kind::boolean:
      return Schema::boolean;
    case Node::Kind::integer:
      return Schema::integer | Schema::number;
    case Node::Kind::floating:
      return Schema::number;
    case Node::Kind::string:
      return Schema::string;
    case Node::Kind::list:
      return Schema::list;
    case Node::Kind::map:
      return Schema::map;
  }
  return 0;
}

std::string type_names(unsigned types) {
  std::vector<std::string_view> names;
  if (types & Schema::null_value) names.push_back("null");
  if (types & Schema::boolean) names.push_back("a boolean");
  if (types & Schema::integer) names.push_back("an integer");
  if (types & Schema::number) names.push_back("a number");
  if (types & Schema::string) names.push_back("a string");
  if (types & Schema::list) names.push_back("a list");
  if (types & Schema::map) names.push_back("a map");
  return fmt::format("{}", fmt::join(names, " or "));
}

// Bounds print as integers where they are whole numbers ("between 0 and 1024"), as YAML floats otherwise.
std::string number_text(double value) {
  if (std::trunc(value) == value && std::fabs(value) < 1e15)
    return fmt::format("{}", static_cast<std::int64_t>(value));
  return detail::format_double(value);
}

std::optional<double> numeric_value(const Node& node) {
  if (node.kind() == Node::Kind::integer) return static_cast<double>(node.as_int());
  if (node.kind() == Node::Kind::floating) return node.as_double();
  if (node.kind() == Node::Kind::string && !node.secret()) {
    // Environment variables arrive as strings: "8080" is a port.
    const std::string text = node.as_string();
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!text.empty() && error == std::errc() && end == text.data() + text.size()) {
      return static_cast<double>(value);
    }
  }
  return std::nullopt;
}

std::string join_path(std::string_view prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : fmt::format("{}.{}", prefix, key);
}

}  // namespace

Schema::Rule& Schema::Rule::range(double min, double max) {
  min_ = min;
  max_ = max;
  return *this;
}

Schema::Rule& Schema::Rule::at_least(double min) {
  min_ = min;
  return *this;
}

Schema::Rule& Schema::Rule::one_of(std::initializer_list<std::string_view> choices) {
  for (auto choice : choices) choices_.emplace_back(choice);
  return *this;
}

Schema::Rule& Schema::Rule::open() {
  open_ = true;
  return *this;
}

Schema::Rule& Schema::Rule::secret() {
  secret_ = true;
  return *this;
}

void Schema::Rule::check(const Node& value) const {
  const unsigned type = type_of(value);
  if ((type & types_) == 0) {
    throw ConfigError(
        fmt::format("{}: expected {}, got {}", path_, type_names(types_), detail::describe(value)));
  }
  if (value.is_null() || value.secret()) return;
  if (!choices_.empty() && value.kind() == Node::Kind::string &&
      std::find(choices_.begin(), choices_.end(), value.as_string()) == choices_.end()) {
    throw ConfigError(
        fmt::format("{}: '{}' is not one of {}", path_, value.as_string(), fmt::join(choices_, ", ")));
  }
  if (!min_ && !max_) return;
  const auto number = numeric_value(value);
  if (!number) return;
  const bool below = min_ && *number < *min_;
  const bool above = max_ && *number > *max_;
  if (!(below || above) && std::isfinite(*number)) return;
  if (min_ && max_) {
    throw ConfigError(fmt::format("{}: {} is out of range: it must be between {} and {}", path_,
                                  detail::describe(value), number_text(*min_), number_text(*max_)));
  }
  if (min_) {
    throw ConfigError(fmt::format("{}: {} is out of range: it must be at least {}", path_,
                                  detail::describe(value), number_text(*min_)));
  }
  throw ConfigError(fmt::format("{}: {} is out of range: it must be at most {}", path_,
                                detail::describe(value), number_text(*max_)));
}

Schema::Rule& Schema::add(std::string path, unsigned types) {
  return rules_.emplace_back(std::move(path), types);
}

const Schema::Rule* Schema::find(std::string_view path) const {
  const auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Rule& r) { return r.path() == path; });
  return it == rules_.end() ? nullptr : &*it;
}

bool Schema::is_section(std::string_view path) const {
  return std::any_of(rules_.begin(), rules_.end(), [&](const Rule& r) {
    return path.empty() ||
           (r.path().size() > path.size() && r.path().starts_with(path) && r.path()[path.size()] == '.');
  });
}

bool Schema::is_secret(std::string_view path) const {
  const Rule* rule = find(path);
  return rule != nullptr && rule->is_secret();
}

void Schema::unknown(const std::string& path, std::string_view source) const {
  // Suggest among the known keys at the same level.
  const auto dot = path.rfind('.');
  const std::string parent = dot == std::string::npos ? "" : path.substr(0, dot);
  const std::string name = dot == std::string::npos ? path : path.substr(dot + 1);
  std::vector<std::string> siblings;
  for (const Rule& rule : rules_) {
    const std::string& p = rule.path();
    if (!parent.empty() && !(p.size() > parent.size() && p.starts_with(parent) && p[parent.size()] == '.'))
      continue;
    const std::string rest = parent.empty() ? p : p.substr(parent.size() + 1);
    const std::string first = rest.substr(0, rest.find('.'));
    if (std::find(siblings.begin(), siblings.end(), first) == siblings.end()) siblings.push_back(first);
  }
  std::string message = fmt::format("unknown key '{}'", path);
  if (const auto match = detail::closest_match(name, siblings)) {
    message += fmt::format(" (did you mean '{}'?)", join_path(parent, *match));
  } else if (!siblings.empty()) {
    message += fmt::format(" (known here: {})", fmt::join(siblings, ", "));
  }
  if (!source.empty()) message = fmt::format("{}: {}", source, message);
  throw ConfigError(message);
}

void Schema::walk(const Node& tree, const std::string& prefix, std::string_view source, bool values) const {
  if (!tree.is_map()) return;
  for (const auto& [key, value] : tree.entries()) {
    const std::string path = join_path(prefix, key);
    if (const Rule* rule = find(path)) {
      if (values) rule->check(value);
      continue;
    }
    if (!is_section(path)) unknown(path, source);
    if (value.is_map()) {
      walk(value, path, source, values);
    } else if (values && !value.is_null()) {
      throw ConfigError(fmt::format("{}{}: expected a map of settings, got {}", source.empty() ? "" : source,
                                    source.empty() ? path : fmt::format(": {}", path),
                                    detail::describe(value)));
    }
  }
}

void Schema::check_keys(const Node& tree, std::string_view prefix, std::string_view source) const {
  if (!prefix.empty()) {
    if (const Rule* rule = find(prefix); rule != nullptr && rule->is_open()) return;
    if (find(prefix) == nullptr && !is_section(prefix)) unknown(std::string(prefix), source);
  }
  walk(tree, std::string(prefix), source, false);
}

void Schema::check(const Node& root) const { walk(root, "", "", true); }

void Schema::mark_secrets(Node& root) const {
  for (const Rule& rule : rules_) {
    if (!rule.is_secret()) continue;
    if (Node* node = root.find_path(rule.path())) node->mark_secret();
  }
}

}  // namespace arxivc::config
