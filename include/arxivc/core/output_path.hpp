#pragma once

// The checks every command makes before it writes an output path, so that no command can destroy data
// it was not asked to replace: an output may replace only an earlier output of the same command (unless
// forced), and never an input, a directory holding an input, or anything inside an input directory.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace arxivc {

struct OutputRule {
  std::string option = "--output";  // how the user names the output, for messages
  std::string what;                 // what the command writes: "dataset directory", "model directory", ...
  bool directory = true;            // the output is a directory (otherwise a file)
  // True when an existing path is an earlier output of this command (e.g. holds manifest.json).
  std::function<bool(const std::filesystem::path&)> is_earlier_output;
  std::string force_option = "--force";  // empty: the output has no way to force a replacement
};

// Throws UsageError (exit 2) when `output` is, contains or lies inside one of `inputs` (compared after
// resolving symbolic links and ., .., and by device and inode for hard links); when it exists and is not
// an earlier output of the same command and `force` is false; and when it is of the wrong kind (a file
// where a directory goes, or the reverse), even with `force`. The message says what is there and how
// to proceed. Inputs that are empty or "-" (standard input) are skipped. A file output may be an existing
// character device or FIFO (/dev/null), which the command writes in place.
void check_output_path(const std::filesystem::path& output, const std::vector<std::filesystem::path>& inputs,
                       const OutputRule& rule, bool force);

// "a directory holding 3 entries (notes.txt, ...)", "a file of 1,204 bytes", ... for messages.
std::string describe_existing_path(const std::filesystem::path& path);

// Removes what killed runs left beside `final_path`: the hidden temporaries `.<name>.tmp-<pid>-*` and
// `.<name>.old-<pid>-*` of processes that no longer run. Returns how many were removed.
std::size_t remove_stale_temporaries(const std::filesystem::path& final_path);

}  // namespace arxivc
