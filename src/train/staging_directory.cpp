#include "arxivc/train/staging_directory.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/error.hpp"

namespace arxivc::train {
namespace {

// Removes everything inside `dir` but keeps the directory itself (its lock stays held).
void clear_contents(const std::filesystem::path& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    std::filesystem::remove_all(entry.path());
}

// Hard-links (or copies) each file of `from` into `to`.
void carry_over(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::create_directories(to);
  for (const auto& entry : std::filesystem::directory_iterator(from)) {
    if (!entry.is_regular_file()) continue;
    const auto target = to / entry.path().filename();
    std::error_code ec;
    std::filesystem::create_hard_link(entry.path(), target, ec);
    if (ec)
      std::filesystem::copy_file(entry.path(), target, std::filesystem::copy_options::overwrite_existing);
  }
}

}  // namespace

std::filesystem::path StagingDirectory::staging_path_for(const std::filesystem::path& final_path) {
  auto name = final_path.filename();
  if (name.empty()) name = final_path.parent_path().filename();  // "models/x/"
  const auto parent = final_path.has_parent_path() ? final_path.parent_path() : std::filesystem::path(".");
  return parent / fmt::format(".{}.partial", name.string());
}

StagingDirectory::StagingDirectory(std::filesystem::path final_path, bool keep_checkpoints)
    : final_(std::move(final_path)), staging_(staging_path_for(final_)) {
  std::filesystem::create_directories(staging_);
  lock_fd_ = ::open(staging_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock_fd_ < 0) {
    throw Error(fmt::format("cannot open {}: {}", staging_.string(), std::strerror(errno)));
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw UsageError(fmt::format(
        "{} is being written by another arxivc train (its staging directory {} is locked); wait for it "
        "to finish or choose another --output",
        final_.string(), staging_.string()));
  }
  const auto staged_last = checkpoints() / "last.json";
  if (!keep_checkpoints) {
    if (!std::filesystem::is_empty(staging_)) {
      spdlog::info("removing what an interrupted run left in {}", staging_.string());
      clear_contents(staging_);
    }
    return;
  }
  if (std::filesystem::exists(staged_last)) {
    spdlog::info("resuming from the checkpoints of an interrupted run in {}", checkpoints().string());
    // Keep only the checkpoints: model files of an interrupted run's last steps are rebuilt.
    for (const auto& entry : std::filesystem::directory_iterator(staging_)) {
      if (entry.path().filename() != "checkpoints") std::filesystem::remove_all(entry.path());
    }
    return;
  }
  clear_contents(staging_);
  if (std::filesystem::exists(final_ / "checkpoints" / "last.json")) {
    carry_over(final_ / "checkpoints", checkpoints());
  }
}

StagingDirectory::~StagingDirectory() {
  // An uncommitted staging directory is kept on purpose: its checkpoints let --resume continue.
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void StagingDirectory::commit() {
  if (committed_) return;
  replace_directory(staging_, final_);
  committed_ = true;
  ::close(lock_fd_);
  lock_fd_ = -1;
}

}  // namespace arxivc::train
