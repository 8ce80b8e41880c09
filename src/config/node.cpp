#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "arxivc/config/config.hpp"
#include "arxivc/core/error.hpp"
#include "scalar_text.hpp"

namespace arxivc::config {
namespace {

ConfigError type_error(std::string_view what, std::string_view expected, const Node& got) {
  return ConfigError(fmt::format("{}: expected {}, got {}", what, expected, detail::describe(got)));
}

// A list index segment: digits only, so "01" or "-1" never silently address an element.
std::optional<std::size_t> parse_index(std::string_view segment) {
  std::size_t index = 0;
  auto [end, error] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
  if (segment.empty() || error != std::errc() || end != segment.data() + segment.size()) return std::nullopt;
  return index;
}

std::vector<std::string_view> split_dotted(std::string_view dotted) {
  std::vector<std::string_view> segments;
  if (dotted.empty()) return segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = dotted.find('.', start);
    segments.push_back(dotted.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return segments;
}

template <typename NodeT>
NodeT* find_path_in(NodeT& root, std::string_view dotted) {
  NodeT* current = &root;
  for (std::string_view segment : split_dotted(dotted)) {
    if (current->is_map()) {
      current = current->find(segment);
    } else if (current->is_list()) {
      const auto index = parse_index(segment);
      current = index && *index < current->items().size() ? &current->items()[*index] : nullptr;
    } else {
      current = nullptr;
    }
    if (current == nullptr) return nullptr;
  }
  return current;
}

}  // namespace

Node Node::boolean(bool v) {
  Node node;
  node.kind_ = Kind::boolean;
  node.bool_ = v;
  return node;
}

Node Node::integer(std::int64_t v) {
  Node node;
  node.kind_ = Kind::integer;
  node.int_ = v;
  return node;
}

Node Node::floating(double v) {
  Node node;
  node.kind_ = Kind::floating;
  node.double_ = v;
  return node;
}

Node Node::string(std::string v) {
  Node node;
  node.kind_ = Kind::string;
  node.string_ = std::move(v);
  return node;
}

Node Node::list(std::vector<Node> items) {
  Node node;
  node.kind_ = Kind::list;
  node.items_ = std::move(items);
  return node;
}

Node Node::map() {
  Node node;
  node.kind_ = Kind::map;
  return node;
}

bool Node::as_bool(std::string_view what) const {
  if (kind_ != Kind::boolean) throw type_error(what, "a boolean", *this);
  return bool_;
}

std::int64_t Node::as_int(std::string_view what) const {
  if (kind_ != Kind::integer) throw type_error(what, "an integer", *this);
  return int_;
}

double Node::as_double(std::string_view what) const {
  if (kind_ == Kind::integer) return static_cast<double>(int_);
  if (kind_ != Kind::floating) throw type_error(what, "a number", *this);
  return double_;
}

std::string Node::as_string(std::string_view what) const {
  if (kind_ == Kind::string) {
    if (secret_ && string_ == kRedacted) {
      throw ConfigError(fmt::format(
          "{}: '{}' is the placeholder a saved configuration shows for a secret, not the secret itself; "
          "set the real value (e.g. ARXIVC_API_KEY for serve.api_key)",
          what, kRedacted));
    }
    return string_;
  }
  if (!is_scalar() || is_null()) throw type_error(what, "a string", *this);
  return detail::scalar_text(*this);
}

const Node* Node::find(std::string_view key) const {
  if (kind_ != Kind::map) return nullptr;
  const auto it =
      std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e.first == key; });
  return it == entries_.end() ? nullptr : &it->second;
}

Node* Node::find(std::string_view key) { return const_cast<Node*>(std::as_const(*this).find(key)); }

Node& Node::operator[](std::string_view key) {
  if (kind_ == Kind::null) kind_ = Kind::map;
  if (kind_ != Kind::map) {
    throw ConfigError(fmt::format("cannot look up key '{}' in {}", key, detail::describe(*this)));
  }
  if (Node* existing = find(key)) return *existing;
  entries_.emplace_back(std::string(key), Node());
  return entries_.back().second;
}

bool Node::erase(std::string_view key) {
  if (kind_ != Kind::map) return false;
  const auto it =
      std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e.first == key; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

const Node* Node::find_path(std::string_view dotted) const { return find_path_in(*this, dotted); }

Node* Node::find_path(std::string_view dotted) { return find_path_in(*this, dotted); }

Node& Node::make_path(std::string_view dotted) {
  Node* current = this;
  std::string walked;
  for (std::string_view segment : split_dotted(dotted)) {
    if (segment.empty()) throw ConfigError(fmt::format("invalid key '{}': empty segment", dotted));
    if (current->is_list()) {
      const auto index = parse_index(segment);
      if (!index || *index >= current->items().size()) {
        throw ConfigError(fmt::format("cannot create '{}': '{}' is not an index of the list {}", dotted,
                                      segment, walked.empty() ? "at the root" : fmt::format("'{}'", walked)));
      }
      current = &current->items()[*index];
    } else if (current->is_map() || current->is_null()) {
      current = &(*current)[segment];
    } else {
      throw ConfigError(fmt::format("cannot create '{}': {} is {}, not a map", dotted,
                                    walked.empty() ? "the root" : fmt::format("'{}'", walked),
                                    detail::describe(*current)));
    }
    if (!walked.empty()) walked += '.';
    walked += segment;
  }
  return *current;
}

bool Node::operator==(const Node& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case Kind::null:
      return true;
    case Kind::boolean:
      return bool_ == other.bool_;
    case Kind::integer:
      return int_ == other.int_;
    case Kind::floating:
      // NaN equals NaN here: configs compare values, and a NaN read back from YAML is the same setting.
      return double_ == other.double_ || (std::isnan(double_) && std::isnan(other.double_));
    case Kind::string:
      return string_ == other.string_;
    case Kind::list:
      return items_ == other.items_;
    case Kind::map:
      // Keys are unique, so equal sizes plus every key matching means the same mapping; order is
      // presentation only (as in OmegaConf).
      return entries_.size() == other.entries_.size() &&
             std::all_of(entries_.begin(), entries_.end(), [&](const auto& entry) {
               const Node* counterpart = other.find(entry.first);
               return counterpart != nullptr && *counterpart == entry.second;
             });
  }
  return false;
}

}  // namespace arxivc::config
