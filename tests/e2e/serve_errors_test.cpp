// Every error status of the service, from the real process: Problem JSON (RFC 9457) naming the problem.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "serve_support.hpp"

namespace arxivc::testing {
namespace {

class ServeErrorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(fresh_test_dir("serve-errors"));
    server_ = new ServerProcess(
        *dir_, {"--model", trained_model_dir().string(), "--web-dir", (*dir_ / "no-web-dir").string(),
                "serve.max_body_bytes=4096", "serve.max_batch=4", "serve.read_timeout_s=1"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  // Checks the status and the problem body; returns the detail.
  static std::string expect_problem(const HttpResult& response, int status) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.header("content-type"), "application/problem+json");
    const auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["status"], status);
    EXPECT_TRUE(body["type"].is_string());
    EXPECT_FALSE(body["title"].get<std::string>().empty());
    const auto detail = body["detail"].get<std::string>();
    EXPECT_FALSE(detail.empty());
    return detail;
  }

  HttpClient client() { return HttpClient(server_->port()); }

  static std::filesystem::path* dir_;
  static ServerProcess* server_;
};

std::filesystem::path* ServeErrorsTest::dir_ = nullptr;
ServerProcess* ServeErrorsTest::server_ = nullptr;

TEST_F(ServeErrorsTest, BadRequestsAre400NamingTheProblem) {
  auto http = client();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"title\": \"unterminated", "malformed JSON"},
      {"not json at all", "malformed JSON"},
      {"[]", "JSON object"},
      {"{}", "at least one of title and abstract"},
      {R"({"title": "", "abstract": "   "})", "non-empty"},
      {R"({"title": ["a"]})", "title must be a string"},
      {R"({"abstract": 3.5})", "abstract must be a string"},
      {R"({"title": "x", "top_k": 0})", "top_k is 0"},
      {R"({"title": "x", "top_k": 100000})", "top_k is 100000"},
      {R"({"title": "x", "top_k": -1})", "top_k is -1"},
      {R"({"title": "x", "top_k": "3"})", "top_k must be an integer"},
      {R"({"title": "x", "threshold": -0.1})", "threshold is -0.1"},
      {"{\"title\": \"bad \xC3\x28 bytes\"}", "not valid UTF-8"},
      {"{\"title\": \"\xFF\"}", "not valid UTF-8"},
  };
  for (const auto& [body, detail] : cases) {
    const auto response = http.post("/v1/predict", body);
    EXPECT_NE(expect_problem(response, 400).find(detail), std::string::npos)
        << body << " -> " << response.body;
  }
  EXPECT_NE(
      expect_problem(http.post("/v1/predict/batch", R"({"papers": [{"title": "a"}, {"title": 5}]})"), 400)
          .find("papers[1]"),
      std::string::npos);
  expect_problem(http.post("/v1/predict/batch", R"({"papers": []})"), 400);
  expect_problem(http.post("/v1/predict", ""), 400);
  // The connection is still usable after every refusal.
  EXPECT_EQ(http.post("/v1/predict", R"({"title": "Quantum groups"})").status, 200);
}

// A number beyond a double's range is valid JSON but holds no value: 400 naming where it is, not 500.
TEST_F(ServeErrorsTest, NumbersThatOverflowADoubleAre400NamingTheField) {
  auto http = client();
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"/v1/predict", R"({"title": "x", "threshold": 1e999})", "threshold"},
      {"/v1/predict", R"({"title": "x", "top_k": -1e999})", "top_k"},
      {"/v1/predict", R"({"title": "x", "extra": {"values": [1, 2, 1E+400]}})", "extra.values[2]"},
      {"/v1/predict/batch", R"({"papers": [{"title": "a"}, {"title": "b", "year": 1e400}]})",
       "papers[1].year"},
      {"/v1/predict/batch", R"({"papers": [{"title": "a"}], "top_k": 3, "threshold": -2e308})", "threshold"},
  };
  for (const auto& [path, body, field] : cases) {
    const auto response = http.post(path, body);
    const auto detail = expect_problem(response, 400);
    EXPECT_EQ(detail.rfind(field + " ", 0), 0u) << body << " -> " << detail;
  }
  EXPECT_NE(expect_problem(http.post("/v1/predict", "1e999"), 400).find("the body"), std::string::npos);
  EXPECT_EQ(http.post("/v1/predict", R"({"title": "x", "threshold": 1e-999})").status, 200)
      << "underflow to 0 is a number";
}

TEST_F(ServeErrorsTest, UnknownPathsAre404) {
  auto http = client();
  EXPECT_NE(expect_problem(http.get("/v2/predict"), 404).find("/v2/predict"), std::string::npos);
  expect_problem(http.get("/v1/predict/batch/extra"), 404);
  // No web directory here: the pages are missing, not an error of the server.
  expect_problem(http.get("/"), 404);
  expect_problem(http.get("/docs"), 404);
  expect_problem(http.get("/static/app.js"), 404);
  // Without an API key there is no admin endpoint.
  expect_problem(http.post("/admin/reload", ""), 404);
}

TEST_F(ServeErrorsTest, WrongMethodsAre405WithAllow) {
  auto http = client();
  const auto get_predict = http.get("/v1/predict");
  expect_problem(get_predict, 405);
  EXPECT_EQ(get_predict.header("allow"), "POST");
  const auto post_health = http.post("/health", "{}");
  expect_problem(post_health, 405);
  EXPECT_EQ(post_health.header("allow"), "GET, HEAD");
  const auto delete_model = http.request("DELETE", "/v1/model");
  expect_problem(delete_model, 405);
  EXPECT_EQ(delete_model.header("allow"), "GET, HEAD");
}

