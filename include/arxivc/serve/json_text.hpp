#pragma once

// Small pieces of JSON text written by hand on the hot path (responses are formatted without a DOM).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace arxivc::serve {

// Appends `text` as a JSON string literal (quotes included), escaping what JSON requires. Bytes that are
// not valid UTF-8 become U+FFFD so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view text);

// Appends a probability with enough digits to round-trip what a person reads (6 significant).
void append_json_number(std::string& out, double value);

// The byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates and code points above
// U+10FFFF count as invalid), or nullopt when `text` is valid.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

}  // namespace arxivc::serve
