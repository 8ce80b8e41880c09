#pragma once

// Hydra's command-line override grammar: key=value, +key=value, ++key=value, ~key, ~key=value,
// with typed values (int, float, bool, null, quoted and unquoted strings, [lists], {dicts}).

#include <optional>
#include <string>
#include <string_view>

#include "arxivc/config/config.hpp"

namespace arxivc::config::detail {

struct Override {
  enum class Action {
    assign,         // key=value: the key must exist
    add,            // +key=value: the key must not exist
    add_or_assign,  // ++key=value
    remove,         // ~key or ~key=value (then only if the value matches)
  };
  Action action = Action::assign;
  std::string key;
  std::optional<Node> value;  // absent only for ~key
  std::string text;           // the override as given, for messages
};

// Throws ConfigError naming the override and what is wrong with it.
Override parse_override(std::string_view text);

// Parses one value of the override grammar; `context` names it in error messages.
Node parse_override_value(std::string_view text, std::string_view context);

}  // namespace arxivc::config::detail
