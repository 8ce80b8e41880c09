#pragma once

// Conversions between scalar Nodes and their text, shared by the YAML reader and writer, the typed
// getters and string interpolation.

#include <optional>
#include <string>
#include <string_view>

#include "arxivc/config/config.hpp"

namespace arxivc::config::detail {

// Types an unquoted YAML scalar by the YAML 1.2 core schema (as OmegaConf does for its files):
// null/~, true/false, decimal/0x/0o integers, floats incl. 1e-3 and .inf/.nan; anything else is
// a string. Returns nullopt for an integer that does not fit in 64 bits.
std::optional<Node> resolve_plain_scalar(std::string_view text);

// Reads an unsigned decimal ("1.5", ".5", "2.", "1e-3"), already checked for syntax. Values too
// large for a double become infinity and values too small zero, as strtod gives them.
double parse_unsigned_decimal(std::string_view text);

// The shortest text that reads back as the same double and still looks like a float
// ("1.0", "0.1", "1e-07"); non-finite values are "inf", "-inf" and "nan".
std::string format_double(double value);

// Whether `text` is valid UTF-8. Every string of a configuration must be: configurations are written as
// JSON too (dataset settings, model metadata), and JSON cannot hold other bytes.
bool is_valid_utf8(std::string_view text);

// A scalar as text for string interpolation and as_string: null is "null", floats as format_double.
std::string scalar_text(const Node& node);

// "an integer", "a map", ... for messages.
std::string_view kind_article_name(Node::Kind kind);
// The value for an error message: "string 'abc'", "integer 3", "a list".
std::string describe(const Node& node);

}  // namespace arxivc::config::detail
