#pragma once

// Where `arxivc train` builds a model directory before it replaces the old one in one step.
//
// The new directory is built in a hidden sibling, `.<name>.partial`, locked (flock) for the whole run so
// that two runs cannot write the same output. Its checkpoints survive a killed run: `--resume` continues
// from them, and any other run clears what a killed run left there. commit() swaps the finished
// directory with the old one (renameat2 RENAME_EXCHANGE) and removes the old one, so the output path
// always holds a whole model, old or new, and a process still serving the old files keeps them.

#include <filesystem>

namespace arxivc::train {

class StagingDirectory {
 public:
  // Creates or reuses `.<name>.partial` beside `final_path` and locks it. Throws UsageError when another
  // process holds the lock. Without `keep_checkpoints`, clears whatever a killed run left inside; with
  // it, and when the staging area holds no checkpoint yet, carries over the checkpoints of the existing
  // model directory at `final_path` (hard links, or copies across file systems).
  StagingDirectory(std::filesystem::path final_path, bool keep_checkpoints);
  ~StagingDirectory();
  StagingDirectory(const StagingDirectory&) = delete;
  StagingDirectory& operator=(const StagingDirectory&) = delete;

  const std::filesystem::path& path() const { return staging_; }
  const std::filesystem::path& final_path() const { return final_; }
  std::filesystem::path checkpoints() const { return staging_ / "checkpoints"; }

  // Makes the staging directory the model at final_path in one step and releases the lock.
  void commit();

  // ".<name>.partial" beside `final_path`.
  static std::filesystem::path staging_path_for(const std::filesystem::path& final_path);

 private:
  std::filesystem::path final_;
  std::filesystem::path staging_;
  int lock_fd_ = -1;
  bool committed_ = false;
};

}  // namespace arxivc::train
