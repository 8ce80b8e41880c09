#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/core/sha256.hpp"

namespace arxivc::dataset {

// A file written piece by piece that appears under its name only once complete, with the guarantees of
// arxivc::write_file_atomic (temporary file beside it, fsync, rename), for split files too large to
// assemble in memory first: a 500 MB buffer would double the memory of a preparation. Hashes what it
// writes.
class StreamedFile {
 public:
  explicit StreamedFile(std::filesystem::path path);
  ~StreamedFile();  // without commit(), removes the temporary file
  StreamedFile(const StreamedFile&) = delete;
  StreamedFile& operator=(const StreamedFile&) = delete;

  void write(std::string_view bytes);
  std::uint64_t written() const { return written_; }
  // Flushes, syncs and renames the file to its name. Returns the SHA-256 of its content.
  std::string commit();

 private:
  void flush();
  [[noreturn]] void fail(const std::string& what);

  std::filesystem::path path_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  std::vector<char> buffer_;
  std::size_t buffered_ = 0;
  std::uint64_t written_ = 0;
  Sha256 hash_;
};

}  // namespace arxivc::dataset
