#include "arxivc/core/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "arxivc/core/error.hpp"

namespace arxivc {
namespace {

std::string unique_suffix() {
  std::random_device rd;
  return fmt::format("{}-{:08x}", ::getpid(), rd());
}

void fsync_path(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

std::filesystem::path temporary_path_for(const std::filesystem::path& final_path) {
  const auto parent = final_path.has_parent_path() ? final_path.parent_path() : std::filesystem::path(".");
  return parent / fmt::format(".{}.tmp-{}", final_path.filename().string(), unique_suffix());
}

void write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  const auto parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  const auto tmp = temporary_path_for(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error(fmt::format("cannot create {}: {}", tmp.string(), std::strerror(errno)));
  }
  const char* data = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot rename {} to {}: {}", tmp.string(), path.string(), std::strerror(err)));
  }
  fsync_path(parent, O_RDONLY | O_DIRECTORY);
}

AtomicDirectory::AtomicDirectory(std::filesystem::path final_path) : final_(std::move(final_path)) {
  if (final_.filename().empty()) final_ = final_.parent_path();
  const auto parent = final_.has_parent_path() ? final_.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) throw Error(fmt::format("cannot create directory {}: {}", parent.string(), ec.message()));
  staging_ = temporary_path_for(final_);
  std::filesystem::create_directory(staging_, ec);
  if (ec) throw Error(fmt::format("cannot create directory {}: {}", staging_.string(), ec.message()));
}

AtomicDirectory::~AtomicDirectory() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove_all(staging_, ec);
  }
}

void AtomicDirectory::commit() {
  for (const auto& entry : std::filesystem::directory_iterator(staging_)) {
    if (entry.is_regular_file()) fsync_path(entry.path(), O_RDONLY);
  }
  replace_directory(staging_, final_);
  committed_ = true;
}

void replace_directory(const std::filesystem::path& staging, const std::filesystem::path& final_path) {
  const auto parent = final_path.has_parent_path() ? final_path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(final_path, ec))) {
    // One step: the two names swap, so final_path always holds a whole directory, old or new.
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, final_path.c_str(), RENAME_EXCHANGE) == 0) {
      fsync_path(parent, O_RDONLY | O_DIRECTORY);
      std::filesystem::remove_all(staging, ec);  // now the old directory
      return;
    }
    if (errno != EINVAL && errno != ENOSYS) {
      throw Error(fmt::format("cannot replace {} with {}: {}", final_path.string(), staging.string(),
                              std::strerror(errno)));
    }
    // A file system without RENAME_EXCHANGE: move the old directory aside first, so the final name is
    // missing for a moment but never half-written.
    const auto old = parent / fmt::format(".{}.old-{}", final_path.filename().string(), unique_suffix());
    std::filesystem::rename(final_path, old, ec);
    if (ec) throw Error(fmt::format("cannot replace {}: {}", final_path.string(), ec.message()));
    std::filesystem::rename(staging, final_path, ec);
    if (ec) {
      std::error_code ignored;
      std::filesystem::rename(old, final_path, ignored);
      throw Error(
          fmt::format("cannot rename {} to {}: {}", staging.string(), final_path.string(), ec.message()));
    }
    fsync_path(parent, O_RDONLY | O_DIRECTORY);
    std::filesystem::remove_all(old, ec);
    return;
  }
  std::filesystem::rename(staging, final_path, ec);
  if (ec) {
    throw Error(
        fmt::format("cannot rename {} to {}: {}", staging.string(), final_path.string(), ec.message()));
  }
  fsync_path(parent, O_RDONLY | O_DIRECTORY);
}

}  // namespace arxivc
