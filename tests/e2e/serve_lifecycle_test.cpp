// The service under concurrency, model reloads (good and broken), graceful shutdown and API-key mode.

#include <gtest/gtest.h>

#include <atomic>

#include "serve_support.hpp"

namespace arxivc::testing {
namespace {

std::vector<std::string> sample_titles() {
  return {"Convolutional neural networks for image classification",
          "Gauge anomalies and the swampland in string theory",
          "Primes in arithmetic progressions and zeros of L-functions",
          "Dark matter halos of dwarf spheroidal galaxies",
          "Topological insulators and Majorana fermions",
          "Stochastic gradient descent converges for overparameterized networks",
          "Quantum error correction with surface codes",
          "Optimal transport and Wasserstein gradient flows"};
}

std::string predict_body(const std::string& title) {
  return nlohmann::json({{"title", title}, {"top_k", 4}}).dump();
}

TEST(ServeConcurrencyTest, ManyClientsGetTheAnswersOfASequentialRun) {
  const auto dir = fresh_test_dir("serve-concurrency");
  ServerProcess server(dir, {"--model", trained_model_dir().string(), "serve.threads=4", "serve.workers=2",
                             "serve.access_log=false"});
  const auto titles = sample_titles();
  std::vector<std::string> expected;
  {
    HttpClient http(server.port());
    for (const auto& title : titles) {
      const auto response = http.post("/v1/predict", predict_body(title));
      ASSERT_EQ(response.status, 200);
      auto body = response.json();
      expected.push_back(body["categories"].dump() + body["predicted"].dump());
    }
  }
  std::atomic<int> mismatches = 0;
  std::atomic<int> failures = 0;
  std::vector<std::thread> clients;
  for (int c = 0; c < 24; ++c) {
    clients.emplace_back([&, c] {
      HttpClient http(server.port());
      for (int i = 0; i < 40; ++i) {
        const std::size_t t = static_cast<std::size_t>(c + i) % titles.size();
        const auto response = http.post("/v1/predict", predict_body(titles[t]));
        if (response.status != 200) {
          ++failures;
          continue;
        }
        const auto body = response.json();
        if (body["categories"].dump() + body["predicted"].dump() != expected[t]) ++mismatches;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(mismatches.load(), 0);
  // Every paper was scored in exactly one batch, and under concurrent load the workers scored queued
  // requests together (fewer batches than papers).
  const auto metrics = HttpClient(server.port()).get("/metrics").body;
  const auto papers = number_after(metrics, "\narxivc_batch_size_sum ");
  const auto batches = number_after(metrics, "\narxivc_batch_size_count ");
  ASSERT_TRUE(papers && batches) << metrics;
  EXPECT_EQ(*papers, static_cast<long>(titles.size()) + 24 * 40);
  EXPECT_LT(*batches, *papers);
}

class ServeReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_test_dir("serve-reload");
    model_ = dir_ / "model";
    copy_model(trained_model_dir(), model_);
  }
  std::filesystem::path dir_;
  std::filesystem::path model_;
};

TEST_F(ServeReloadTest, SighupLoadsAGoodModelAndABrokenOneLeavesTheOldServing) {
  ServerProcess server(dir_, {"--model", model_.string()});
  HttpClient http(server.port());
  const auto before = http.post("/v1/predict", predict_body("Quantum error correction")).json();

  server.signal(SIGHUP);
  ASSERT_TRUE(server.wait_for_log("reloaded model", std::chrono::seconds(120))) << server.log();
  EXPECT_EQ(http.post("/v1/predict", predict_body("Quantum error correction")).json(), before);

  // Replace the model file with a damaged one (by rename, as deployments and `arxivc train` write files:
  // the serving model maps its file, which must not be overwritten in place): the reload is refused with a
  // reason, the old model keeps answering.
  {
    std::ofstream damage(model_ / "model.bin.new", std::ios::binary | std::ios::trunc);
    damage << "not a model";
  }
  std::filesystem::rename(model_ / "model.bin.new", model_ / "model.bin");
  server.signal(SIGHUP);
  ASSERT_TRUE(server.wait_for_log("reload refused", std::chrono::seconds(120))) << server.log();
  EXPECT_NE(server.log().find("model.bin"), std::string::npos)
      << "the reason names the file: " << server.log();
  EXPECT_EQ(http.post("/v1/predict", predict_body("Quantum error correction")).json(), before);
  EXPECT_EQ(http.get("/ready").status, 200);
  const auto metrics = http.get("/metrics").body;
  EXPECT_NE(metrics.find("arxivc_model_reloads_total{result=\"success\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("arxivc_model_reloads_total{result=\"failure\"} 1"), std::string::npos) << metrics;
}

TEST_F(ServeReloadTest, RetrainingTheServedDirectoryKeepsTheOldModelServingUntilAReload) {
  ServerProcess server(dir_, {"--model", model_.string()});
  HttpClient http(server.port());
  const auto before = http.post("/v1/predict", predict_body("Quantum error correction")).json();
  // `arxivc train` into the directory being served: the new directory replaces the old one in one step,
  // and the old files the service maps stay valid.
  auto retrained = run_process(ARXIVC_BINARY,
                               {"train", "--input", (shared_data_dir() / "arxiv-metadata-5k.json").string(),
                                "--output", model_.string(), "--epochs", "1", "training.seed=7",
                                "run.dir=runs/retrain", "prepare.selection.min_papers=30"},
                               dir_,
                               {"ARXIVC_DATA_DIR=" + shared_data_dir().string(),
                                "ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()});
  ASSERT_EQ(retrained.exit_code, 0) << retrained.err;
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(http.post("/v1/predict", predict_body("Quantum error correction")).json(), before);
  }
  server.signal(SIGHUP);
  ASSERT_TRUE(server.wait_for_log("reloaded model", std::chrono::seconds(120))) << server.log();
  const auto after = http.post("/v1/predict", predict_body("Quantum error correction"));
  EXPECT_EQ(after.status, 200) << after.body;
}

TEST_F(ServeReloadTest, AdminReloadAnswersWithTheOutcome) {
  ServerProcess server(dir_, {"--model", model_.string(), "--api-key", "reload-key"});
  HttpClient http(server.port());
  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer reload-key"}};
  EXPECT_EQ(http.request("POST", "/admin/reload", "", {}).status, 401);

  const auto good = http.request("POST", "/admin/reload", "", auth);
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(good.json()["status"], "reloaded");
  const auto version = good.json()["model"]["version"];

  // A model directory with labels that disagree with model.bin is incompatible.
  auto labels = nlohmann::json::parse(read_all(model_ / "labels.json"));
  labels.erase(labels.size() - 1);
  std::ofstream(model_ / "labels.json.new", std::ios::trunc) << labels.dump();
  std::filesystem::rename(model_ / "labels.json.new", model_ / "labels.json");
  const auto broken = http.request("POST", "/admin/reload", "", auth);
  ASSERT_EQ(broken.status, 500) << broken.body;
  EXPECT_EQ(broken.header("content-type"), "application/problem+json");
  const auto detail = broken.json()["detail"].get<std::string>();
  EXPECT_NE(detail.find("labels.json"), std::string::npos) << detail;
  EXPECT_NE(detail.find("previous model keeps serving"), std::string::npos) << detail;

  const auto still = http.post("/v1/predict", predict_body("Optimal transport"), auth);
  ASSERT_EQ(still.status, 200);
  EXPECT_EQ(still.json()["model"]["version"], version);
}

// The in-flight gauge, read over its own connection (which counts itself as one).
long in_flight(std::uint16_t port) {
  const auto text = HttpClient(port).get("/metrics").body;
  const auto gauge = number_after(text, "\narxivc_http_in_flight_requests ");
  return gauge ? *gauge - 1 : 0;
}

TEST(ServeShutdownTest, SigtermFinishesRequestsInFlightAndExitsZero) {
  const auto dir = fresh_test_dir("serve-shutdown");
  ServerProcess server(dir, {"--model", trained_model_dir().string(), "serve.workers=1", "serve.threads=2"});
  std::string abstract;
  for (int i = 0; i < 40; ++i) abstract += "lattice gauge theory with fermions " + std::to_string(i) + " ";
  nlohmann::json batch = {{"papers", nlohmann::json::array()}, {"top_k", 20}};
  for (int i = 0; i < 256; ++i) {
    batch["papers"].push_back(
        {{"id", i}, {"title", sample_titles()[static_cast<std::size_t>(i) % 8]}, {"abstract", abstract}});
  }
  const auto body = batch.dump();
  // Rounds of 8 heavy requests on one worker until a round is seen in flight; then SIGTERM.
  std::atomic<int> answered = 0;
  std::atomic<int> failed = 0;
  std::mutex failure_mutex;
  std::string failure;
  std::vector<std::thread> clients;
  bool signalled = false;
  for (int round = 0; round < 50 && !signalled; ++round) {
    std::atomic<int> done = 0;
    for (int c = 0; c < 8; ++c) {
      clients.emplace_back([&] {
        try {
          HttpClient http(server.port());
          const auto response = http.post("/v1/predict/batch", body);
          if (response.status == 200 && response.json()["results"].size() == 256) {
            ++answered;
          } else {
            ++failed;
            std::lock_guard lock(failure_mutex);
            failure = std::to_string(response.status) + " " + response.body;
          }
        } catch (const std::exception&) {
          ++failed;
        }
        ++done;
      });
    }
    while (done < 8) {
      if (in_flight(server.port()) >= 2) {
        server.signal(SIGTERM);
        signalled = true;
        break;
      }
    }
    for (auto& t : clients) t.join();
    clients.clear();
  }
  ASSERT_TRUE(signalled) << "never saw two requests in flight; " << failure;
  const auto exit_code = server.wait(std::chrono::seconds(120));
  ASSERT_TRUE(exit_code) << "still running after SIGTERM\n" << server.log();
  EXPECT_EQ(*exit_code, 0) << server.log();
  EXPECT_GE(answered.load(), 2);
  // Requests that reached the server before SIGTERM were all answered: every round but the last had no
  // failure, and in the last only connections the server had not started reading can fail.
  EXPECT_LE(failed.load(), 6) << failure;
  EXPECT_NE(server.log().find("shutting down"), std::string::npos);
  EXPECT_NE(server.log().find("stopped"), std::string::npos);
}

TEST(ServeShutdownTest, IdleKeepAliveConnectionsDoNotDelayShutdown) {
  const auto dir = fresh_test_dir("serve-shutdown-idle");
  // The watchdog would stop the server anyway after serve.shutdown_timeout_s: set far beyond the wait, so
  // only closing the idle connection at once lets the server exit in time.
  ServerProcess server(dir, {"--model", trained_model_dir().string(), "serve.idle_timeout_s=3600",
                             "serve.shutdown_timeout_s=600"});
  HttpClient idle(server.port());
  ASSERT_EQ(idle.get("/health").status, 200);
  server.signal(SIGINT);
  const auto exit_code = server.wait(std::chrono::seconds(20));
  ASSERT_TRUE(exit_code) << "an idle keep-alive connection held the server: " << server.log();
  EXPECT_EQ(*exit_code, 0);
  EXPECT_EQ(server.log().find("stopping anyway"), std::string::npos) << server.log();
}

// Requests of which some bytes arrived before SIGTERM are received to the end and answered; a
// keep-alive connection with nothing of a request yet is closed at once.
TEST(ServeShutdownTest, SigtermCompletesRequestsBeingReceived) {
  const auto dir = fresh_test_dir("serve-shutdown-receiving");
  ServerProcess server(dir, {"--model", trained_model_dir().string(), "serve.shutdown_timeout_s=600"});
  const std::string body = R"({"title": "Quantum error correction with surface codes", "top_k": 2})";
  // Each connection is first used for a request, so the server has surely accepted it.
  HttpClient in_body(server.port());
  ASSERT_EQ(in_body.get("/health").status, 200);
  in_body.send_raw(
      "POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
  HttpClient in_header(server.port());
  ASSERT_EQ(in_header.get("/health").status, 200);
  in_header.send_raw("GET /health HTTP/1.1\r\nHost: x\r\n");
  HttpClient idle(server.port());
  ASSERT_EQ(idle.get("/health").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  server.signal(SIGTERM);
  ASSERT_TRUE(server.wait_for_log("shutting down", std::chrono::seconds(60))) << server.log();
  EXPECT_TRUE(idle.closed_by_server(std::chrono::seconds(60))) << "an idle connection is closed at once";
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  in_body.send_raw(body.substr(10));
  in_header.send_raw("\r\n");
  const auto predicted = in_body.read_response();
  EXPECT_EQ(predicted.status, 200) << predicted.body;
  EXPECT_EQ(predicted.json()["categories"].size(), 2u);
  EXPECT_EQ(predicted.header("connection"), "close");
  const auto health = in_header.read_response();
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.header("connection"), "close");

  const auto exit_code = server.wait(std::chrono::seconds(60));
  ASSERT_TRUE(exit_code) << server.log();
  EXPECT_EQ(*exit_code, 0) << server.log();
  EXPECT_EQ(server.log().find("stopping anyway"), std::string::npos) << server.log();
}

class ServeApiKeyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(fresh_test_dir("serve-api-key"));
    make_web_dir(*dir_ / "web");
    // The key comes from the environment here, as a container would set it.
    server_ = new ServerProcess(*dir_, {"--model", trained_model_dir().string(), "--web-dir", "web"},
                                {"ARXIVC_API_KEY=k3y-from-env"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  static std::filesystem::path* dir_;
  static ServerProcess* server_;
};

std::filesystem::path* ServeApiKeyTest::dir_ = nullptr;
ServerProcess* ServeApiKeyTest::server_ = nullptr;

TEST_F(ServeApiKeyTest, EveryEndpointButHealthAndReadyNeedsTheKey) {
  HttpClient http(server_->port());
  const std::vector<std::pair<std::string, std::string>> protected_routes = {
      {"POST", "/v1/predict"},   {"POST", "/v1/predict/batch"},
      {"GET", "/v1/categories"}, {"GET", "/v1/model"},
      {"GET", "/metrics"},       {"GET", "/openapi.json"},
      {"GET", "/docs"},          {"GET", "/"},
      {"GET", "/static/app.js"}, {"GET", "/vendor/redoc/bundles/redoc.standalone.js"},
      {"POST", "/admin/reload"}};
  for (const auto& [method, path] : protected_routes) {
    const auto missing =
        http.request(method, path, R"({"title": "x"})", {{"Content-Type", "application/json"}});
    EXPECT_EQ(missing.status, 401) << method << " " << path;
    EXPECT_EQ(missing.header("www-authenticate"), "Bearer");
    EXPECT_EQ(missing.header("content-type"), "application/problem+json");
    const auto wrong =
        http.request(method, path, R"({"title": "x"})",
                     {{"Content-Type", "application/json"}, {"Authorization", "Bearer k3y-from-enw"}});
    EXPECT_EQ(wrong.status, 401) << method << " " << path;
    const auto prefix = http.request(method, path, R"({"title": "x"})",
                                     {{"Content-Type", "application/json"}, {"Authorization", "Bearer k3y"}});
    EXPECT_EQ(prefix.status, 401) << method << " " << path;
  }
  EXPECT_EQ(http.get("/health").status, 200);
  EXPECT_EQ(http.get("/ready").status, 200);
}

TEST_F(ServeApiKeyTest, TheRightKeyOpensEverything) {
  HttpClient http(server_->port());
  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer k3y-from-env"}};
  EXPECT_EQ(http.post("/v1/predict", R"({"title": "Lattice QCD"})", auth).status, 200);
  EXPECT_EQ(http.get("/v1/categories", auth).status, 200);
  EXPECT_EQ(http.get("/metrics", auth).status, 200);
  EXPECT_EQ(http.get("/", auth).status, 200);
  EXPECT_EQ(http.get("/static/app.js", auth).status, 200);
}

}  // namespace
}  // namespace arxivc::testing
