#include "override_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "arxivc/core/error.hpp"
#include "scalar_text.hpp"

namespace arxivc::config::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Digits with single underscores between them (Hydra allows 1_000), at least one digit.
bool consume_digits(std::string_view text, std::size_t& i) {
  const std::size_t start = i;
  while (i < text.size() && (is_digit(text[i]) ||
                             (text[i] == '_' && i > start && i + 1 < text.size() && is_digit(text[i + 1])))) {
    ++i;
  }
  return i > start;
}

std::size_t sign_length(std::string_view text) {
  return !text.empty() && (text.front() == '+' || text.front() == '-') ? 1 : 0;
}

// Hydra INT: [+-]? ('0' | [1-9] (_? DIGIT)*)
bool is_hydra_int(std::string_view text) {
  std::size_t i = sign_length(text);
  if (i == text.size()) return false;
  if (text[i] == '0') return i + 1 == text.size();
  return consume_digits(text, i) && i == text.size();
}

// Hydra FLOAT: [+-]? (POINT_FLOAT | EXPONENT_FLOAT | inf | nan), case-insensitive inf/nan.
bool is_hydra_float(std::string_view text) {
  std::size_t i = sign_length(text);
  const std::string rest = lower(text.substr(i));
  if (rest == "inf" || rest == "nan") return true;
  const bool int_part = consume_digits(text, i);
  bool fraction = false;
  bool point = false;
  if (i < text.size() && text[i] == '.') {
    point = true;
    ++i;
    fraction = consume_digits(text, i);
  }
  if (!int_part && !fraction) return false;
  bool exponent = false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!consume_digits(text, i)) return false;
    exponent = true;
  }
  return i == text.size() && (point || exponent);
}

std::string without_underscores(std::string_view text) {
  std::string out;
  std::copy_if(text.begin(), text.end(), std::back_inserter(out), [](char c) { return c != '_'; });
  return out;
}

class ValueParser {
 public:
  ValueParser(std::string_view text, std::string_view context) : text_(text), context_(context) {}

  Node parse_top() {
    skip_space();
    if (at_end()) return Node::string("");
    Node value = parse_element(/*in_dict_key=*/false);
    skip_space();
    if (!at_end() && peek() == ',') {
      fail(
          "a comma-separated value is a sweep, which is not supported; write a list as [a,b] or quote the "
          "string as 'a,b'");
    }
    if (!at_end()) fail(fmt::format("unexpected '{}' at position {}", peek(), pos_ + 1));
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    // A hostile override can be megabytes long: the message shows its start.
    constexpr std::size_t kShown = 120;
    const std::string shown =
        context_.size() <= kShown
            ? std::string(context_)
            : fmt::format("{}... ({} characters)", context_.substr(0, kShown), context_.size());
    throw ConfigError(fmt::format("malformed override '{}': {}", shown, reason));
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t')) ++pos_;
  }

  Node parse_element(bool in_dict_key) {
    skip_space();
    if (at_end()) fail("a value is missing at the end");
    switch (peek()) {
      case '[':
      case '{': {
        if (depth_ >= kMaxNesting) fail(fmt::format("nesting deeper than {} levels", kMaxNesting));
        ++depth_;
        Node nested = peek() == '[' ? parse_list() : parse_dict();
        --depth_;
        return nested;
      }
      case '\'':
      case '"':
        return parse_quoted();
      default:
        return parse_unquoted(in_dict_key);
    }
  }

  Node parse_list() {
    ++pos_;  // '['
    Node list = Node::list();
    skip_space();
    if (!at_end() && peek() == ']') {
      ++pos_;
      return list;
    }
    while (true) {
      skip_space();
      if (!at_end() && (peek() == ',' || peek() == ']')) fail("empty element in list");
      list.items().push_back(parse_element(false));
      skip_space();
      if (at_end()) fail("list is missing its closing ']'");
      if (peek() == ']') {
        ++pos_;
        return list;
      }
      if (peek() != ',') fail(fmt::format("expected ',' or ']' in list, got '{}'", peek()));
      ++pos_;
    }
  }

  Node parse_dict() {
    ++pos_;  // '{'
    Node dict = Node::map();
    skip_space();
    if (!at_end() && peek() == '}') {
      ++pos_;
      return dict;
    }
    while (true) {
      skip_space();
      if (at_end()) fail("dict is missing its closing '}'");
      const Node key = parse_element(/*in_dict_key=*/true);
      if (!key.is_scalar() || key.is_null() ||
          (key.kind() == Node::Kind::string && key.as_string().empty())) {
        fail("a dict key must be a non-empty scalar");
      }
      const std::string key_text = key.as_string();
      skip_space();
      if (at_end() || peek() != ':') fail(fmt::format("expected ':' after dict key '{}'", key_text));
      ++pos_;
      if (dict.find(key_text) != nullptr) fail(fmt::format("duplicate dict key '{}'", key_text));
      skip_space();
      if (!at_end() && (peek() == ',' || peek() == '}'))
        fail(fmt::format("dict key '{}' has no value", key_text));
      dict[key_text] = parse_element(false);
      skip_space();
      if (at_end()) fail("dict is missing its closing '}'");
      if (peek() == '}') {
        ++pos_;
        return dict;
      }
      if (peek() != ',') fail(fmt::format("expected ',' or '}}' in dict, got '{}'", peek()));
      ++pos_;
    }
  }

