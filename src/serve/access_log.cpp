#include "arxivc/serve/access_log.hpp"

#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "arxivc/serve/json_text.hpp"

namespace arxivc::serve {

AccessLog::AccessLog(bool enabled) {
  if (!enabled) return;
  // Its own queue and thread: lines wait in memory, blocking only if 8,192 are pending (over half a second
  // of requests at full speed). The queue's slots are built up front, ~400 bytes each: 64k of them cost
  // 26 MB and a tenth of a second of start-up.
  pool_ = std::make_shared<spdlog::details::thread_pool>(8192, 1);
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_pattern("%v");
  logger_ = std::make_shared<spdlog::async_logger>("access", std::move(sink), pool_,
                                                   spdlog::async_overflow_policy::block);
  logger_->set_level(spdlog::level::info);
}

AccessLog::~AccessLog() {
  if (logger_) logger_->flush();
}

void AccessLog::write(std::string_view method, std::string_view path, int status, double seconds,
                      std::string_view request_id, std::size_t response_bytes) {
  if (!logger_) return;
  std::string line;
  line.reserve(160);
  line += R"({"log":"access","method":)";
  append_json_string(line, method);
  line += ",\"path\":";
  append_json_string(line, path);
  fmt::format_to(std::back_inserter(line), R"(,"status":{},"duration_ms":{:.3f},"bytes":{},"request_id":)",
                 status, seconds * 1000.0, response_bytes);
  append_json_string(line, request_id);
  line += '}';
  logger_->info(line);
}

}  // namespace arxivc::serve
