#pragma once

#include <filesystem>
#include <string_view>

namespace arxivc {

// Writes `content` to `path` atomically: a temporary file beside it, fsync, then rename.
// A reader never sees a half-written file; an interrupted write leaves the old file (or none).
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// A directory that becomes visible under its final name only when commit() is called.
// Files are written into a hidden temporary sibling; commit() renames it over `final_path`
// (replacing an existing directory of that name). Destroyed without commit, it removes the temporary.
class AtomicDirectory {
 public:
  explicit AtomicDirectory(std::filesystem::path final_path);
  ~AtomicDirectory();
  AtomicDirectory(const AtomicDirectory&) = delete;
  AtomicDirectory& operator=(const AtomicDirectory&) = delete;

  // Where to write the directory's files before commit().
  const std::filesystem::path& staging() const { return staging_; }
  const std::filesystem::path& final_path() const { return final_; }
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

}  // namespace arxivc
