#include "line_chunker.hpp"

#include <algorithm>
#include <cstring>

namespace arxivc::ingest {
namespace {

// memchr is vectorised in libc whatever this file's optimisation level; lines are long enough
// (about 1.4 KB in the snapshot) that the call per line costs little.
std::uint64_t count_line_breaks(const char* begin, const char* end) {
  std::uint64_t count = 0;
  while (const void* found = std::memchr(begin, '\n', static_cast<std::size_t>(end - begin))) {
    ++count;
    begin = static_cast<const char*>(found) + 1;
  }
  return count;
}

}  // namespace

LineChunker::LineChunker(ByteSource& source, std::size_t chunk_bytes)
    : source_(source), chunk_bytes_(std::max<std::size_t>(chunk_bytes, 1)) {}

bool LineChunker::next(Chunk& chunk) {
  if (source_ended_ && carry_.empty()) return false;
  ChunkBuffer& buffer = chunk.buffer;
  // A buffer that grew for a long line goes back to the usual size, so memory stays bounded.
  if (buffer.capacity() < chunk_bytes_ || buffer.capacity() > 2 * chunk_bytes_) buffer.reset(chunk_bytes_);
  buffer.reserve(carry_.size() + 1);
  std::memcpy(buffer.data(), carry_.data(), carry_.size());
  std::size_t size = carry_.size();
  carry_.clear();
  std::size_t searched = 0;  // bytes already known to hold no line break
  while (true) {
    while (size < buffer.capacity() && !source_ended_) {
      const std::size_t got = source_.read(buffer.data() + size, buffer.capacity() - size);
      source_ended_ = got == 0;
      size += got;
      bytes_ += got;
    }
    if (source_ended_) break;
    const void* last_break = ::memrchr(buffer.data() + searched, '\n', size - searched);
    if (last_break != nullptr) {
      const std::size_t end =
          static_cast<std::size_t>(static_cast<const char*>(last_break) - buffer.data()) + 1;
      carry_.assign(buffer.data() + end, size - end);
      size = end;
      break;
    }
    searched = size;
    buffer.set_size(size);
    buffer.reserve(2 * buffer.capacity());
  }
  if (size == 0) return false;
  buffer.set_size(size);
  std::memset(buffer.data() + size, 0, kParserPadding);
  chunk.index = next_index_++;
  chunk.first_line = next_line_;
  next_line_ += count_line_breaks(buffer.data(), buffer.data() + size);
  return true;
}

}  // namespace arxivc::ingest
