// Strict HTTP/1.1 (RFC 9112) from the real process: framing a proxy could read differently (request
// smuggling), Host, timeouts on keep-alive connections, and how a refused request's connection ends.

#include <gtest/gtest.h>

#include <cstdio>

#include "serve_support.hpp"

namespace arxivc::testing {
namespace {

using namespace std::chrono_literals;

class ServeStrictHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(fresh_test_dir("serve-strict-http"));
    server_ = new ServerProcess(*dir_, {"--model", trained_model_dir().string(), "serve.max_body_bytes=4096",
                                        "serve.read_timeout_s=1", "serve.idle_timeout_s=60"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  HttpClient client() { return HttpClient(server_->port()); }

  // The detail of a problem response with `status`.
  static std::string problem_detail(const HttpResult& response, int status) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.header("content-type"), "application/problem+json") << response.body;
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (!body.is_object() || !body.contains("detail")) return response.body;
    return body["detail"].get<std::string>();
  }

  // Whether the access log shows a request to `path`. The log is written in order from one queue, so
  // once a later marker request is in it, every earlier request is too.
  static bool logged(const std::string& path) {
    static int markers = 0;
    const auto marker = "/marker-" + std::to_string(++markers);
    HttpClient(server_->port()).get(marker);
    EXPECT_TRUE(server_->wait_for_log("\"requestUrl\":\"" + marker + "\"", 60s)) << server_->log();
    return server_->log().find("\"requestUrl\":\"" + path + "\"") != std::string::npos;
  }

  static std::filesystem::path* dir_;
  static ServerProcess* server_;
};

std::filesystem::path* ServeStrictHttpTest::dir_ = nullptr;
ServerProcess* ServeStrictHttpTest::server_ = nullptr;

const std::string kPredictHead = "POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

// A Transfer-Encoding other than `chunked` alone leaves the body's length to interpretation: a proxy
// that reads it one way and the service another would let the body pass as a second request. It is
// refused and the connection closed, so the body is never read as a request.
TEST_F(ServeStrictHttpTest, TransferEncodingOtherThanChunkedIs400AndClosesTheConnection) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Transfer-Encoding: gzip\r\n", ""},
      {"Transfer-Encoding: identity\r\n", ""},
      {"Transfer-Encoding: chunked, gzip\r\n", ""},
      {"Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"},
      {"Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"},
      {"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"},
      {"Transfer-Encoding: x-custom\r\n", ""},
  };
  int n = 0;
  for (const auto& [framing, body] : cases) {
    const std::string smuggled = "/v1/smuggled-" + std::to_string(++n);
    auto http = client();
    http.send_raw(kPredictHead + framing + "\r\n" + body + "GET " + smuggled +
                  " HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto response = http.read_response(false, true);
    const auto detail = problem_detail(response, 400);
    EXPECT_NE(detail.find("Transfer-Encoding"), std::string::npos) << framing << " -> " << detail;
    EXPECT_EQ(response.header("connection"), "close") << framing;
    EXPECT_TRUE(http.closed_by_server(20s)) << framing;
    EXPECT_FALSE(logged(smuggled)) << framing << ": the body was served as a request\n" << server_->log();
  }
}

TEST_F(ServeStrictHttpTest, ChunkedAloneIsServed) {
  auto http = client();
  const std::string json = R"({"title": "Gauge theory on the lattice"})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", json.size());
  http.send_raw(kPredictHead + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + json + "\r\n0\r\n\r\n");
  const auto response = http.read_response();
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(http.get("/health").status, 200) << "the connection stays usable";
}

// RFC 9112 6.3: Transfer-Encoding and Content-Length together are refused, in either order and
// whatever the coding.
TEST_F(ServeStrictHttpTest, TransferEncodingWithContentLengthIs400AndCloses) {
  const std::string json = R"({"title": "Gauge theory on the lattice"})";
  const std::string length = "Content-Length: " + std::to_string(json.size()) + "\r\n";
  for (const std::string& framing :
       {"Transfer-Encoding: gzip\r\n" + length, length + "Transfer-Encoding: gzip\r\n",
        "Transfer-Encoding: chunked\r\n" + length, length + "Transfer-Encoding: chunked\r\n"}) {
    auto http = client();
    http.send_raw(kPredictHead + framing + "\r\n" + json);
    const auto response = http.read_response(false, true);
    problem_detail(response, 400);
    EXPECT_EQ(response.header("connection"), "close") << framing;
    EXPECT_TRUE(http.closed_by_server(20s)) << framing;
  }
}

TEST_F(ServeStrictHttpTest, Http11WithoutOneHostIs400) {
  {
    auto http = client();
    http.send_raw("GET /health HTTP/1.1\r\n\r\n");
    EXPECT_NE(problem_detail(http.read_response(), 400).find("Host"), std::string::npos);
  }
  {
    auto http = client();
    http.send_raw("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    EXPECT_NE(problem_detail(http.read_response(), 400).find("Host"), std::string::npos);
  }
  {
    // HTTP/1.0 has no Host requirement.
    auto http = client();
    http.send_raw("GET /health HTTP/1.0\r\n\r\n");
    EXPECT_EQ(http.read_response().status, 200);
  }
}

// serve.read_timeout_s (1 s here) bounds every request of a keep-alive connection, not only the first:
// a client that trickles the second request's header is cut off, long before serve.idle_timeout_s.
TEST_F(ServeStrictHttpTest, ReadTimeoutAppliesToEveryRequestOfAConnection) {
  auto http = client();
  ASSERT_EQ(http.get("/health").status, 200);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(http.try_send("GET /health HTTP/1.1\r\n"));
  bool closed = false;
  for (int i = 0; i < 60 && !closed; ++i) {
    closed = !http.try_send("X-Slow-" + std::to_string(i) + ": 1\r\n") || http.closed_by_server(250ms);
  }
  const auto waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(closed) << "a trickled header held the connection for " << waited << " s";
  EXPECT_LT(waited, 8.0);
}

// A 413 is answered before the body is read; the service then reads and drops the rest (up to a few
// MB), so a client still sending gets the answer and an orderly close rather than a TCP reset.
TEST_F(ServeStrictHttpTest, BodyOverTheLimitIsDrainedSoThe413ArrivesWithoutAReset) {
  auto http = client();
  const std::size_t length = 2 * 1024 * 1024;
  ASSERT_TRUE(http.try_send(kPredictHead + "Content-Length: " + std::to_string(length) + "\r\n\r\n" +
                            std::string(1000, 'a')));
  const auto response = http.read_response(false, true);
  EXPECT_NE(problem_detail(response, 413).find("4096 bytes"), std::string::npos);
  EXPECT_EQ(response.header("connection"), "close");
  // The rest of the body, as a client streaming it would send it.
  const std::string piece(64 * 1024, 'b');
  std::size_t sent = 1000;
  bool refused = false;
  while (sent < length && !refused) {
    refused = !http.try_send(piece.substr(0, std::min(piece.size(), length - sent)));
    sent += piece.size();
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_FALSE(refused) << "the server reset the connection after " << sent << " bytes";
  http.shutdown_send();
  EXPECT_EQ(http.closure(60s), HttpClient::Closure::closed);
}

}  // namespace
}  // namespace arxivc::testing
