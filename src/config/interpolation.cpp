#include "interpolation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "arxivc/core/error.hpp"
#include "override_parser.hpp"
#include "scalar_text.hpp"
#include "suggest.hpp"

namespace arxivc::config::detail {
namespace {

using Path = std::vector<std::string>;

constexpr std::string_view kOpen = "${";
constexpr std::size_t kMaxStrftimeBuffer = 4096;

std::string join(const Path& path) { return fmt::format("{}", fmt::join(path, ".")); }

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

bool has_interpolation(const Node& node) {
  return node.kind() == Node::Kind::string && node.as_string().find(kOpen) != std::string::npos;
}

// A piece of an interpolated string: literal text, or the inside of one "${...}".
struct Piece {
  bool is_expression = false;
  std::string text;
};

// The position just past the '}' closing the "${" that ends at `start`; npos when unterminated.
// Quotes are skipped only in resolver arguments (after a top-level ':'), where they may hold '}'.
std::size_t find_expression_end(std::string_view text, std::size_t start) {
  int depth = 1;
  bool in_arguments = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (text.substr(i).starts_with(kOpen)) {
      ++depth;
      ++i;
    } else if (c == '}') {
      if (--depth == 0) return i + 1;
    } else if (c == ':' && depth == 1) {
      in_arguments = true;
    } else if (in_arguments && (c == '\'' || c == '"')) {
      for (++i; i < text.size() && text[i] != c; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (i >= text.size()) return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

std::vector<Piece> split_pieces(std::string_view text, const std::string& where) {
  std::vector<Piece> pieces;
  std::string literal;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\\') {
      // A run of backslashes before "${": pairs are literal backslashes, an odd one escapes the "${".
      std::size_t run = 0;
      while (i + run < text.size() && text[i + run] == '\\') ++run;
      if (text.substr(i + run).starts_with(kOpen)) {
        literal.append(run / 2, '\\');
        i += run;
        if (run % 2 == 1) {
          literal += kOpen;
          i += kOpen.size();
        }
      } else {
        literal.append(run, '\\');
        i += run;
      }
      continue;
    }
    if (text.substr(i).starts_with(kOpen)) {
      const std::size_t end = find_expression_end(text, i + kOpen.size());
      if (end == std::string_view::npos) {
        throw ConfigError(fmt::format("{}: unterminated interpolation in '{}'", where, text));
      }
      if (!literal.empty()) pieces.push_back(Piece{false, std::move(literal)});
      literal.clear();
      pieces.push_back(Piece{true, std::string(text.substr(i + kOpen.size(), end - i - kOpen.size() - 1))});
      i = end;
      continue;
    }
    literal += text[i++];
  }
  if (!literal.empty()) pieces.push_back(Piece{false, std::move(literal)});
  return pieces;
}

// Splits at `separator` outside nested "${...}" and quotes.
std::vector<std::string_view> split_top_level(std::string_view text, char separator, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (text.substr(i).starts_with(kOpen)) {
      ++depth;
      ++i;
    } else if (c == '}' && depth > 0) {
      --depth;
    } else if ((c == '\'' || c == '"') && depth == 0) {
      for (++i; i < text.size() && text[i] != c; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (c == separator && depth == 0 && parts.size() + 1 < max_parts) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

bool is_resolver_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

class Resolver {
 public:
  Resolver(Node& root, std::time_t now) : root_(root), now_(now) {}

  void resolve_all() { resolve_subtree(root_, {}); }

 private:
  // The string being resolved and its key, for error messages.
  struct Context {
    const Path& path;
    const std::string& text;
  };

  [[noreturn]] static void fail(const Context& context, const std::string& reason) {
    throw ConfigError(fmt::format("{}: cannot resolve '{}': {}", join(context.path), context.text, reason));
  }

  // Paths, not joined strings, so a key that contains a dot cannot be mistaken for a nested key.
  bool is_resolved(const Path& path) const {
    Path prefix;
    if (resolved_.contains(prefix)) return true;
    for (const std::string& segment : path) {
      prefix.push_back(segment);
      if (resolved_.contains(prefix)) return true;
    }
    return false;
  }

  void resolve_subtree(Node& node, const Path& path) {
    if (is_resolved(path)) return;
    if (const auto cycle_start = std::find(in_progress_.begin(), in_progress_.end(), path);
        cycle_start != in_progress_.end()) {
      std::vector<std::string> chain;
      for (auto it = cycle_start; it != in_progress_.end(); ++it) chain.push_back(join(*it));
      chain.push_back(join(path));
      throw ConfigError(fmt::format("interpolation cycle: {}", fmt::join(chain, " -> ")));
    }
    if (in_progress_.size() >= 4 * kMaxNesting) {
      throw ConfigError(fmt::format("{}: interpolations that refer to each other more than {} deep",
                                    join(path), 4 * kMaxNesting));
    }
    in_progress_.push_back(path);
    if (has_interpolation(node)) {
      const std::string text = node.as_string();
      Node value = evaluate_string(text, Context{path, text});
      node = std::move(value);
    } else if (node.is_map()) {
      for (auto& [child_key, child] : node.entries()) {
        Path child_path = path;
        child_path.push_back(child_key);
        resolve_subtree(child, child_path);
      }
    } else if (node.is_list()) {
      for (std::size_t i = 0; i < node.items().size(); ++i) {
        Path child_path = path;
        child_path.push_back(std::to_string(i));
        resolve_subtree(node.items()[i], child_path);
      }
    }
    in_progress_.pop_back();
    resolved_.insert(path);
  }

  // A text with interpolations: one "${...}" alone keeps the value's type, otherwise a string.
  Node evaluate_string(std::string_view text, const Context& context) {
    if (evaluation_depth_ >= kMaxNesting) {
      fail(context, fmt::format("interpolations nested deeper than {} levels", kMaxNesting));
    }
    ++evaluation_depth_;
    Node value = evaluate_pieces(text, context);
    --evaluation_depth_;
    return value;
  }

  Node evaluate_pieces(std::string_view text, const Context& context) {
    const std::vector<Piece> pieces = split_pieces(text, join(context.path));
    if (pieces.size() == 1 && pieces.front().is_expression)
      return evaluate_expression(pieces.front().text, context);
    std::string out;
    for (const Piece& piece : pieces) {
      if (!piece.is_expression) {
        out += piece.text;
        continue;
      }
      const Node value = evaluate_expression(piece.text, context);
      if (!value.is_scalar()) {
        fail(context, fmt::format("'${{{}}}' is {}, which cannot be part of a string", piece.text,
                                  kind_article_name(value.kind())));
      }
      out += scalar_text(value);
    }
    return Node::string(std::move(out));
  }

  std::string evaluate_to_text(std::string_view text, const Context& context) {
    const Node value = evaluate_string(text, context);
    if (!value.is_scalar())
      fail(context, fmt::format("'{}' is {}, expected text", text, kind_article_name(value.kind())));
    return scalar_text(value);
  }

  Node evaluate_expression(std::string_view expression, const Context& context) {
    const std::vector<std::string_view> name_and_arguments = split_top_level(expression, ':', 2);
    if (name_and_arguments.size() == 2) {
      const std::string_view name = trim(name_and_arguments[0]);
      if (!is_resolver_name(name)) fail(context, fmt::format("invalid resolver name '{}'", name));
      return call_resolver(name, name_and_arguments[1], context);
    }
    const std::string reference(trim(evaluate_to_text(expression, context)));
    return lookup(reference, context);
  }

  Node evaluate_argument(std::string_view raw, const Context& context) {
    const std::string_view text = trim(raw);
    if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"') && text.back() == text.front()) {
      std::string unquoted;
      for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] == '\\' && i + 2 < text.size() && (text[i + 1] == text.front() || text[i + 1] == '\\'))
          ++i;
        unquoted += text[i];
      }
      return Node::string(evaluate_to_text(unquoted, context));
    }
    if (text == "null") return Node();
    return evaluate_string(text, context);
  }

  Node call_resolver(std::string_view name, std::string_view arguments, const Context& context) {
    if (name == "now") {
      return Node::string(format_time(evaluate_to_text(arguments, context), context));
    }
    std::vector<Node> values;
    for (std::string_view argument : split_top_level(arguments, ',', std::string_view::npos)) {
      values.push_back(evaluate_argument(argument, context));
    }
    if (name == "oc.env") {
      if (values.empty() || values.size() > 2 || values[0].kind() != Node::Kind::string ||
          values[0].as_string().empty()) {
        fail(
            context,
            "oc.env takes a variable name and an optional default: ${oc.env:NAME} or ${oc.env:NAME,default}");
      }
      const std::string variable = values[0].as_string();
      if (const char* value = std::getenv(variable.c_str())) {
        if (!is_valid_utf8(value)) {
          fail(context, fmt::format("environment variable '{}' is not valid UTF-8", variable));
        }
        return Node::string(value);
      }
      if (values.size() == 2) return values[1].is_null() ? Node() : Node::string(scalar_text(values[1]));
      fail(context, fmt::format("environment variable '{}' is not set and no default is given", variable));
    }
    if (name == "oc.decode") {
      if (values.size() != 1) fail(context, "oc.decode takes one argument");
      if (values[0].kind() != Node::Kind::string) return values[0];
      return parse_override_value(values[0].as_string(), context.text);
    }
    fail(context, fmt::format("unknown resolver '{}' (available: now, oc.decode, oc.env)", name));
  }

  std::string format_time(const std::string& format, const Context& context) const {
    if (format.empty()) return "";
    std::tm local{};
    if (localtime_r(&now_, &local) == nullptr)
      fail(context, "cannot convert the run's start time to local time");
    for (std::size_t size = 64; size <= kMaxStrftimeBuffer; size *= 2) {
      std::string buffer(size, '\0');
      const std::size_t written = std::strftime(buffer.data(), buffer.size(), format.c_str(), &local);
      if (written > 0) return buffer.substr(0, written);
    }
    // strftime reports 0 both for an empty result and for no room: a format this long is empty.
    return "";
  }

  // Finds (and resolves) the node a reference names: absolute "a.b.0" or, with leading dots,
  // relative to the node holding the interpolation (".x" a sibling, "..x" a sibling of the parent).
  Node lookup(std::string_view reference, const Context& context) {
    if (reference.empty()) fail(context, "empty interpolation");
    const std::size_t dots = reference.find_first_not_of('.') == std::string_view::npos
                                 ? reference.size()
                                 : reference.find_first_not_of('.');
    Path target;
    if (dots > 0) {
      if (dots > context.path.size()) fail(context, "the relative reference goes above the top level");
      target.assign(context.path.begin(), context.path.end() - static_cast<std::ptrdiff_t>(dots));
    }
    const std::string_view rest = reference.substr(dots);
    if (!rest.empty()) {
      for (std::string_view segment : split_top_level(rest, '.', std::string_view::npos)) {
        if (segment.empty()) fail(context, fmt::format("invalid key '{}'", reference));
        target.emplace_back(segment);
      }
    }

    Node* node = &root_;
    Path walked;
    for (const std::string& segment : target) {
      // An interpolation on the way may turn into the map the rest of the reference goes through.
      if (has_interpolation(*node)) resolve_subtree(*node, walked);
      Node* next = node->find_path(segment);
      if (next == nullptr) fail(context, unknown_key_message(root_, join(target)));
      node = next;
      walked.push_back(segment);
    }
    resolve_subtree(*node, walked);
    return *node;
  }

  Node& root_;
  std::time_t now_;
  std::vector<Path> in_progress_;
  std::set<Path> resolved_;
  std::size_t evaluation_depth_ = 0;
};

}  // namespace

void resolve_interpolations(Node& root, std::time_t now) { Resolver(root, now).resolve_all(); }

}  // namespace arxivc::config::detail
