#pragma once

#include <filesystem>
#include <string_view>

namespace arxivc {

// How log lines look. `text`: `info message` for people at a terminal. `json`: one JSON object per line
// with the fields Google Cloud Logging (and most log collectors) read: `severity`, `message`, `time`.
enum class LogFormat { text, json };

// "text" or "json"; throws UsageError naming the accepted values otherwise.
LogFormat parse_log_format(std::string_view name);

// Sets up the process logger: lines on stderr at `level` ("trace", "debug", "info", "warn", "error",
// "off") in `format`. Throws UsageError for an unknown level.
void init_logging(std::string_view level, LogFormat format = LogFormat::text);

// The format init_logging was last called with.
LogFormat log_format();

// Also writes every log line (at debug level and above) to `file`, e.g. a run directory's log. The file
// always gets timestamped text lines, whatever the console's format.
void add_log_file(const std::filesystem::path& file);

}  // namespace arxivc
