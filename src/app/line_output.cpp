#include "arxivc/app/line_output.hpp"

#include <fmt/format.h>

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
  temporary_ = temporary_path_for(path);
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (file_ == nullptr)
    throw Error(fmt::format("cannot create {}: {}", temporary_.string(), std::strerror(errno)));
}

LineOutput::~LineOutput() {
  if (file_ != nullptr && file_ != stdout) {
    std::fclose(file_);
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }
}

void LineOutput::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
    throw Error(
        fmt::format("cannot write {}", final_.empty() ? std::string("standard output") : final_.string()));
  }
}

void LineOutput::commit() {
  if (file_ == stdout) {
    if (std::fflush(stdout) != 0) throw Error("cannot write standard output");
    return;
  }
  if (std::fflush(file_) != 0 || std::fclose(file_) != 0) {
    file_ = nullptr;
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
    throw Error(fmt::format("cannot write {}", final_.string()));
  }
  file_ = nullptr;
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
  std::ifstream in(file, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line)) return false;
  const auto json = nlohmann::json::parse(line, nullptr, false);
  if (!json.is_object()) return false;
  for (const auto key : keys) {
    if (!json.contains(key)) return false;
  }
  return true;
}

}  // namespace arxivc::app