TEST_F(ServeErrorsTest, BodyOverTheLimitIs413) {
  auto http = client();
  const std::string big = R"({"title": ")" + std::string(5000, 'a') + R"("})";
  const auto response = http.post("/v1/predict", big);
  EXPECT_NE(expect_problem(response, 413).find("4096 bytes"), std::string::npos);
  // The server closes that connection (the body was not read); a new one works.
  auto fresh = client();
  EXPECT_EQ(fresh.get("/health").status, 200);
  // Counted under its route, like any other answer.
  EXPECT_NE(fresh.get("/metrics")
                .body.find(R"(arxivc_http_requests_total{route="/v1/predict",method="POST",status="413"})"),
            std::string::npos);
}

TEST_F(ServeErrorsTest, BatchOverTheCapIs413) {
  auto http = client();
  nlohmann::json request = {{"papers", nlohmann::json::array()}};
  for (int i = 0; i < 5; ++i)
    request["papers"].push_back({{"id", i}, {"title", "Paper " + std::to_string(i)}});
  EXPECT_NE(expect_problem(http.post("/v1/predict/batch", request.dump()), 413).find("limit of 4"),
            std::string::npos);
  request["papers"].erase(4);
  EXPECT_EQ(http.post("/v1/predict/batch", request.dump()).status, 200);
}

TEST_F(ServeErrorsTest, NonJsonBodiesAre415) {
  auto http = client();
  expect_problem(http.request("POST", "/v1/predict", R"({"title": "x"})", {{"Content-Type", "text/plain"}}),
                 415);
  expect_problem(
      http.request("POST", "/v1/predict", "title=x", {{"Content-Type", "application/x-www-form-urlencoded"}}),
      415);
  EXPECT_NE(expect_problem(http.request("POST", "/v1/predict/batch", R"({"papers": []})", {}), 415)
                .find("Content-Type"),
            std::string::npos);
  EXPECT_EQ(http.request("POST", "/v1/predict", R"({"title": "x"})",
                         {{"Content-Type", "application/json; charset=utf-8"}})
                .status,
            200);
}

TEST_F(ServeErrorsTest, MalformedHttpIs400) {
  auto http = client();
  http.send_raw("THIS IS NOT HTTP\r\n\r\n");
  expect_problem(http.read_response(), 400);
}

TEST_F(ServeErrorsTest, StalledClientsAreDisconnected) {
  // Half a request, then silence: the server drops the connection after serve.read_timeout_s (1 s here).
  auto http = client();
  http.send_raw(
      "POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
      "100\r\n\r\n{\"ti");
  EXPECT_TRUE(http.closed_by_server(std::chrono::seconds(120)));
  auto silent = client();
  EXPECT_TRUE(silent.closed_by_server(std::chrono::seconds(120)));
  // The server still serves others.
  EXPECT_EQ(client().get("/health").status, 200);
}

// A queue of one task and one worker, flooded with large batches from many connections: some requests
// are refused with 503 and Retry-After; every one is answered, none is lost.
// A directory without model.bin (an image started with nothing mounted at /models/default) is refused at
// start-up with a message that says what is missing and what to do.
TEST(ServeStartTest, ADirectoryWithoutAModelIsRefusedNamingWhatIsMissing) {
  const auto dir = fresh_test_dir("serve-no-model");
  std::filesystem::create_directories(dir / "empty-model");
  std::ofstream(dir / "empty-model" / "README.md") << "mount a model here\n";
  const auto result = run_serve_expecting_exit(dir, {"--model", (dir / "empty-model").string(), "--no-auth"},
                                               {}, std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("no model.bin"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("arxivc train"), std::string::npos) << result.err;
}

TEST(ServeQueueTest, FullQueueIs503WithRetryAfter) {
  const auto dir = fresh_test_dir("serve-queue");
  ServerProcess server(dir, {"--model", trained_model_dir().string(), "serve.workers=1",
                             "serve.queue_capacity=1", "serve.threads=4", "serve.access_log=false"});
  nlohmann::json request = {{"papers", nlohmann::json::array()}, {"top_k", 50}};
  std::string abstract;
  for (int i = 0; i < 300; ++i) abstract += "word" + std::to_string(i) + " ";
  for (int i = 0; i < 256; ++i) {
    request["papers"].push_back({{"id", i},
                                 {"title", "Paper " + std::to_string(i)},
                                 {"abstract", "Random matrices and free probability " + abstract}});
  }
  const auto body = request.dump();
  std::atomic<int> ok = 0;
  std::atomic<int> unavailable = 0;
  std::atomic<int> other = 0;
  std::atomic<bool> retry_after = true;
  std::vector<std::thread> clients;
  for (int c = 0; c < 16; ++c) {
    clients.emplace_back([&] {
      HttpClient http(server.port());
      for (int i = 0; i < 10; ++i) {
        const auto response = http.post("/v1/predict/batch", body);
        if (response.status == 200) {
          ++ok;
        } else if (response.status == 503) {
          ++unavailable;
          if (response.header("retry-after").empty() ||
              response.header("content-type") != "application/problem+json") {
            retry_after = false;
          }
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load() + unavailable.load(), 160);
  EXPECT_EQ(other.load(), 0);
  EXPECT_GT(ok.load(), 0);
  EXPECT_GT(unavailable.load(), 0) << "16 clients against a queue of one never filled it";
  EXPECT_TRUE(retry_after.load());
}

}  // namespace
}  // namespace arxivc::testing
