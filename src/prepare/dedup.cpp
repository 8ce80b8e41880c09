#include "arxivc/prepare/dedup.hpp"

#include <algorithm>
#include <unordered_map>

namespace arxivc::prepare {

std::vector<std::size_t> find_duplicates(std::span<const DedupEntry> entries) {
  // One pass in input order: each id remembers its best entry so far; the result depends only on the
  // entries and their order, not on the hash table's.
  std::unordered_map<std::string_view, std::size_t> best;
  best.reserve(entries.size());
  std::vector<std::size_t> losers;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto [it, first] = best.try_emplace(entries[i].id, i);
    if (first) continue;
    if (entries[i].update_day >= entries[it->second].update_day) {
      losers.push_back(it->second);
      it->second = i;
    } else {
      losers.push_back(i);
    }
  }
  std::sort(losers.begin(), losers.end());
  return losers;
}

}  // namespace arxivc::prepare
