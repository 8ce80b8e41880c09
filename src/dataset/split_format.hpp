#pragma once

// The binary layout of a split file (docs/dataset-format.md), shared by its writer and its reader.

#include <bit>
#include <cstdint>
#include <optional>

namespace arxivc::dataset::format {

static_assert(std::endian::native == std::endian::little,
              "split files are little-endian and memory-mapped as they are");

inline constexpr char kMagic[8] = {'A', 'R', 'X', 'C', 'D', 'S', '0', '1'};
inline constexpr std::uint32_t kVersion = 1;

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t header_bytes;
  std::uint64_t example_count;
  std::uint64_t label_entry_count;  // label ids over all examples
  std::uint64_t text_bytes;
  std::uint64_t text_offsets_at;   // (3 * example_count + 1) uint64
  std::uint64_t label_offsets_at;  // (example_count + 1) uint64
  std::uint64_t label_ids_at;      // label_entry_count uint32
  std::uint64_t months_at;         // example_count uint32
  std::uint64_t text_at;           // text_bytes bytes
  std::uint64_t file_bytes;
};
static_assert(sizeof(Header) == 88);

// Where every section lies for these counts: one after the other from the end of the header, each
// starting at a multiple of 8, the file padded with zeros to a multiple of 8. None when the sizes overflow.
std::optional<Header> layout(std::uint64_t example_count, std::uint64_t label_entry_count,
                             std::uint64_t text_bytes);

}  // namespace arxivc::dataset::format
