#include <fmt/format.h>

#include <cstdlib>

#include "arxivc/config/config.hpp"
#include "arxivc/config/schema.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/install_paths.hpp"
#include "defaults_list.hpp"
#include "interpolation.hpp"
#include "merge.hpp"
#include "override_parser.hpp"
#include "scalar_text.hpp"
#include "suggest.hpp"

namespace arxivc::config {
namespace {

namespace fs = std::filesystem;
using detail::GroupOverride;
using detail::Override;

constexpr std::string_view kBaseFileName = "config.yaml";

GroupOverride to_group_override(const Override& parsed) {
  GroupOverride request;
  request.group = parsed.key;
  request.text = parsed.text;
  switch (parsed.action) {
    case Override::Action::assign:
      request.action = GroupOverride::Action::choose;
      break;
    case Override::Action::add:
      request.action = GroupOverride::Action::add;
      break;
    case Override::Action::add_or_assign:
      request.action = GroupOverride::Action::add_or_choose;
      break;
    case Override::Action::remove:
      request.action = GroupOverride::Action::remove;
      break;
  }
  if (parsed.value && !parsed.value->is_null()) {
    if (!parsed.value->is_scalar()) {
      throw ConfigError(fmt::format("override '{}': config group '{}' takes one option name, not {}",
                                    parsed.text, parsed.key,
                                    detail::kind_article_name(parsed.value->kind())));
    }
    request.option = detail::scalar_text(*parsed.value);
  } else if (parsed.value && parsed.action != Override::Action::assign) {
    throw ConfigError(
        fmt::format("override '{}': config group '{}' needs an option name", parsed.text, parsed.key));
  }
  return request;
}

std::string parent_key(std::string_view dotted) {
  const auto dot = dotted.rfind('.');
  return dot == std::string_view::npos ? "" : std::string(dotted.substr(0, dot));
}

std::string last_segment(std::string_view dotted) {
  const auto dot = dotted.rfind('.');
  return std::string(dot == std::string_view::npos ? dotted : dotted.substr(dot + 1));
}

Node& create_path(Node& root, const Override& parsed) {
  try {
    return root.make_path(parsed.key);
  } catch (const ConfigError& error) {
    throw ConfigError(fmt::format("override '{}': {}", parsed.text, error.what()));
  }
}

void remove_key(Node& root, const Override& parsed) {
  Node* parent = root.find_path(parent_key(parsed.key));
  Node* target = root.find_path(parsed.key);
  if (parent == nullptr || target == nullptr) {
    throw ConfigError(fmt::format("cannot delete with '{}': {}", parsed.text,
                                  detail::unknown_key_message(root, parsed.key)));
  }
  if (parsed.value && !(*target == *parsed.value)) {
    throw ConfigError(fmt::format("cannot delete with '{}': '{}' is {}, not {}", parsed.text, parsed.key,
                                  detail::describe(*target), detail::describe(*parsed.value)));
  }
  if (parent->is_list()) {
    const auto index = static_cast<std::ptrdiff_t>(std::stoul(last_segment(parsed.key)));
    parent->items().erase(parent->items().begin() + index);
  } else {
    parent->erase(last_segment(parsed.key));
  }
}

void apply_override(Node& root, const Override& parsed) {
  switch (parsed.action) {
    case Override::Action::assign: {
      Node* target = root.find_path(parsed.key);
      if (target == nullptr) {
        throw ConfigError(fmt::format("{} in override '{}' (to add a new key write '+{}')",
                                      detail::unknown_key_message(root, parsed.key), parsed.text,
                                      parsed.text));
      }
      // Hydra: assignment replaces, even a whole map.
      *target = *parsed.value;
      return;
    }
    case Override::Action::add:
      if (root.find_path(parsed.key) != nullptr) {
        throw ConfigError(
            fmt::format("cannot add '{}' with '{}': the key already exists (write '{}' to change it, or "
                        "'+{}' to add or change)",
                        parsed.key, parsed.text, parsed.text.substr(1), parsed.text));
      }
      create_path(root, parsed) = *parsed.value;
      return;
    case Override::Action::add_or_assign:
      create_path(root, parsed) = *parsed.value;
      return;
    case Override::Action::remove:
      remove_key(root, parsed);
      return;
  }
}

// An override that sets a secret is recorded with the value redacted (overrides.yaml, run records).
void redact_secret_overrides(std::vector<std::string>& overrides, const Schema& schema) {
  for (std::string& text : overrides) {
    const Override parsed = detail::parse_override(text);
    if (!schema.is_secret(parsed.key) || !parsed.value || parsed.value->is_null()) continue;
    const auto prefix = text.substr(0, text.find(parsed.key));
    text = fmt::format("{}{}='{}'", prefix, parsed.key, kRedacted);
  }
}

// The key an override text names, before it is parsed (it may be malformed): "+a.b=1" -> "a.b".
std::string_view override_key(std::string_view text) {
  while (!text.empty() && (text.front() == '+' || text.front() == '~')) text.remove_prefix(1);
  return text.substr(0, text.find('='));
}

}  // namespace

std::string redact_secret_values(std::string message, const std::vector<std::string>& overrides,
                                 const Schema& schema) {
  const auto replace_all = [&message](std::string_view what, std::string_view with) {
    if (what.empty()) return;
    for (auto at = message.find(what); at != std::string::npos; at = message.find(what, at + with.size())) {
      message.replace(at, what.size(), with);
    }
  };
  for (const std::string& text : overrides) {
    const auto key = override_key(text);
    const auto equals = text.find('=');
    if (equals == std::string::npos || !schema.is_secret(key)) continue;
    const std::string redacted = text.substr(0, equals + 1) + std::string(kRedacted);
    replace_all(text, redacted);
    // Long overrides are echoed truncated: the start of the value, then "...".
    for (std::size_t length = text.size() - 1; length > equals + 1; --length) {
      if (message.find(std::string_view(text).substr(0, length)) != std::string::npos) {
        replace_all(std::string_view(text).substr(0, length), redacted);
        break;
      }
    }
    // The assignment echoed in another form ("write 'key=value' ..."), and the bare value where it is
    // long enough not to match ordinary words of the message.
    const std::string_view value = std::string_view(text).substr(equals + 1);
    replace_all(fmt::format("{}={}", key, value), fmt::format("{}={}", key, kRedacted));
    if (value.size() >= 4) replace_all(value, kRedacted);
  }
  return message;
}

namespace {

Config compose_unredacted(const ComposeOptions& options);

}  // namespace

Config compose(const ComposeOptions& options) {
  if (options.schema == nullptr) return compose_unredacted(options);
  try {
    return compose_unredacted(options);
  } catch (const ConfigError& error) {
    throw ConfigError(redact_secret_values(error.what(), options.overrides, *options.schema));
  }
}

namespace {

Config compose_unredacted(const ComposeOptions& options) {
  const fs::path config_dir = options.config_dir.empty() ? default_config_dir() : options.config_dir;
  std::error_code ignored;
  if (!fs::is_directory(config_dir, ignored)) {
    throw ConfigError(fmt::format("config directory '{}' not found", config_dir.string()));
  }
  const fs::path base = config_dir / (options.config_name + ".yaml");
  if (!fs::is_regular_file(base, ignored)) {
    throw ConfigError(fmt::format("base config '{}' not found", base.string()));
  }
  // One time for the whole composition, so every ${now:...} agrees.
  const std::time_t now = options.now.value_or(std::time(nullptr));

  std::vector<GroupOverride> group_overrides;
  std::vector<Override> value_overrides;
  for (const std::string& text : options.overrides) {
    Override parsed = detail::parse_override(text);
    if (detail::is_config_group(config_dir, parsed.key)) {
      group_overrides.push_back(to_group_override(parsed));
    } else {
      value_overrides.push_back(std::move(parsed));
    }
  }

  detail::ExpandedDefaults expanded =
      detail::expand_defaults(config_dir, options.config_name, group_overrides);
  Node root = Node::map();
  for (const detail::MergeStep& step : expanded.steps) {
    if (options.schema != nullptr) options.schema->check_keys(step.content, step.package, step.source);
    Node* target = &root;
    if (!step.package.empty()) {
      try {
        target = &root.make_path(step.package);
      } catch (const ConfigError& error) {
        throw ConfigError(
            fmt::format("{}: cannot place its content at '{}': {}", step.source, step.package, error.what()));
      }
    }
    detail::merge_into(*target, step.content);
  }
  for (const Override& parsed : value_overrides) apply_override(root, parsed);
  detail::resolve_interpolations(root, now);
  std::vector<std::string> overrides = options.overrides;
  if (options.schema != nullptr) {
    options.schema->mark_secrets(root);
    options.schema->check(root);
    redact_secret_overrides(overrides, *options.schema);
  }
  return Config(std::move(root), std::move(overrides), std::move(expanded.choices));
}

}  // namespace

std::filesystem::path default_config_dir() {
  const fs::path base_name(kBaseFileName);
  if (const char* from_environment = std::getenv("ARXIVC_CONFIG_DIR");
      from_environment != nullptr && *from_environment != '\0') {
    return fs::path(from_environment);
  }
  std::error_code ignored;
  if (fs::is_regular_file(fs::path("configs") / base_name, ignored)) return fs::path("configs");
  if (const auto share = installed_share_dir();
      share && fs::is_regular_file(*share / "configs" / base_name, ignored)) {
    return *share / "configs";
  }
  const fs::path source_tree = fs::path(ARXIVC_SOURCE_DIR) / "configs";
  if (fs::is_regular_file(source_tree / base_name, ignored)) return source_tree;
  throw ConfigError(
      fmt::format("no configuration directory found: set ARXIVC_CONFIG_DIR, or run where configs/{} exists "
                  "(also looked in {})",
                  kBaseFileName, source_tree.string()));
}

}  // namespace arxivc::config
