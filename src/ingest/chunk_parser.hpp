#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "arxivc/ingest/reader.hpp"
#include "chunk.hpp"
#include "record_parser.hpp"

namespace arxivc::ingest {

inline constexpr std::size_t kSkipReasonCount = 5;

// What one chunk yields: its papers and the account of its lines.
struct ChunkResult {
  std::vector<Paper> papers;  // valid records the transform kept, in line order
  std::uint64_t lines = 0;    // lines that are not blank
  std::uint64_t valid = 0;    // valid records, before the transform
  std::uint64_t dropped = 0;  // valid records the transform rejected
  std::array<std::uint64_t, kSkipReasonCount> skipped_by_reason{};  // indexed by SkipReason
  std::vector<SkippedLine> first_skipped;  // the chunk's first bad lines, up to the reporting limit
};

// Parses every line of `chunk`. Blank lines (whitespace only, CR included) are passed over.
// Runs `transform` (when set) on each valid paper; its exceptions propagate.
ChunkResult parse_chunk(const Chunk& chunk, RecordParser& parser, const PaperTransform& transform,
                        std::size_t max_reported);

}  // namespace arxivc::ingest
