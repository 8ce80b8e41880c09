#include "streamed_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "arxivc/core/error.hpp"

namespace arxivc::dataset {

StreamedFile::StreamedFile(std::filesystem::path path) : path_(std::move(path)), buffer_(4 << 20) {
  const auto parent = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  static std::atomic<unsigned> counter{0};
  temporary_ = parent / fmt::format(".{}.tmp-{}-{}", path_.filename().string(), ::getpid(), counter++);
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(fmt::format("cannot create {}: {}", temporary_.string(), std::strerror(errno)));
}

StreamedFile::~StreamedFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temporary_.c_str());
  }
}

void StreamedFile::write(std::string_view bytes) {
  written_ += bytes.size();
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), buffer_.size() - buffered_);
    std::memcpy(buffer_.data() + buffered_, bytes.data(), n);
    buffered_ += n;
    bytes.remove_prefix(n);
    if (buffered_ == buffer_.size()) flush();
  }
}

void StreamedFile::flush() {
  hash_.update(buffer_.data(), buffered_);
  const char* data = buffer_.data();
  std::size_t left = buffered_;
  while (left > 0) {
    const ssize_t n = ::write(fd_, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write");
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  buffered_ = 0;
}

std::string StreamedFile::commit() {
  flush();
  if (::fsync(fd_) != 0) fail("cannot write");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    ::unlink(temporary_.c_str());
    throw Error(fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno)));
  }
  if (::rename(temporary_.c_str(), path_.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary_.c_str());
    throw Error(
        fmt::format("cannot rename {} to {}: {}", temporary_.string(), path_.string(), std::strerror(error)));
  }
  const auto parent = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  const int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return hash_.hex_digest();
}

void StreamedFile::fail(const std::string& what) {
  throw Error(fmt::format("{} {}: {}", what, path_.string(), std::strerror(errno)));
}

}  // namespace arxivc::dataset
