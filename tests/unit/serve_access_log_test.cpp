// The access-log line: valid JSON in the shape Cloud Logging reads (severity, httpRequest).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "arxivc/serve/access_log.hpp"

namespace arxivc::serve {
namespace {

AccessRecord record(int status) {
  AccessRecord r;
  r.method = "POST";
  r.path = "/v1/predict";
  r.protocol = "HTTP/1.1";
  r.user_agent = "curl/7.88.1 \"quoted\"";
  r.remote_ip = "10.0.0.7";
  r.request_id = "abc-1";
  r.status = status;
  r.seconds = 0.000142;
  r.request_bytes = 57;
  r.response_bytes = 912;
  return r;
}

TEST(ServeAccessLog, LineHasCloudLoggingFields) {
  const auto line = nlohmann::json::parse(access_line(record(200), "2026-12-03T10:00:00.000001Z"));
  EXPECT_EQ(line["severity"], "INFO");
  EXPECT_EQ(line["message"], "POST /v1/predict 200");
  EXPECT_EQ(line["time"], "2026-12-03T10:00:00.000001Z");
  EXPECT_EQ(line["request_id"], "abc-1");
  const auto& http = line["httpRequest"];
  EXPECT_EQ(http["requestMethod"], "POST");
  EXPECT_EQ(http["requestUrl"], "/v1/predict");
  EXPECT_EQ(http["status"], 200);
  EXPECT_EQ(http["requestSize"], "57");
  EXPECT_EQ(http["responseSize"], "912");
  EXPECT_EQ(http["latency"], "0.000142s");
  EXPECT_EQ(http["protocol"], "HTTP/1.1");
  EXPECT_EQ(http["userAgent"], "curl/7.88.1 \"quoted\"");
  EXPECT_EQ(http["remoteIp"], "10.0.0.7");
}

TEST(ServeAccessLog, SeverityFollowsTheStatus) {
  EXPECT_EQ(nlohmann::json::parse(access_line(record(404), "t"))["severity"], "WARNING");
  EXPECT_EQ(nlohmann::json::parse(access_line(record(503), "t"))["severity"], "ERROR");
  EXPECT_EQ(nlohmann::json::parse(access_line(record(304), "t"))["severity"], "INFO");
}

TEST(ServeAccessLog, AbsentFieldsAreLeftOutAndOddTextStaysValidJson) {
  auto r = record(400);
  r.user_agent = "";
  r.remote_ip = "";
  r.path = "/a\"b\\c\x01\xff";
  const auto line = nlohmann::json::parse(access_line(r, "t"));
  EXPECT_FALSE(line["httpRequest"].contains("userAgent"));
  EXPECT_FALSE(line["httpRequest"].contains("remoteIp"));
  EXPECT_TRUE(line["httpRequest"]["requestUrl"].is_string());
}

}  // namespace
}  // namespace arxivc::serve
