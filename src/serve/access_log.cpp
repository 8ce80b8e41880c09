#include "arxivc/serve/access_log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "arxivc/serve/json_text.hpp"

namespace arxivc::serve {
namespace {

std::string_view severity_of(int status) {
  if (status >= 500) return "ERROR";
  if (status >= 400) return "WARNING";
  return "INFO";
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now - seconds).count();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06}Z", std::chrono::sys_seconds(seconds.time_since_epoch()),
                     micros);
}

}  // namespace

std::string access_line(const AccessRecord& record, std::string_view time) {
  std::string line;
  line.reserve(320);
  fmt::format_to(std::back_inserter(line), R"({{"severity":"{}","message":)", severity_of(record.status));
  std::string message;
  message.reserve(record.method.size() + record.path.size() + 5);
  fmt::format_to(std::back_inserter(message), "{} {} {}", record.method, record.path, record.status);
  append_json_string(line, message);
  line += R"(,"httpRequest":{"requestMethod":)";
  append_json_string(line, record.method);
  line += R"(,"requestUrl":)";
  append_json_string(line, record.path);
  // Cloud Logging's HttpRequest: sizes are int64 (strings in JSON), latency a Duration ("0.000142s").
  fmt::format_to(std::back_inserter(line),
                 R"(,"requestSize":"{}","status":{},"responseSize":"{}","latency":"{:.6f}s","protocol":)",
                 record.request_bytes, record.status, record.response_bytes, record.seconds);
  append_json_string(line, record.protocol);
  if (!record.user_agent.empty()) {
    line += R"(,"userAgent":)";
    append_json_string(line, record.user_agent);
  }
  if (!record.remote_ip.empty()) {
    line += R"(,"remoteIp":)";
    append_json_string(line, record.remote_ip);
  }
  line += R"(},"request_id":)";
  append_json_string(line, record.request_id);
  line += R"(,"time":)";
  append_json_string(line, time);
  line += '}';
  return line;
}

AccessLog::AccessLog(bool enabled, LogFormat format) {
  if (!enabled) return;
  // Its own queue and thread: lines wait in memory, blocking only if 8,192 are pending (over half a second
  // of requests at full speed). The queue's slots are built up front, ~400 bytes each: 64k of them cost
  // 26 MB and a tenth of a second of start-up.
  pool_ = std::make_shared<spdlog::details::thread_pool>(8192, 1);
  spdlog::sink_ptr sink;
  if (format == LogFormat::json) {
    sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  } else {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  }
  sink->set_pattern("%v");
  logger_ = std::make_shared<spdlog::async_logger>("access", std::move(sink), pool_,
                                                   spdlog::async_overflow_policy::block);
  logger_->set_level(spdlog::level::info);
  // stdout is block-buffered when it is a pipe (a container's log driver): flush each line, from the
  // background thread, so lines arrive as requests are answered.
  logger_->flush_on(spdlog::level::info);
}

AccessLog::~AccessLog() {
  if (logger_) logger_->flush();
}

void AccessLog::write(const AccessRecord& record) {
  if (!logger_) return;
  logger_->info(access_line(record, utc_now()));
}

}  // namespace arxivc::serve
