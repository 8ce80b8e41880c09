#include "suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "scalar_text.hpp"

namespace arxivc::config::detail {
namespace {

std::vector<std::string> child_keys(const Node& node) {
  std::vector<std::string> keys;
  if (node.is_map()) {
    for (const auto& entry : node.entries()) keys.push_back(entry.first);
  } else if (node.is_list()) {
    for (std::size_t i = 0; i < node.items().size(); ++i) keys.push_back(std::to_string(i));
  }
  return keys;
}

const Node* child(const Node& node, const std::string& key) {
  return node.find_path(key);  // one segment: a map key or a list index
}

constexpr std::size_t kMaxListedKeys = 12;

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows: the transposition step looks two rows back.
  std::vector<std::size_t> before_previous(b.size() + 1);
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  std::iota(previous.begin(), previous.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before_previous[j - 2] + 1);
      }
    }
    std::swap(before_previous, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> closest_match(std::string_view name, const std::vector<std::string>& candidates) {
  // A third of the name's length, but at least 2, tells typos from different words.
  const std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance && distance < candidate.size()) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string unknown_key_message(const Node& root, std::string_view dotted) {
  std::string message = fmt::format("unknown key '{}'", dotted);
  std::vector<std::string> segments;
  for (std::size_t start = 0;;) {
    const std::size_t dot = dotted.find('.', start);
    segments.emplace_back(dotted.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }

  // Walk down, correcting each missing segment to its closest sibling; suggest the corrected path
  // only if it exists. When a level has no close sibling, list what that level holds.
  const Node* node = &root;
  std::vector<std::string> corrected;
  bool changed = false;
  for (const std::string& segment : segments) {
    const Node* next = child(*node, segment);
    if (next == nullptr) {
      const std::vector<std::string> siblings = child_keys(*node);
      const auto match = closest_match(segment, siblings);
      if (!match) {
        const std::string where =
            corrected.empty() ? "at the top level" : fmt::format("under '{}'", fmt::join(corrected, "."));
        if (node->is_map() && !siblings.empty() && siblings.size() <= kMaxListedKeys) {
          message += fmt::format(" (keys {}: {})", where, fmt::join(siblings, ", "));
        } else if (!node->is_map() && !node->is_list()) {
          message += fmt::format(" ('{}' is {}, not a map)", fmt::join(corrected, "."), describe(*node));
        }
        return message;
      }
      next = child(*node, *match);
      corrected.push_back(*match);
      changed = true;
    } else {
      corrected.push_back(segment);
    }
    node = next;
  }
  if (changed) message += fmt::format(" (did you mean '{}'?)", fmt::join(corrected, "."));
  return message;
}

}  // namespace arxivc::config::detail
