#include "arxivc/core/output_path.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <charconv>

#include "arxivc/core/error.hpp"

namespace arxivc {
namespace {

namespace fs = std::filesystem;

// The absolute path with symbolic links resolved as far as the path exists.
fs::path resolved(const fs::path& path) {
  std::error_code ec;
  auto result = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? fs::absolute(path) : result;
}

bool is_within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec) && !ec;
}

bool process_is_running(long pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

std::string describe_existing_path(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  if (ec || !fs::exists(status)) return "nothing";
  if (fs::is_symlink(status)) {
    return fmt::format("a symbolic link to {}", fs::read_symlink(path, ec).string());
  }
  if (fs::is_regular_file(status)) return fmt::format("a file of {} bytes", fs::file_size(path, ec));
  if (fs::is_directory(status)) {
    std::vector<std::string> names;
    std::size_t count = 0;
    // Counted up to a bound: a message must not wait for a walk of millions of entries.
    constexpr std::size_t kCounted = 10000;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (++count <= 3) names.push_back(entry.path().filename().string());
      if (count == kCounted) break;
    }
    if (count == 0) return "an empty directory";
    return fmt::format("a directory holding {}{} entr{} ({}{})", count, count == kCounted ? " or more" : "",
                       count == 1 ? "y" : "ies", fmt::join(names, ", "), count > 3 ? ", ..." : "");
  }
  return "a special file";
}

void check_output_path(const fs::path& output, const std::vector<fs::path>& inputs, const OutputRule& rule,
                       bool force) {
  const fs::path out = resolved(output);
  for (const auto& input : inputs) {
    if (input.empty() || input == "-") continue;
    const fs::path in = resolved(input);
    std::string relation;
    if (out == in || same_file(output, input)) {
      relation = "is";
    } else if (is_within(in, out)) {
      relation = "contains";
    } else if (is_within(out, in)) {
      relation = "lies inside";
    }
    if (!relation.empty()) {
      throw UsageError(
          fmt::format("{} {} {} the input {}: writing it would destroy the input; choose "
                      "another {}",
                      rule.option, output.string(), relation, input.string(), rule.option));
    }
  }

  std::error_code ec;
  const auto status = fs::symlink_status(output, ec);
  if (ec || !fs::exists(status)) return;
  const bool is_directory = fs::is_directory(status);
  if (rule.directory && !is_directory) {
    throw UsageError(fmt::format("{} {} is {}, not a directory; a {} goes there: choose another path",
                                 rule.option, output.string(), describe_existing_path(output), rule.what));
  }
  // A device or a pipe (/dev/null, a FIFO) is written in place, never replaced.
  if (!rule.directory && (fs::is_character_file(status) || fs::is_fifo(status))) return;
  if (!rule.directory && (is_directory || !(fs::is_regular_file(status) || fs::is_symlink(status)))) {
    throw UsageError(fmt::format("{} {} is {}, not a file: choose another path", rule.option, output.string(),
                                 describe_existing_path(output)));
  }
  if (force) return;
  if (is_directory && fs::is_empty(output, ec) && !ec) return;
  if (rule.is_earlier_output && rule.is_earlier_output(output)) return;
  const std::string ways =
      rule.force_option.empty()
          ? "Choose another path or remove it yourself"
          : fmt::format("Choose another path, remove it yourself, or pass {} to replace it",
                        rule.force_option);
  throw UsageError(fmt::format("{} {} is {} that is not a {} written by arxivc; refusing to replace it. {}",
                               rule.option, output.string(), describe_existing_path(output), rule.what,
                               ways));
}

std::size_t remove_stale_temporaries(const fs::path& final_path) {
  fs::path target = final_path;
  if (target.filename().empty()) target = target.parent_path();
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string name = target.filename().string();
  std::size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string file = entry.path().filename().string();
    for (const std::string_view kind : {".tmp-", ".old-"}) {
      const std::string prefix = fmt::format(".{}{}", name, kind);
      if (!file.starts_with(prefix)) continue;
      long pid = 0;
      const char* begin = file.data() + prefix.size();
      const auto [end, error] = std::from_chars(begin, file.data() + file.size(), pid);
      if (error != std::errc() || end == begin || *end != '-' || process_is_running(pid)) continue;
      std::error_code remove_error;
      fs::remove_all(entry.path(), remove_error);
      if (!remove_error) {
        spdlog::info("removed {}, left by an interrupted run (process {})", entry.path().string(), pid);
        ++removed;
      }
    }
  }
  return removed;
}

}  // namespace arxivc
