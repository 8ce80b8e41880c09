#include "split_format.hpp"

#include <cstring>
#include <limits>

namespace arxivc::dataset::format {
namespace {

// Appends `count` items of `size` bytes at `position`, rounded up to 8; false on overflow.
bool advance(std::uint64_t& position, std::uint64_t count, std::uint64_t size) {
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max() - 8;
  if (count > kMax / size) return false;
  const std::uint64_t bytes = count * size;
  if (bytes > kMax - position) return false;
  position = (position + bytes + 7) / 8 * 8;
  return true;
}

}  // namespace

std::optional<Header> layout(std::uint64_t example_count, std::uint64_t label_entry_count,
                             std::uint64_t text_bytes) {
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kVersion;
  header.header_bytes = sizeof(Header);
  header.example_count = example_count;
  header.label_entry_count = label_entry_count;
  header.text_bytes = text_bytes;
  std::uint64_t position = sizeof(Header);
  if (example_count > std::numeric_limits<std::uint64_t>::max() / 4) return std::nullopt;
  header.text_offsets_at = position;
  if (!advance(position, 3 * example_count + 1, 8)) return std::nullopt;
  header.label_offsets_at = position;
  if (!advance(position, example_count + 1, 8)) return std::nullopt;
  header.label_ids_at = position;
  if (!advance(position, label_entry_count, 4)) return std::nullopt;
  header.months_at = position;
  if (!advance(position, example_count, 4)) return std::nullopt;
  header.text_at = position;
  if (!advance(position, text_bytes, 1)) return std::nullopt;
  header.file_bytes = position;
  return header;
}

}  // namespace arxivc::dataset::format
