#pragma once

// The service's view of one HTTP exchange, free of any network library: the session layer fills an
// HttpRequest from the wire and writes the HttpResponse back; everything between works on these.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arxivc::serve {

struct HttpRequest {
  std::string method;         // "GET", "POST", ...
  std::string path;           // the target without its query string, not yet percent-decoded
  std::string content_type;   // empty when absent
  std::string authorization;  // empty when absent
  std::string request_id;     // the client's X-Request-Id when usable, else generated
  std::string user_agent;     // empty when absent
  std::string remote_ip;      // the peer's address
  std::string_view protocol = "HTTP/1.1";
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Allow, Retry-After, ...)
  // Set for the answer to a HEAD request: the length of the GET answer's body, sent as Content-Length
  // while `body` stays empty.
  std::optional<std::size_t> head_length;
};

// Called exactly once per request, from any thread, with the response to send.
using Respond = std::function<void(HttpResponse&&)>;

}  // namespace arxivc::serve
