#pragma once

// One JSON line per request, in the shape Google Cloud Logging reads (`severity`, `message`, `time` and an
// `httpRequest` object: method, URL, status, sizes, latency, user agent, remote address, protocol), plus
// the request id. With LogFormat::json the lines go to stdout, where a container platform collects them;
// otherwise to stderr beside the service's other messages. Lines go through a queue to a background
// thread, so a slow terminal or pipe never stalls a request thread.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "arxivc/core/logging.hpp"

namespace spdlog {
class logger;
namespace details {
class thread_pool;
}
}  // namespace spdlog

namespace arxivc::serve {

// What one access-log line says about a request and its response.
struct AccessRecord {
  std::string_view method;
  std::string_view path;
  std::string_view protocol;    // "HTTP/1.1"
  std::string_view user_agent;  // empty when absent
  std::string_view remote_ip;   // the peer's address
  std::string_view request_id;
  int status = 0;
  double seconds = 0.0;  // from the complete request to its response
  std::size_t request_bytes = 0;
  std::size_t response_bytes = 0;
};

// The line for `record`, without a newline; `time` is an RFC 3339 UTC timestamp.
std::string access_line(const AccessRecord& record, std::string_view time);

class AccessLog {
 public:
  AccessLog(bool enabled, LogFormat format);
  ~AccessLog();  // writes every queued line
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void write(const AccessRecord& record);

 private:
  std::shared_ptr<spdlog::details::thread_pool> pool_;  // outlives the logger: drains its queue last
  std::shared_ptr<spdlog::logger> logger_;              // null when disabled
};

}  // namespace arxivc::serve
