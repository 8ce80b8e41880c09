#include "source_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include "arxivc/core/error.hpp"
#include "arxivc/core/trace.hpp"

namespace arxivc::ingest {
namespace {

std::string system_message(int error_number) { return std::generic_category().message(error_number); }

}  // namespace

SourceFile::SourceFile(std::filesystem::path path) : path_(std::move(path)) {
  descriptor_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor_ < 0) {
    const int error_number = errno;
    throw InputError(path_, "cannot open: " + system_message(error_number));
  }
  struct stat status {};
  if (::fstat(descriptor_, &status) != 0) {
    const int error_number = errno;
    ::close(descriptor_);
    throw InputError(path_, "cannot inspect: " + system_message(error_number));
  }
  if (S_ISDIR(status.st_mode)) {
    ::close(descriptor_);
    throw InputError(path_, "is a directory, expected a metadata file");
  }
  // The kernel may read ahead more aggressively for a file read once, front to back.
  ::posix_fadvise(descriptor_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

SourceFile::~SourceFile() { ::close(descriptor_); }

std::string_view SourceFile::peek(std::size_t size) {
  while (peeked_.size() < size) {
    const std::size_t have = peeked_.size();
    peeked_.resize(size);
    const std::size_t got = read_from_disk(peeked_.data() + have, size - have);
    peeked_.resize(have + got);
    if (got == 0) break;
  }
  return std::string_view(peeked_).substr(0, std::min(size, peeked_.size()));
}

std::size_t SourceFile::read(char* out, std::size_t capacity) {
  if (peeked_consumed_ < peeked_.size()) {
    const std::size_t count = std::min(capacity, peeked_.size() - peeked_consumed_);
    std::memcpy(out, peeked_.data() + peeked_consumed_, count);
    peeked_consumed_ += count;
    return count;
  }
  return read_from_disk(out, capacity);
}

void SourceFile::read_to_end() {
  peeked_consumed_ = peeked_.size();
  std::vector<char> discard(1 << 20);
  while (read_from_disk(discard.data(), discard.size()) != 0) {
  }
}

std::size_t SourceFile::read_from_disk(char* out, std::size_t capacity) {
  TraceSpan span("read_file", "ingest");
  while (true) {
    const ssize_t got = ::read(descriptor_, out, capacity);
    if (got >= 0) {
      const auto count = static_cast<std::size_t>(got);
      span.arg("bytes", count);
      TraceSpan hashing("sha256", "ingest");
      hash_.update(out, count);
      bytes_read_ += count;
      return count;
    }
    if (errno != EINTR) {
      const int error_number = errno;
      throw InputError(path_, "cannot read: " + system_message(error_number));
    }
  }
}

}  // namespace arxivc::ingest
