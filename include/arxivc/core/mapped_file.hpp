#pragma once

// A whole file mapped read-only into memory (mmap), unmapped on destruction. Model files and dataset
// splits are read through it: no copy of the bytes, and the pages come straight from the page cache.

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace arxivc {

class MappedFile {
 public:
  // Throws arxivc::Error naming the file when it cannot be opened, is not a regular file or cannot be
  // mapped. `populate` reads every page in at once (for callers that read the whole file anyway).
  static MappedFile open(const std::filesystem::path& file, bool populate = true);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const char* data() const { return static_cast<const char*>(data_); }
  std::size_t size() const { return size_; }
  std::string_view bytes() const { return {data(), size_}; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace arxivc
