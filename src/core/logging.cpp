#include "arxivc/core/logging.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>

#include "arxivc/core/error.hpp"

namespace arxivc {
namespace {

std::atomic<LogFormat> current_format{LogFormat::text};

std::string_view severity_of(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return "DEBUG";
    case spdlog::level::info:
      return "INFO";
    case spdlog::level::warn:
      return "WARNING";
    case spdlog::level::err:
      return "ERROR";
    case spdlog::level::critical:
      return "CRITICAL";
    default:
      return "DEFAULT";
  }
}

// {"severity":"WARNING","message":"...","time":"2026-12-03T15:04:05.123456Z"}: the severity and message
// fields Cloud Logging reads from a JSON line on stdout or stderr, and an RFC 3339 time in UTC.
class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& out) override {
    const auto since_epoch = message.time.time_since_epoch();
    const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch - seconds).count();
    const std::string text(message.payload.data(), message.payload.size());
    fmt::format_to(std::back_inserter(out),
                   R"({{"severity":"{}","message":{},"time":"{:%Y-%m-%dT%H:%M:%S}.{:06}Z"}})",
                   severity_of(message.level),
                   nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                   std::chrono::sys_seconds(seconds), micros);
    out.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonLineFormatter>(); }
};

}  // namespace

LogFormat parse_log_format(std::string_view name) {
  if (name == "text") return LogFormat::text;
  if (name == "json") return LogFormat::json;
  throw UsageError(fmt::format("unknown log format '{}' (use text or json)", name));
}

void init_logging(std::string_view level, LogFormat format) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  // from_str maps unknown names to "off"; only accept "off" when it was asked for.
  if (parsed == spdlog::level::off && level != "off") {
    throw UsageError(
        fmt::format("unknown log level '{}' (use trace, debug, info, warn, error or off)", level));
  }
  spdlog::sink_ptr console;
  if (format == LogFormat::json) {
    console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    console->set_formatter(std::make_unique<JsonLineFormatter>());
  } else {
    console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_pattern("%^%l%$ %v");
  }
  console->set_level(parsed);
  auto logger = std::make_shared<spdlog::logger>("arxivc", spdlog::sinks_init_list{console});
  logger->set_level(std::min(parsed, spdlog::level::debug));
  logger->flush_on(format == LogFormat::json ? spdlog::level::info : spdlog::level::warn);
  spdlog::set_default_logger(logger);
  current_format.store(format, std::memory_order_relaxed);
}

LogFormat log_format() { return current_format.load(std::memory_order_relaxed); }

void add_log_file(const std::filesystem::path& file) {
  auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string(), true);
  sink->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
  sink->set_level(spdlog::level::debug);
  spdlog::default_logger()->sinks().push_back(sink);
}

}  // namespace arxivc
