#include "arxivc/prepare/dedup.hpp"

#include <algorithm>
#include <numeric>

namespace arxivc::prepare {

std::vector<std::size_t> find_duplicates(std::span<const DedupEntry> entries) {
  // Sorting positions by (id, position) puts the records of one id side by side in input order.
  std::vector<std::size_t> order(entries.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const int c = entries[a].id.compare(entries[b].id);
    return c != 0 ? c < 0 : a < b;
  });
  std::vector<std::size_t> losers;
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin + 1;
    while (end < order.size() && entries[order[end]].id == entries[order[begin]].id) ++end;
    std::size_t winner = order[begin];
    for (std::size_t k = begin + 1; k < end; ++k) {
      if (entries[order[k]].update_day >= entries[winner].update_day) winner = order[k];
    }
    for (std::size_t k = begin; k < end; ++k) {
      if (order[k] != winner) losers.push_back(order[k]);
    }
    begin = end;
  }
  std::sort(losers.begin(), losers.end());
  return losers;
}

}  // namespace arxivc::prepare
