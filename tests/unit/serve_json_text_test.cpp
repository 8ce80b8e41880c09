#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "arxivc/serve/api_key.hpp"
#include "arxivc/serve/json_text.hpp"
#include "arxivc/serve/problem.hpp"

namespace arxivc::serve {
namespace {

std::string json_quoted(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(ServeJsonText, EscapesWhatJsonRequires) {
  EXPECT_EQ(json_quoted("plain"), "\"plain\"");
  EXPECT_EQ(json_quoted("a\"b\\c\nd\te"), R"("a\"b\\c\nd\te")");
  EXPECT_EQ(json_quoted(std::string("\x01", 1)), R"("\u0001")");
  EXPECT_EQ(nlohmann::json::parse(json_quoted("Schrödinger — ∂")).get<std::string>(), "Schrödinger — ∂");
}

TEST(ServeJsonText, InvalidUtf8BecomesReplacementCharacters) {
  const auto text = json_quoted("caf\xC3 \xFF!");
  EXPECT_EQ(nlohmann::json::parse(text).get<std::string>(), "caf\xEF\xBF\xBD \xEF\xBF\xBD!");
}

TEST(ServeJsonText, FindsTheFirstInvalidUtf8Byte) {
  EXPECT_FALSE(find_invalid_utf8("ASCII only, long enough to take the eight-byte path"));
  EXPECT_FALSE(find_invalid_utf8("\xF0\x9F\x98\x80 and \xE2\x88\x82 and \xC3\xA9"));
  EXPECT_EQ(find_invalid_utf8("abcdefghij\x80"), 10u);
  EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u) << "overlong";
  EXPECT_EQ(find_invalid_utf8("x\xED\xA0\x80"), 1u) << "surrogate";
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u) << "above U+10FFFF";
  EXPECT_EQ(find_invalid_utf8("ok\xE2\x88"), 2u) << "truncated";
}

TEST(ServeProblem, IsRfc9457) {
  const auto response = problem(415, "Content-Type 'text/plain' is not JSON");
  EXPECT_EQ(response.status, 415);
  EXPECT_EQ(response.content_type, "application/problem+json");
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["type"], "about:blank");
  EXPECT_EQ(body["title"], "Unsupported Media Type");
  EXPECT_EQ(body["status"], 415);
  EXPECT_EQ(body["detail"], "Content-Type 'text/plain' is not JSON");
}

TEST(ServeApiKey, ComparesWholeKeys) {
  EXPECT_TRUE(constant_time_equal("s3cret-key", "s3cret-key"));
  EXPECT_FALSE(constant_time_equal("s3cret-kez", "s3cret-key"));
  EXPECT_FALSE(constant_time_equal("s3cret", "s3cret-key"));
  EXPECT_FALSE(constant_time_equal("s3cret-key-and-more", "s3cret-key"));
  EXPECT_FALSE(constant_time_equal("", "s3cret-key"));
  EXPECT_FALSE(constant_time_equal("", ""));
}

TEST(ServeApiKey, ReadsBearerTokens) {
  EXPECT_TRUE(bearer_token_matches("Bearer k1", "k1"));
  EXPECT_TRUE(bearer_token_matches("bearer  k1 ", "k1"));
  EXPECT_FALSE(bearer_token_matches("Basic k1", "k1"));
  EXPECT_FALSE(bearer_token_matches("Bearer", "k1"));
  EXPECT_FALSE(bearer_token_matches("k1", "k1"));
  EXPECT_FALSE(bearer_token_matches("Bearer k2", "k1"));
}

}  // namespace
}  // namespace arxivc::serve
