#include "chunk.hpp"

#include <cstring>

namespace arxivc::ingest {

void ChunkBuffer::reserve(std::size_t capacity) {
  if (capacity <= capacity_) return;
  auto grown = std::make_unique_for_overwrite<char[]>(capacity + kParserPadding);
  if (size_ > 0) std::memcpy(grown.get(), storage_.get(), size_);
  // The parser never interprets the padding, but it is read: keep it initialised.
  std::memset(grown.get() + capacity, 0, kParserPadding);
  storage_ = std::move(grown);
  capacity_ = capacity;
}

void ChunkBuffer::reset(std::size_t capacity) {
  storage_.reset();
  capacity_ = 0;
  size_ = 0;
  reserve(capacity);
}

}  // namespace arxivc::ingest
