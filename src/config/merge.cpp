#include "merge.hpp"

namespace arxivc::config::detail {

void merge_into(Node& target, const Node& source) {
  if (!target.is_map() || !source.is_map()) {
    target = source;
    return;
  }
  for (const auto& [key, value] : source.entries()) {
    if (Node* existing = target.find(key)) {
      merge_into(*existing, value);
    } else {
      target.entries().emplace_back(key, value);
    }
  }
}

}  // namespace arxivc::config::detail
