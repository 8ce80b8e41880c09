#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "arxivc/config/config.hpp"
#include "scalar_text.hpp"

namespace arxivc::config {
namespace {

bool is_plain_safe_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '/' || c == '-';
}

// Words YAML 1.1 readers (PyYAML, OmegaConf) take as booleans: quoting them keeps the file
// unambiguous for tools other than ours.
bool is_yaml11_bool_word(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "yes" || lower == "no" || lower == "on" || lower == "off";
}

// Plain only when the text is unmistakably a string: a conservative character set, a letter,
// '_' or '/' first (so no number, date or indicator), and no other type when read back.
bool can_be_plain(std::string_view text) {
  if (text.empty()) return false;
  const char first = text.front();
  const bool first_ok =
      (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_' || first == '/';
  if (!first_ok || !std::all_of(text.begin(), text.end(), is_plain_safe_char)) return false;
  if (is_yaml11_bool_word(text)) return false;
  const auto typed = detail::resolve_plain_scalar(text);
  return typed && typed->kind() == Node::Kind::string;
}

std::string double_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string string_text(std::string_view text) {
  return can_be_plain(text) ? std::string(text) : double_quoted(text);
}

std::string float_text(double value) {
  if (std::isnan(value)) return ".nan";
  if (std::isinf(value)) return value < 0 ? "-.inf" : ".inf";
  return detail::format_double(value);
}

// A value that fits on its key's line: a scalar or an empty container in flow style.
std::string inline_text(const Node& node) {
  if (node.secret() && !node.is_null()) return string_text(kRedacted);
  switch (node.kind()) {
    case Node::Kind::null:
      return "null";
    case Node::Kind::boolean:
    case Node::Kind::integer:
      return detail::scalar_text(node);
    case Node::Kind::floating:
      return float_text(node.as_double());
    case Node::Kind::string:
      return string_text(node.as_string());
    case Node::Kind::list:
      return "[]";
    case Node::Kind::map:
      return "{}";
  }
  return "null";
}

bool is_block(const Node& node) {
  if (node.secret()) return false;
  return (node.is_map() && !node.entries().empty()) || (node.is_list() && !node.items().empty());
}

void emit_block(const Node& node, std::size_t indent, std::string& out);

void emit_list_item(const Node& item, std::size_t indent, std::string& out) {
  out.append(indent, ' ');
  out += "- ";
  if (!is_block(item)) {
    out += inline_text(item);
    out += '\n';
    return;
  }
  // The nested block starts on the dash's line: its first line's indentation becomes "- ".
  std::string nested;
  emit_block(item, indent + 2, nested);
  out.append(nested, indent + 2);
}

void emit_block(const Node& node, std::size_t indent, std::string& out) {
  if (node.is_list()) {
    for (const Node& item : node.items()) emit_list_item(item, indent, out);
    return;
  }
  for (const auto& [key, value] : node.entries()) {
    out.append(indent, ' ');
    out += string_text(key);
    out += ':';
    if (is_block(value)) {
      out += '\n';
      emit_block(value, indent + 2, out);
    } else {
      out += ' ';
      out += inline_text(value);
      out += '\n';
    }
  }
}

}  // namespace

std::string to_yaml(const Node& node) {
  std::string out;
  if (!is_block(node)) {
    out = inline_text(node);
    out += '\n';
    return out;
  }
  emit_block(node, 0, out);
  return out;
}

}  // namespace arxivc::config
