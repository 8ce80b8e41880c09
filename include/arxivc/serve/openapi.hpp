#pragma once

// The OpenAPI 3 document of the service (src/serve/openapi.json, compiled into the binary).

#include <string_view>

namespace arxivc::serve {

std::string_view openapi_document();

}  // namespace arxivc::serve
