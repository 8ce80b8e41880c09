#include "arxivc/core/logging.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "arxivc/core/error.hpp"

namespace arxivc {

void init_logging(std::string_view level) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  // from_str maps unknown names to "off"; only accept "off" when it was asked for.
  if (parsed == spdlog::level::off && level != "off") {
    throw UsageError(
        fmt::format("unknown log level '{}' (use trace, debug, info, warn, error or off)", level));
  }
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  console->set_pattern("%^%l%$ %v");
  console->set_level(parsed);
  auto logger = std::make_shared<spdlog::logger>("arxivc", spdlog::sinks_init_list{console});
  logger->set_level(std::min(parsed, spdlog::level::debug));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

void add_log_file(const std::filesystem::path& file) {
  auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string(), true);
  sink->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
  sink->set_level(spdlog::level::debug);
  spdlog::default_logger()->sinks().push_back(sink);
}

}  // namespace arxivc
