#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "arxivc/core/sha256.hpp"

namespace arxivc::ingest {

// The input file as it lies on disk, read once from start to end. Every byte read is hashed and
// counted on the way, so the source's SHA-256 and size come without a second pass over the file.
class SourceFile {
 public:
  // Throws InputError when the file is missing, is a directory or cannot be opened.
  explicit SourceFile(std::filesystem::path path);
  ~SourceFile();
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Up to `size` bytes from the start of the file (fewer only when the file is shorter), left for
  // read() to return again. Must be called before the first read().
  std::string_view peek(std::size_t size);

  // Copies up to `capacity` bytes into `out`; returns 0 only at the end of the file.
  // Throws InputError when reading fails.
  std::size_t read(char* out, std::size_t capacity);

  // Reads whatever the decoder left unread (the rest of a zip archive), so that hash and size cover
  // the whole file.
  void read_to_end();

  std::uint64_t bytes_read() const { return bytes_read_; }

  // The SHA-256 of all bytes read; call once, after read_to_end().
  std::string sha256_hex() { return hash_.hex_digest(); }

 private:
  std::size_t read_from_disk(char* out, std::size_t capacity);

  std::filesystem::path path_;
  int descriptor_ = -1;
  Sha256 hash_;
  std::string peeked_;
  std::size_t peeked_consumed_ = 0;
  std::uint64_t bytes_read_ = 0;
};

}  // namespace arxivc::ingest
