// `arxivc serve` end to end: the real process on a free port, real HTTP requests, every endpoint.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "serve_support.hpp"

namespace arxivc::testing {
namespace {

const char* const kTransformerPaper =
    R"({"title": "Attention is all you need", "abstract": "We propose a new simple network architecture, the Transformer, based solely on attention mechanisms, dispensing with recurrence and convolutions entirely. Experiments on two machine translation tasks show these models to be superior in quality.", "top_k": 5})";

class ServeApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(fresh_test_dir("serve-api"));
    web_ = new std::filesystem::path(make_web_dir(*dir_ / "web"));
    server_ = new ServerProcess(*dir_, {"--model", trained_model_dir().string(), "--web-dir", web_->string(),
                                        "serve.workers=2", "serve.threads=2"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete web_;
    delete dir_;
  }

  HttpClient client() { return HttpClient(server_->port()); }

  static std::filesystem::path* dir_;
  static std::filesystem::path* web_;
  static ServerProcess* server_;
};

std::filesystem::path* ServeApiTest::dir_ = nullptr;
std::filesystem::path* ServeApiTest::web_ = nullptr;
ServerProcess* ServeApiTest::server_ = nullptr;

TEST_F(ServeApiTest, PredictAnswersCategoriesWithNamesAndProbabilities) {
  auto http = client();
  const auto response = http.post("/v1/predict", kTransformerPaper);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/json");
  const auto body = response.json();
  ASSERT_TRUE(body["predicted"].is_array());
  ASSERT_FALSE(body["predicted"].empty());
  const auto& categories = body["categories"];
  ASSERT_EQ(categories.size(), 5u);
  for (std::size_t i = 0; i < categories.size(); ++i) {
    for (const char* key : {"code", "name", "archive", "group"}) {
      EXPECT_TRUE(categories[i][key].is_string()) << key;
    }
    const double p = categories[i]["probability"];
    EXPECT_GE(p, 0.0);
    EXPECT_LE(p, 1.0);
    if (i > 0) {
      EXPECT_GE(categories[i - 1]["probability"].get<double>(), p);
    }
  }
  EXPECT_EQ(body["predicted"][0], categories[0]["code"]) << "the primary guess is the most probable category";
  EXPECT_EQ(categories[0]["archive"], "cs") << "a Transformer paper is computer science: " << response.body;
  EXPECT_FALSE(body["model"]["name"].get<std::string>().empty());
  // The version is the start of model.bin's checksum (its last 16 bytes), in hex.
  const std::string file = read_all(trained_model_dir() / "model.bin");
  std::string checksum_hex;
  for (std::size_t i = file.size() - 16; i < file.size() - 10; ++i) {
    checksum_hex += fmt::format("{:02x}", static_cast<unsigned char>(file[i]));
  }
  EXPECT_EQ(body["model"]["version"], checksum_hex);
  EXPECT_FALSE(body["model"]["trained_on"].get<std::string>().empty());
  EXPECT_FALSE(response.header("x-request-id").empty());
}

TEST_F(ServeApiTest, PredictHonoursTopKAndThreshold) {
  auto http = client();
  const auto one = http.post("/v1/predict", R"({"title": "Black hole thermodynamics", "top_k": 1})").json();
  EXPECT_EQ(one["categories"].size(), 1u);
  // Threshold 0: every category passes, so every listed one is predicted.
  const auto all =
      http.post("/v1/predict", R"({"title": "Black hole thermodynamics", "top_k": 3, "threshold": 0})")
          .json();
  EXPECT_GE(all["predicted"].size(), 3u);
  // Threshold 1: nothing passes; the primary guess is still given.
  const auto none =
      http.post("/v1/predict", R"({"title": "Black hole thermodynamics", "threshold": 1})").json();
  EXPECT_EQ(none["predicted"].size(), 1u);
}

TEST_F(ServeApiTest, BatchAnswersInOrderWithIdsAndMatchesSinglePredictions) {
  auto http = client();
  const std::vector<std::string> titles = {
      "Convolutional networks for image recognition", "Gauge anomalies in string theory",
      "Prime numbers in arithmetic progressions", "Dark matter halos of dwarf galaxies"};
  nlohmann::json request = {{"papers", nlohmann::json::array()}, {"top_k", 3}};
  for (std::size_t i = 0; i < titles.size(); ++i) {
    request["papers"].push_back({{"id", "p" + std::to_string(i)}, {"title", titles[i]}});
  }
  request["papers"].push_back({{"id", 99}, {"abstract", "We study random matrices."}});
  const auto response = http.post("/v1/predict/batch", request.dump());
  ASSERT_EQ(response.status, 200) << response.body;
  const auto body = response.json();
  ASSERT_EQ(body["results"].size(), 5u);
  EXPECT_EQ(body["results"][4]["id"], 99);
  for (std::size_t i = 0; i < titles.size(); ++i) {
    const auto& result = body["results"][i];
    EXPECT_EQ(result["id"], "p" + std::to_string(i));
    const auto single =
        http.post("/v1/predict", nlohmann::json({{"title", titles[i]}, {"top_k", 3}}).dump()).json();
    EXPECT_EQ(result["predicted"], single["predicted"]) << titles[i];
    EXPECT_EQ(result["categories"], single["categories"]) << titles[i];
  }
  EXPECT_EQ(body["model"]["version"], http.get("/v1/model").json()["version"]);
}

TEST_F(ServeApiTest, CategoriesListTheLabelSpace) {
  auto http = client();
  const auto response = http.get("/v1/categories");
  ASSERT_EQ(response.status, 200);
  const auto body = response.json();
  ASSERT_GT(body["categories"].size(), 10u);
  std::set<std::string> codes;
  for (const auto& category : body["categories"]) {
    codes.insert(category["code"].get<std::string>());
    EXPECT_FALSE(category["name"].get<std::string>().empty());
    EXPECT_FALSE(category["group"].get<std::string>().empty());
  }
  EXPECT_EQ(codes.size(), body["categories"].size());
  const auto labels = nlohmann::json::parse(read_all(trained_model_dir() / "labels.json"));
  EXPECT_EQ(body["categories"].size(), labels.size());
}

TEST_F(ServeApiTest, ModelCardHasExperimentConfigurationDataAndMetrics) {
  auto http = client();
  const auto body = http.get("/v1/model").json();
  EXPECT_EQ(body["experiment"], "tfidf_linear");
  EXPECT_NE(body["configuration"].get<std::string>().find("training:"), std::string::npos);
  EXPECT_FALSE(body["training_data"]["content_hash"].get<std::string>().empty());
  EXPECT_EQ(body["trained_on"], body["training_data"]["content_hash"]);
  EXPECT_GT(body["validation"]["micro_f1"].get<double>(), 0.0);
  EXPECT_TRUE(body["featurisation"].is_object());
}

TEST_F(ServeApiTest, HealthAndReady) {
  auto http = client();
  const auto health = http.get("/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json()["status"], "ok");
  const auto ready = http.get("/ready");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json()["status"], "ready");
  EXPECT_FALSE(ready.json()["model"]["version"].get<std::string>().empty());
}

TEST_F(ServeApiTest, MetricsCountRequestsInPrometheusFormat) {
  auto http = client();
  ASSERT_EQ(http.post("/v1/predict", kTransformerPaper).status, 200);
  ASSERT_EQ(http.get("/no/such/page").status, 404);
  const auto response = http.get("/metrics");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type").rfind("text/plain", 0), 0u);
  const auto& text = response.body;
  const auto predicted =
      number_after(text, R"(arxivc_http_requests_total{route="/v1/predict",method="POST",status="200"} )");
  ASSERT_TRUE(predicted.has_value()) << text;
  EXPECT_GE(*predicted, 1);
  EXPECT_NE(text.find(R"(arxivc_http_requests_total{route="unmatched",method="GET",status="404"})"),
            std::string::npos);
  // The predictions above went through the queue and the workers: their histograms have observations.
  for (const char* count : {"\narxivc_queue_wait_seconds_count ", "\narxivc_inference_seconds_count ",
                            "\narxivc_batch_size_count "}) {
    const auto observed = number_after(text, count);
    ASSERT_TRUE(observed.has_value()) << count << "\n" << text;
    EXPECT_GE(*observed, 1) << count;
  }
  for (const char* family :
       {"arxivc_http_request_duration_seconds_bucket{route=\"/v1/predict\",le=", "arxivc_batch_size_bucket",
        "arxivc_http_in_flight_requests 1", "arxivc_model_info{name=\"tfidf_linear\"",
        "arxivc_model_reloads_total{result=\"success\"} 0"}) {
    EXPECT_NE(text.find(family), std::string::npos) << family << "\n" << text;
  }
}

TEST_F(ServeApiTest, OpenApiDocumentIsServed) {
  auto http = client();
  const auto response = http.get("/openapi.json");
  ASSERT_EQ(response.status, 200);
  const auto doc = response.json();
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  for (const char* path :
       {"/v1/predict", "/v1/predict/batch", "/v1/categories", "/v1/model", "/health", "/ready", "/metrics",
        "/openapi.json", "/docs", "/", "/static/{path}", "/vendor/{path}"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
}

TEST_F(ServeApiTest, PagesAndFilesComeFromTheWebDirectory) {
  auto http = client();
  const auto index = http.get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("arXiv classifier"), std::string::npos);
  const auto docs = http.get("/docs");
  ASSERT_EQ(docs.status, 200);
  EXPECT_NE(docs.body.find("/openapi.json"), std::string::npos);
  const auto script = http.get("/static/app.js");
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(script.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(script.body, "console.log('arxivc');");
  EXPECT_EQ(http.get("/static/css/page.css").header("content-type"), "text/css; charset=utf-8");
  const auto vendor = http.get("/vendor/redoc/bundles/redoc.standalone.js");
  ASSERT_EQ(vendor.status, 200);
  EXPECT_EQ(vendor.body, "/* redoc */");
}

TEST_F(ServeApiTest, FileRoutesRefuseToLeaveTheirDirectory) {
  auto http = client();
  for (const char* target : {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/..%2Fsecret.txt",
                             "/static/css/../../secret.txt", "/vendor/../secret.txt", "/static/missing.js"}) {
    const auto response = http.get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.header("content-type"), "application/problem+json") << target;
    EXPECT_EQ(response.body.find("outside static/"), std::string::npos) << target;
  }
}

// HEAD answers every GET route as GET would, without the body: same status and headers, Content-Length
// of the body it leaves out (RFC 9110 9.3.2). On one keep-alive connection, so any stray body byte would
// break the next response.
TEST_F(ServeApiTest, HeadAnswersEveryGetRouteWithoutTheBody) {
  auto http = client();
  for (const std::string path :
       {"/v1/categories", "/v1/model", "/health", "/ready", "/openapi.json", "/docs", "/", "/static/app.js",
        "/static/css/page.css", "/vendor/redoc/bundles/redoc.standalone.js"}) {
    const auto get = http.get(path);
    const auto head = http.head(path);
    EXPECT_EQ(get.status, 200) << path;
    EXPECT_EQ(head.status, get.status) << path;
    EXPECT_TRUE(head.body.empty()) << path;
    EXPECT_EQ(head.header("content-length"), std::to_string(get.body.size())) << path;
    EXPECT_EQ(head.header("content-type"), get.header("content-type")) << path;
    EXPECT_FALSE(head.header("x-request-id").empty()) << path;
  }
  // /metrics changes with every request; its HEAD still announces a body.
  const auto metrics = http.head("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_GT(std::stol(metrics.header("content-length")), 100);
  EXPECT_EQ(metrics.header("content-type"), http.get("/metrics").header("content-type"));
  // Errors too: the status and headers of GET's answer, no body.
  const auto missing = http.head("/static/missing.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.header("content-type"), "application/problem+json");
  EXPECT_TRUE(missing.body.empty());
  // HEAD is no way into a POST route.
  const auto predict = http.head("/v1/predict");
  EXPECT_EQ(predict.status, 405);
  EXPECT_EQ(predict.header("allow"), "POST");
  EXPECT_EQ(http.get("/health").body, R"({"status":"ok"})") << "the connection is still in step";
  EXPECT_NE(http.get("/metrics")
                .body.find(R"(arxivc_http_requests_total{route="/v1/model",method="HEAD",status="200"} 1)"),
            std::string::npos);
}

TEST_F(ServeApiTest, KeepAliveServesManyRequestsOnOneConnection) {
  auto http = client();
  for (int i = 0; i < 50; ++i) {
    const auto response = http.post("/v1/predict", kTransformerPaper);
    ASSERT_EQ(response.status, 200);
    EXPECT_NE(response.header("connection"), "close");
  }
}

TEST_F(ServeApiTest, RequestIdIsEchoedAndLogged) {
  auto http = client();
  const auto response = http.get("/health", {{"X-Request-Id", "test-echo-1234"}});
  EXPECT_EQ(response.header("x-request-id"), "test-echo-1234");
  ASSERT_TRUE(server_->wait_for_log("\"request_id\":\"test-echo-1234\"", std::chrono::seconds(60)))
      << server_->log();
  const auto log = server_->log();
  const auto line_start = log.rfind('\n', log.find("test-echo-1234")) + 1;
  const auto line = nlohmann::json::parse(log.substr(line_start, log.find('\n', line_start) - line_start));
  // Cloud Logging's fields: severity, and httpRequest with its sizes as strings and latency as a Duration.
  EXPECT_EQ(line["severity"], "INFO");
  EXPECT_EQ(line["httpRequest"]["requestMethod"], "GET");
  EXPECT_EQ(line["httpRequest"]["requestUrl"], "/health");
  EXPECT_EQ(line["httpRequest"]["status"], 200);
  EXPECT_EQ(line["httpRequest"]["protocol"], "HTTP/1.1");
  EXPECT_EQ(line["httpRequest"]["remoteIp"], "127.0.0.1");
  EXPECT_TRUE(line["httpRequest"]["responseSize"].is_string());
  const std::string latency = line["httpRequest"]["latency"];
  EXPECT_EQ(latency.back(), 's');
  EXPECT_GE(std::stod(latency), 0.0);
  // A generated id when the client sends none (or an unusable one).
  const auto generated = http.get("/health", {{"X-Request-Id", "bad id with spaces"}}).header("x-request-id");
  EXPECT_FALSE(generated.empty());
  EXPECT_NE(generated, "bad id with spaces");
}

}  // namespace
}  // namespace arxivc::testing
