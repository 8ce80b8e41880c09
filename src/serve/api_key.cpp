#include "arxivc/serve/api_key.hpp"

#include <cctype>
#include <cstddef>

namespace arxivc::serve {

bool constant_time_equal(std::string_view presented, std::string_view expected) {
  unsigned char difference = presented.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < presented.size(); ++i) {
    // Index the expected key modulo its length so a wrong length still reads every presented byte.
    const char want = expected.empty() ? '\0' : expected[i % expected.size()];
    difference |= static_cast<unsigned char>(presented[i] ^ want);
  }
  return difference == 0 && !expected.empty();
}

bool bearer_token_matches(std::string_view authorization, std::string_view key) {
  constexpr std::string_view scheme = "bearer";
  if (authorization.size() <= scheme.size() || authorization[scheme.size()] != ' ') return false;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i]) return false;
  }
  auto token = authorization.substr(scheme.size() + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return constant_time_equal(token, key);
}

}  // namespace arxivc::serve
