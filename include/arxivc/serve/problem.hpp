#pragma once

// Error responses as Problem Details (RFC 9457): application/problem+json with type, title, status and a
// detail that names the problem for the person reading it.

#include <string>
#include <string_view>

#include "arxivc/serve/http_message.hpp"

namespace arxivc::serve {

// The standard reason phrase of a status ("Not Found"); "Error" for unknown codes.
std::string_view status_title(int status);

// {"type": "about:blank", "title": ..., "status": ..., "detail": ...}. `detail` may be any text.
HttpResponse problem(int status, std::string_view detail);

}  // namespace arxivc::serve
