#pragma once

#include <map>
#include <span>
#include <string_view>
#include <vector>

namespace arxivc::prepare {

// The positions of each stratum, strata in code order and positions ascending: the deterministic order
// in which sampling and splitting visit them.
inline std::map<std::string_view, std::vector<std::size_t>> group_by_stratum(
    std::span<const std::string_view> strata, std::span<const std::size_t> positions) {
  std::map<std::string_view, std::vector<std::size_t>> groups;
  for (const std::size_t position : positions) groups[strata[position]].push_back(position);
  return groups;
}

}  // namespace arxivc::prepare
