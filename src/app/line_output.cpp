#include "arxivc/app/line_output.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/error.hpp"

namespace arxivc::app {

LineOutput::LineOutput(const std::filesystem::path& path) : final_(path) {
  if (path.empty() || path == "-") {
    file_ = stdout;
    return;
  }
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (std::filesystem::is_character_file(status) || std::filesystem::is_fifo(status)) {
    // A device or a pipe (/dev/null) is written in place: renaming over it would replace it.
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) throw Error(fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
    return;
  }
  temporary_ = temporary_path_for(path);
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (file_ == nullptr)
    throw Error(fmt::format("cannot create {}: {}", temporary_.string(), std::strerror(errno)));
}

LineOutput::~LineOutput() {
  if (file_ != nullptr && file_ != stdout) {
    std::fclose(file_);
    std::error_code ignored;
    if (!temporary_.empty()) std::filesystem::remove(temporary_, ignored);
  }
}

void LineOutput::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
    const int error = errno;
    throw Error(
        fmt::format("cannot write {}: {}",
                    final_.empty() || final_ == "-" ? std::string("standard output") : final_.string(),
                    std::strerror(error)));
  }
}

void LineOutput::commit() {
  if (file_ == stdout) {
    if (std::fflush(stdout) != 0)
      throw Error(fmt::format("cannot write standard output: {}", std::strerror(errno)));
    return;
  }
  const bool in_place = temporary_.empty();
  // Flushed to the disk before the rename, so that the final name never holds a file the disk lost.
  const bool written = std::fflush(file_) == 0 && (in_place || ::fsync(::fileno(file_)) == 0);
  const int write_error = errno;
  if (std::fclose(file_) != 0 || !written) {
    file_ = nullptr;
    std::error_code ignored;
    if (!in_place) std::filesystem::remove(temporary_, ignored);
    throw Error(
        fmt::format("cannot write {}: {}", final_.string(), std::strerror(written ? errno : write_error)));
  }
  file_ = nullptr;
  if (in_place) return;
  std::error_code error;
  std::filesystem::rename(temporary_, final_, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
    throw Error(
        fmt::format("cannot rename {} to {}: {}", temporary_.string(), final_.string(), error.message()));
  }
}

bool first_json_line_has(const std::filesystem::path& file, std::initializer_list<std::string_view> keys) {
  // At most the first MB: the file is whatever the user named, perhaps gigabytes without a newline.
  constexpr std::size_t kMaxLine = 1 << 20;
  std::ifstream in(file, std::ios::binary);
  std::string line(kMaxLine, '\0');
  in.read(line.data(), static_cast<std::streamsize>(line.size()));
  line.resize(static_cast<std::size_t>(in.gcount()));
  const auto newline = line.find('\n');
  if (newline == std::string::npos && line.size() == kMaxLine) return false;
  line.resize(std::min(newline, line.size()));
  const auto json = nlohmann::json::parse(line, nullptr, false);
  if (!json.is_object()) return false;
  for (const auto key : keys) {
    if (!json.contains(key)) return false;
  }
  return true;
}

}  // namespace arxivc::app
