// The API key from the real process's point of view: never in a response or the log, never empty by
// accident, and a warning when the service is open on an address other machines can reach.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "serve_support.hpp"

namespace arxivc::testing {
namespace {

using namespace std::chrono_literals;

const std::string kTrainedKey = "trained-with-this-k3y";
const std::string kServingKey = "serving-k3y-42";

// A copy of the test model whose config.yaml holds an API key, as `arxivc train` wrote it before keys
// were redacted when ARXIVC_API_KEY was set in its environment (plus a copy of it by a YAML alias).
std::filesystem::path model_with_key_in_config(const std::filesystem::path& dir) {
  const auto model = dir / "model";
  copy_model(trained_model_dir(), model);
  auto config = read_all(model / "config.yaml");
  const std::string unset = "  api_key: null\n";
  const auto at = config.find(unset);
  if (at == std::string::npos) throw std::runtime_error("no serve.api_key in config.yaml:\n" + config);
  config.replace(at, unset.size(), "  api_key: &key " + kTrainedKey + "\n");
  config += "copy_of_the_key: *key\n";  // a YAML alias repeats the key elsewhere
  std::ofstream(model / "config.yaml", std::ios::trunc) << config;
  return model;
}

bool shows_a_key(const HttpResult& response) {
  auto text = response.body;
  for (const auto& [name, value] : response.headers) text += name + ": " + value + "\n";
  return text.find(kTrainedKey) != std::string::npos || text.find(kServingKey) != std::string::npos;
}

TEST(ServeSecretsTest, NoResponseAndNoLogLineShowsAnApiKey) {
  const auto dir = fresh_test_dir("serve-secrets");
  const auto model = model_with_key_in_config(dir);
  make_web_dir(dir / "web");
  ServerProcess server(dir, {"-v", "--model", model.string(), "--web-dir", "web", "--api-key", kServingKey});
  HttpClient http(server.port());
  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + kServingKey}};

  const auto card = http.get("/v1/model", auth);
  ASSERT_EQ(card.status, 200) << card.body;
  const auto configuration = card.json()["configuration"].get<std::string>();
  EXPECT_EQ(configuration.find(kTrainedKey), std::string::npos) << configuration;
  EXPECT_NE(configuration.find("api_key: \"***\""), std::string::npos) << configuration;
  EXPECT_NE(configuration.find("training:"), std::string::npos) << "the rest is still there";

  std::vector<HttpResult> responses = {card};
  for (const std::string path : {"/v1/model", "/v1/categories", "/health", "/ready", "/metrics",
                                 "/openapi.json", "/docs", "/", "/static/app.js", "/nowhere"}) {
    responses.push_back(http.get(path, auth));
    responses.push_back(http.head(path, auth));
    responses.push_back(http.get(path));
    responses.push_back(http.get(path, {{"Authorization", "Bearer " + kTrainedKey}}));
  }
  responses.push_back(http.post("/v1/predict", R"({"title": "Lattice QCD"})", auth));
  responses.push_back(http.post("/v1/predict", R"({"title": "x", "top_k": 0})", auth));
  responses.push_back(http.post("/v1/predict/batch", R"({"papers": [{"title": "Lattice QCD"}]})", auth));
  responses.push_back(http.request("POST", "/admin/reload", "", auth));
  for (const auto& response : responses) {
    EXPECT_FALSE(shows_a_key(response)) << response.status << " " << response.body;
  }
  // The reloaded model's card is redacted too.
  EXPECT_EQ(http.get("/v1/model", auth).body.find(kTrainedKey), std::string::npos);

  server.signal(SIGTERM);
  ASSERT_TRUE(server.wait(60s)) << server.log();
  const auto log = server.log();
  EXPECT_NE(log.find("\"requestUrl\":\"/v1/model\""), std::string::npos)
      << "the access log was written: " << log;
  EXPECT_EQ(log.find(kServingKey), std::string::npos) << log;
  EXPECT_EQ(log.find(kTrainedKey), std::string::npos) << log;
}

TEST(ServeSecretsTest, AConfigurationWithoutAKeyIsServedAsWritten) {
  const auto dir = fresh_test_dir("serve-secrets-unchanged");
  ServerProcess server(dir, {"--model", trained_model_dir().string()});
  const auto card = HttpClient(server.port()).get("/v1/model").json();
  EXPECT_EQ(card["configuration"], read_all(trained_model_dir() / "config.yaml"));
}

// An empty key would leave the service open while it looks protected: refused (exit code 2), unless
// authentication is turned off on purpose; a key together with --no-auth is a contradiction.
TEST(ServeSecretsTest, AnEmptyApiKeyIsRefusedUnlessAuthIsTurnedOff) {
  const auto dir = fresh_test_dir("serve-secrets-empty");
  const auto model = trained_model_dir().string();
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> refused = {
      {{"--model", model, "--api-key", ""}, {}},
      {{"--model", model}, {"ARXIVC_API_KEY="}},
      {{"--model", model, "serve.api_key=''"}, {}},
      {{"--model", model, "--no-auth", "--api-key", "k3y"}, {}},
      {{"--model", model, "serve.auth=false"}, {"ARXIVC_API_KEY=k3y"}},
  };
  for (const auto& [args, env] : refused) {
    const auto result = run_serve_expecting_exit(dir, args, env, 30s);
    const auto call = fmt::format("{} {}", fmt::join(env, " "), fmt::join(args, " "));
    EXPECT_EQ(result.exit_code, 2) << call << "\n" << result.err;
    EXPECT_NE(result.err.find("--no-auth"), std::string::npos) << call << "\n" << result.err;
    EXPECT_EQ(result.err.find("k3y"), std::string::npos) << call << ": the message shows the key\n"
                                                         << result.err;
  }

  ServerProcess open(dir, {"--model", model, "--no-auth"}, {"ARXIVC_API_KEY="});
  EXPECT_EQ(HttpClient(open.port()).get("/v1/categories").status, 200);
  EXPECT_NE(open.log().find("authentication disabled"), std::string::npos) << open.log();
}

TEST(ServeSecretsTest, AnOpenServiceOnAReachableAddressWarns) {
  const auto dir = fresh_test_dir("serve-secrets-exposed");
  const auto model = trained_model_dir().string();
  {
    ServerProcess exposed(dir, {"--model", model, "--host", "0.0.0.0"});
    EXPECT_EQ(HttpClient(exposed.port()).get("/health").status, 200);
    EXPECT_NE(exposed.log().find("warning serving without authentication on 0.0.0.0"), std::string::npos)
        << exposed.log();
  }
  {
    ServerProcess exposed_no_auth(dir, {"--model", model, "--host", "0.0.0.0", "--no-auth"});
    EXPECT_NE(exposed_no_auth.log().find("without authentication"), std::string::npos)
        << exposed_no_auth.log();
  }
  {
    ServerProcess protected_server(dir, {"--model", model, "--host", "0.0.0.0"}, {"ARXIVC_API_KEY=k3y"});
    EXPECT_EQ(protected_server.log().find("without authentication"), std::string::npos)
        << protected_server.log();
  }
  {
    ServerProcess local(dir, {"--model", model});
    EXPECT_EQ(local.log().find("without authentication"), std::string::npos) << local.log();
  }
}

}  // namespace
}  // namespace arxivc::testing
