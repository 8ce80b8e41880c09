#pragma once

// The optional API key: `Authorization: Bearer <key>`, compared in constant time.

#include <string_view>

namespace arxivc::serve {

// Equal length and content, taking the same time whatever the content of either (the time depends on
// the length of `presented` only, not on where it first differs from `expected`).
bool constant_time_equal(std::string_view presented, std::string_view expected);

// Whether an Authorization header value carries `Bearer <key>` (scheme case-insensitive, RFC 9110).
bool bearer_token_matches(std::string_view authorization, std::string_view key);

}  // namespace arxivc::serve
