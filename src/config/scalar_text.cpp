#include "scalar_text.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

namespace arxivc::config::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_of_chars(std::string_view text, bool (*accept)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), accept);
}

// YAML 1.2 core float: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_core_float(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  std::size_t int_digits = 0;
  while (i < text.size() && is_digit(text[i])) ++i, ++int_digits;
  std::size_t fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i, ++fraction_digits;
  }
  if (int_digits == 0 && fraction_digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    std::size_t exponent_digits = 0;
    while (i < text.size() && is_digit(text[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == text.size();
}

std::optional<Node> parse_integer(std::string_view digits, bool negative, int base) {
  std::uint64_t magnitude = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  constexpr auto max_positive = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!negative && magnitude > max_positive) return std::nullopt;
  if (negative && magnitude > max_positive + 1) return std::nullopt;
  // Two's complement negation of the magnitude, which is well defined for the minimum value.
  const auto value =
      negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return Node::integer(value);
}

}  // namespace

double parse_unsigned_decimal(std::string_view text) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc::result_out_of_range) return value;
  // from_chars leaves the value alone when it does not fit: a negative exponent or a leading
  // "0." means the number is too small for a double, anything else too large.
  const auto exponent = text.find_first_of("eE");
  const bool too_small = (exponent != std::string_view::npos && text.substr(exponent + 1).starts_with('-')) ||
                         text.starts_with("0.") || text.starts_with('.');
  return too_small ? 0.0 : std::numeric_limits<double>::infinity();
}

std::optional<Node> resolve_plain_scalar(std::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return Node();
  if (text == "true" || text == "True" || text == "TRUE") return Node::boolean(true);
  if (text == "false" || text == "False" || text == "FALSE") return Node::boolean(false);

  std::string_view unsigned_text = text;
  const bool negative = text.front() == '-';
  if (text.front() == '-' || text.front() == '+') unsigned_text.remove_prefix(1);
  if (all_of_chars(unsigned_text, is_digit)) return parse_integer(unsigned_text, negative, 10);
  if (text.size() > 2 && text.starts_with("0x") && all_of_chars(text.substr(2), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return parse_integer(text.substr(2), false, 16);
  }
  if (text.size() > 2 && text.starts_with("0o") &&
      all_of_chars(text.substr(2), [](char c) { return c >= '0' && c <= '7'; })) {
    return parse_integer(text.substr(2), false, 8);
  }

  if (unsigned_text == ".inf" || unsigned_text == ".Inf" || unsigned_text == ".INF") {
    return Node::floating(negative ? -std::numeric_limits<double>::infinity()
                                   : std::numeric_limits<double>::infinity());
  }
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    return Node::floating(std::numeric_limits<double>::quiet_NaN());
  }
  if (is_core_float(text)) {
    const double magnitude = parse_unsigned_decimal(unsigned_text);
    return Node::floating(negative ? -magnitude : magnitude);
  }
  return Node::string(std::string(text));
}

// Python's float repr: the shortest digits that read back exactly, in fixed notation for
// exponents from -4 to 15 and scientific otherwise ("100000.0", "0.0001", "1e-07", "1e+16").
std::string format_double(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), std::fabs(value),
                                    std::chars_format::scientific);
  const std::string_view scientific(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
  const std::size_t e = scientific.find('e');
  std::string digits(scientific.substr(0, e));
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int exponent = 0;
  const std::string_view exponent_text = scientific.substr(e + 1);
  std::from_chars(exponent_text.data() + (exponent_text.front() == '+' ? 1 : 0),
                  exponent_text.data() + exponent_text.size(), exponent);

  std::string text = std::signbit(value) ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    if (exponent >= 0) {
      const auto integer_digits = static_cast<std::size_t>(exponent) + 1;
      if (digits.size() < integer_digits) digits.append(integer_digits - digits.size(), '0');
      text += digits.substr(0, integer_digits);
      text += '.';
      text += digits.size() > integer_digits ? digits.substr(integer_digits) : "0";
    } else {
      text += "0.";
      text.append(static_cast<std::size_t>(-exponent - 1), '0');
      text += digits;
    }
    return text;
  }
  text += digits.front();
  if (digits.size() > 1) {
    text += '.';
    text += digits.substr(1);
  }
  text += fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
  return text;
}

std::string scalar_text(const Node& node) {
  switch (node.kind()) {
    case Node::Kind::null:
      return "null";
    case Node::Kind::boolean:
      return node.as_bool() ? "true" : "false";
    case Node::Kind::integer:
      return std::to_string(node.as_int());
    case Node::Kind::floating:
      return format_double(node.as_double());
    case Node::Kind::string:
      return node.as_string();
    case Node::Kind::list:
    case Node::Kind::map:
      break;
  }
  return describe(node);
}

std::string_view kind_article_name(Node::Kind kind) {
  switch (kind) {
    case Node::Kind::null:
      return "null";
    case Node::Kind::boolean:
      return "a boolean";
    case Node::Kind::integer:
      return "an integer";
    case Node::Kind::floating:
      return "a float";
    case Node::Kind::string:
      return "a string";
    case Node::Kind::list:
      return "a list";
    case Node::Kind::map:
      return "a map";
  }
  return "a value";
}

std::string describe(const Node& node) {
  if (node.secret() && !node.is_null()) return "a secret value";
  switch (node.kind()) {
    case Node::Kind::null:
      return "null";
    case Node::Kind::boolean:
      return fmt::format("boolean {}", scalar_text(node));
    case Node::Kind::integer:
      return fmt::format("integer {}", scalar_text(node));
    case Node::Kind::floating:
      return fmt::format("float {}", scalar_text(node));
    case Node::Kind::string:
      return fmt::format("string '{}'", node.as_string());
    case Node::Kind::list:
    case Node::Kind::map:
      break;
  }
  return std::string(kind_article_name(node.kind()));
}

bool is_valid_utf8(std::string_view text) { return simdjson::validate_utf8(text.data(), text.size()); }

}  // namespace arxivc::config::detail
