#pragma once

// Papers that appear more than once (the same id on several lines).

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace arxivc::prepare {

struct DedupEntry {
  std::string_view id;
  std::uint32_t update_day = 0;  // YYYYMMDD; 0 (unknown) loses to any date
};

// The positions (ascending) of the entries that another entry of the same id replaces. Of each id, the
// entry with the latest update_day is kept; among equal dates, the one that comes last. Deterministic: it
// depends only on the entries and their order.
std::vector<std::size_t> find_duplicates(std::span<const DedupEntry> entries);

}  // namespace arxivc::prepare
