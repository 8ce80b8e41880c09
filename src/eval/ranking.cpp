#include "arxivc/eval/ranking.hpp"

#include <algorithm>
#include <numeric>

#include "arxivc/core/error.hpp"

namespace arxivc::eval {

std::uint32_t top_label(std::span<const float> row) {
  if (row.empty()) throw Error("cannot rank an empty probability row");
  // max_element returns the first maximum, which is the lowest id among ties.
  return static_cast<std::uint32_t>(std::max_element(row.begin(), row.end()) - row.begin());
}

std::vector<std::uint32_t> top_labels(std::span<const float> row, std::size_t k) {
  std::vector<std::uint32_t> order(row.size());
  std::iota(order.begin(), order.end(), 0U);
  const std::size_t kept = std::min(k, order.size());
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(kept), order.end(),
      [&](std::uint32_t a, std::uint32_t b) { return row[a] > row[b] || (row[a] == row[b] && a < b); });
  order.resize(kept);
  return order;
}

}  // namespace arxivc::eval
