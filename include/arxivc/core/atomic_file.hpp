#pragma once

#include <filesystem>
#include <string_view>

namespace arxivc {

// A hidden temporary name beside `final_path`, `.<name>.tmp-<pid>-<random>`, unique to this call; what a
// killed process left under such names is removed by remove_stale_temporaries (core/output_path.hpp).
std::filesystem::path temporary_path_for(const std::filesystem::path& final_path);

// Writes `content` to `path` atomically: a temporary file beside it, fsync, then rename.
// A reader never sees a half-written file; an interrupted write leaves the old file (or none).
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Puts the directory `staging` at `final_path` in one step: when final_path exists the two are swapped
// atomically (renameat2 RENAME_EXCHANGE) and the old one is then removed, so a reader sees the old
// directory or the new one, never a mix, and a process still using the old files keeps them. Both must
// be on one file system (siblings are).
void replace_directory(const std::filesystem::path& staging, const std::filesystem::path& final_path);

// A directory that becomes visible under its final name only when commit() is called.
// Files are written into a hidden temporary sibling; commit() renames it over `final_path`
// (replacing an existing directory of that name: replace_directory). Destroyed without commit, it removes the
// temporary.
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
