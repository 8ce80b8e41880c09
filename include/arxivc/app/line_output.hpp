#pragma once

#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <string_view>

namespace arxivc::app {

// Where a command's JSON lines go: standard output directly, or a hidden temporary file beside the target
// (temporary_path_for) that is renamed into place by commit(), so that a failed run never leaves a partial
// output file under the final name (destroyed without commit(), it removes the temporary).
class LineOutput {
 public:
  // `path` empty or "-": standard output.
  explicit LineOutput(const std::filesystem::path& path);
  ~LineOutput();
  LineOutput(const LineOutput&) = delete;
  LineOutput& operator=(const LineOutput&) = delete;

  void write(std::string_view text);
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path temporary_;
  std::FILE* file_ = nullptr;
};

// True when the first line of `file` is a JSON object holding all of `keys`: how a command recognises
// an earlier output of its own (core/output_path.hpp) before replacing it.
bool first_json_line_has(const std::filesystem::path& file, std::initializer_list<std::string_view> keys);

}  // namespace arxivc::app
