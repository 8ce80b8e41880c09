#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace arxivc::ingest {

// Bytes that must be readable after any text handed to the JSON parser (simdjson reads in wide
// blocks); record_parser.cpp checks that this covers SIMDJSON_PADDING.
inline constexpr std::size_t kParserPadding = 64;

// A growable byte buffer followed by kParserPadding readable bytes, so that any line inside it can
// be parsed in place, without a copy.
class ChunkBuffer {
 public:
  ChunkBuffer() = default;

  char* data() { return storage_.get(); }
  const char* data() const { return storage_.get(); }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  // Bytes readable from `position` (inside the buffer) to the end of the padding.
  std::size_t readable_from(const char* position) const {
    return static_cast<std::size_t>(storage_.get() + capacity_ + kParserPadding - position);
  }

  void set_size(std::size_t size) { size_ = size; }
  // Makes room for `capacity` bytes, keeping the current content.
  void reserve(std::size_t capacity);
  // Drops the content and holds exactly `capacity` bytes (to give back the memory of a long line).
  void reset(std::size_t capacity);

 private:
  std::unique_ptr<char[]> storage_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
};

// A run of whole lines of the decompressed input.
struct Chunk {
  std::uint64_t index = 0;       // 0, 1, 2, ... in input order
  std::uint64_t first_line = 1;  // 1-based number of the chunk's first line in the input
  ChunkBuffer buffer;
};

}  // namespace arxivc::ingest
