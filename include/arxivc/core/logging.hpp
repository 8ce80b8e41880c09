#pragma once

#include <filesystem>
#include <string_view>

namespace arxivc {

// Sets up the process logger: human-readable lines on stderr at `level`
// ("trace", "debug", "info", "warn", "error", "off"). Throws UsageError for an unknown level.
void init_logging(std::string_view level);

// Also writes every log line (at debug level and above) to `file`, e.g. a run directory's log.
void add_log_file(const std::filesystem::path& file);

}  // namespace arxivc
