#pragma once

#include <cstdint>
#include <string>

namespace arxivc::ingest {

// One valid record of arXiv metadata, with the fields the pipeline uses. Strings are the decoded JSON
// values (escapes resolved), valid UTF-8.
struct Paper {
  std::string id;  // "0704.0001" or "hep-th/9110025"
  std::string title;
  std::string abstract;
  std::string categories;   // space-separated, primary first, as in the source (not yet normalised)
  std::string update_date;  // "YYYY-MM-DD", empty when absent
  std::uint64_t line = 0;   // 1-based line number in the (decompressed) input
};

}  // namespace arxivc::ingest
