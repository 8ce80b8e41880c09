#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "byte_source.hpp"
#include "chunk.hpp"

namespace arxivc::ingest {

// Cuts the decompressed input into chunks of about `chunk_bytes` that end at a line break, so that
// chunks can be parsed independently. A chunk grows beyond `chunk_bytes` when one line is longer.
class LineChunker {
 public:
  LineChunker(ByteSource& source, std::size_t chunk_bytes);

  // Fills `chunk` with the next lines, reusing its buffer. Returns false at the end of the input.
  // The last chunk may end without a line break (a file whose last line is unterminated or cut).
  bool next(Chunk& chunk);

  // Decompressed bytes read so far.
  std::uint64_t bytes() const { return bytes_; }

 private:
  ByteSource& source_;
  std::size_t chunk_bytes_;
  std::string carry_;  // the start of a line that did not fit in the previous chunk
  bool source_ended_ = false;
  std::uint64_t next_index_ = 0;
  std::uint64_t next_line_ = 1;
  std::uint64_t bytes_ = 0;
};

}  // namespace arxivc::ingest
