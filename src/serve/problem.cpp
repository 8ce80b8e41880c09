#include "arxivc/serve/problem.hpp"

#include <fmt/format.h>

#include "arxivc/serve/json_text.hpp"

namespace arxivc::serve {

std::string_view status_title(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

HttpResponse problem(int status, std::string_view detail) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/problem+json";
  response.body = fmt::format(R"({{"type":"about:blank","title":"{}","status":{},"detail":)",
                              status_title(status), status);
  append_json_string(response.body, detail);
  response.body += "}";
  return response;
}

}  // namespace arxivc::serve
