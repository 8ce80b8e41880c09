#pragma once

// One structured line (JSON) per request on stderr: method, path, status, duration, request id. Lines go
// through a queue to a background thread, so a slow terminal or pipe never stalls a request thread.

#include <cstddef>
#include <memory>
#include <string_view>

namespace spdlog {
class logger;
namespace details {
class thread_pool;
}
}  // namespace spdlog

namespace arxivc::serve {

class AccessLog {
 public:
  explicit AccessLog(bool enabled);
  ~AccessLog();  // writes every queued line
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void write(std::string_view method, std::string_view path, int status, double seconds,
             std::string_view request_id, std::size_t response_bytes);

 private:
  std::shared_ptr<spdlog::details::thread_pool> pool_;  // outlives the logger: drains its queue last
  std::shared_ptr<spdlog::logger> logger_;              // null when disabled
};

}  // namespace arxivc::serve