  Node parse_quoted() {
    const char quote = text_[pos_++];
    std::string out;
    while (true) {
      if (at_end()) fail(fmt::format("unterminated {} quote", quote == '\'' ? "single" : "double"));
      const char c = text_[pos_++];
      if (c == quote) break;
      if (c == '\\' && !at_end() && (peek() == quote || peek() == '\\')) {
        out += text_[pos_++];
      } else {
        out += c;
      }
    }
    return Node::string(std::move(out));
  }

  // Copies "${...}" verbatim (commas and colons inside belong to the interpolation).
  void copy_interpolation(std::string& out) {
    int depth = 0;
    do {
      if (at_end()) fail("unterminated interpolation '${'");
      const char c = text_[pos_++];
      if (c == '{') ++depth;
      if (c == '}') --depth;
      out += c;
    } while (depth > 0);
  }

  Node parse_unquoted(bool in_dict_key) {
    std::string out;
    bool escaped = false;
    while (!at_end()) {
      const char c = peek();
      if (c == ',' || c == ']' || c == '}' || c == '[' || c == '{' || (in_dict_key && c == ':')) break;
      if (c == '\'' || c == '"')
        fail(fmt::format("unexpected quote at position {} (quote the whole value)", pos_ + 1));
      if (c == '$' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '{') {
        ++pos_;
        out += '$';
        copy_interpolation(out);
        continue;
      }
      if (c == '\\' && pos_ + 1 < text_.size() &&
          std::string_view("\\()[]{}:=, \t").find(text_[pos_ + 1]) != std::string_view::npos) {
        out += text_[pos_ + 1];
        pos_ += 2;
        escaped = true;
        continue;
      }
      out += c;
      ++pos_;
    }
    // Hydra strips the whitespace around an unquoted value.
    const auto last = out.find_last_not_of(" \t");
    out.erase(last == std::string::npos ? 0 : last + 1);
    if (out.empty()) {
      if (!at_end()) fail(fmt::format("unexpected '{}' at position {}", peek(), pos_ + 1));
      fail("a value is missing at the end");
    }
    if (escaped) return Node::string(std::move(out));
    return type_primitive(out);
  }

  Node type_primitive(const std::string& text) const {
    const std::string folded = lower(text);
    if (folded == "null") return Node();
    if (folded == "true") return Node::boolean(true);
    if (folded == "false") return Node::boolean(false);
    if (is_hydra_int(text)) {
      const std::string digits = without_underscores(text.substr(text.front() == '+' ? 1 : 0));
      std::int64_t value = 0;
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (error != std::errc() || end != digits.data() + digits.size()) {
        fail(fmt::format("integer {} is out of range", text));
      }
      return Node::integer(value);
    }
    if (is_hydra_float(text)) {
      const std::size_t sign = sign_length(text);
      const std::string magnitude_text = lower(without_underscores(text.substr(sign)));
      double magnitude = 0.0;
      if (magnitude_text == "inf") {
        magnitude = std::numeric_limits<double>::infinity();
      } else if (magnitude_text == "nan") {
        magnitude = std::numeric_limits<double>::quiet_NaN();
      } else {
        magnitude = parse_unsigned_decimal(magnitude_text);
      }
      return Node::floating(sign == 1 && text.front() == '-' ? -magnitude : magnitude);
    }
    return Node::string(text);
  }

  std::string_view text_;
  std::string_view context_;
  std::size_t depth_ = 0;
  std::size_t pos_ = 0;
};

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '-' ||
         c == '.' || c == '/';
}

void validate_key(std::string_view key, std::string_view text) {
  const auto fail = [&](const std::string& reason) {
    throw ConfigError(fmt::format("malformed override '{}': {}", text, reason));
  };
  if (key.empty()) fail("the key is empty (expected key=value)");
  const auto bad = std::find_if_not(key.begin(), key.end(), is_key_char);
  if (bad != key.end()) fail(fmt::format("invalid character '{}' in key '{}'", *bad, key));
  if (key.front() == '.' || key.back() == '.' || key.find("..") != std::string_view::npos) {
    fail(fmt::format("key '{}' has an empty segment", key));
  }
}

}  // namespace

Node parse_override_value(std::string_view text, std::string_view context) {
  if (!is_valid_utf8(text)) {
    throw ConfigError(fmt::format("malformed override '{}': the value is not valid UTF-8 text", context));
  }
  return ValueParser(text, context).parse_top();
}

Override parse_override(std::string_view text) {
  Override result;
  result.text = std::string(text);
  std::string_view rest = text;
  if (rest.starts_with("++")) {
    result.action = Override::Action::add_or_assign;
    rest.remove_prefix(2);
  } else if (rest.starts_with("+")) {
    result.action = Override::Action::add;
    rest.remove_prefix(1);
  } else if (rest.starts_with("~")) {
    result.action = Override::Action::remove;
    rest.remove_prefix(1);
  }
  const std::size_t equals = rest.find('=');
  result.key = std::string(rest.substr(0, equals));
  validate_key(result.key, text);
  if (equals == std::string_view::npos) {
    if (result.action != Override::Action::remove) {
      throw ConfigError(fmt::format("malformed override '{}': missing '=' (expected key=value)", text));
    }
    return result;
  }
  result.value = parse_override_value(rest.substr(equals + 1), text);
  return result;
}

}  // namespace arxivc::config::detail
