#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>

#include "arxivc/serve/server.hpp"
#include "arxivc/serve/service.hpp"
#include "command.hpp"

namespace arxivc::cli {
namespace {

struct ServeCommand {
  ConfigOptions config;
  std::string model;
  std::string host;
  int port = -1;
  int threads = -1;
  std::string api_key;
  CLI::Option* api_key_option = nullptr;
  bool no_auth = false;
  std::string web_dir;

  void run() const {
    std::vector<std::string> shortcuts;
    if (!model.empty()) shortcuts.push_back(string_override("serve.model", model));
    if (!host.empty()) shortcuts.push_back(string_override("serve.host", host));
    if (port >= 0) shortcuts.push_back("serve.port=" + std::to_string(port));
    if (threads >= 0) shortcuts.push_back("serve.threads=" + std::to_string(threads));
    // Given, even empty: an empty key is refused (serve_options_from_config), never taken as "no key".
    if (api_key_option->count() > 0) shortcuts.push_back(string_override("serve.api_key", api_key));
    if (no_auth) shortcuts.push_back("serve.auth=false");
    if (!web_dir.empty()) shortcuts.push_back(string_override("serve.web_dir", web_dir));
    const auto options = serve::serve_options_from_config(config.compose(shortcuts));

    const auto start = std::chrono::steady_clock::now();
    serve::Service service(options);
    const auto model_info = service.model();
    spdlog::info("model {} version {} ({} categories) loaded from {} in {:.3f} s",
                 model_info->classifier->name(), model_info->classifier->version(), model_info->label_count(),
                 options.model_dir.string(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (options.api_key) {
      spdlog::info("API key required on every endpoint but /health and /ready");
    } else if (!options.auth) {
      spdlog::info("authentication disabled (--no-auth): every endpoint is open");
    }
    serve::Server server(service);
    server.run();
  }
};

}  // namespace

Command register_serve_command(CLI::App& app) {
  auto state = std::make_shared<ServeCommand>();
  auto* command =
      app.add_subcommand("serve", "Serve a model over HTTP: predictions, metrics, OpenAPI, a web page");
  command->add_option("--model,-m", state->model, "Model directory to serve (serve.model)");
  command->add_option("--host", state->host, "Address to listen on (serve.host, default 127.0.0.1)");
  command->add_option("--port,-p", state->port, "Port, 0 = any free port (serve.port; default $PORT or 8000)")
      ->check(CLI::Range(0, 65535));
  command->add_option("--threads,-j", state->threads, "I/O threads, 0 = one per core (serve.threads)")
      ->check(CLI::NonNegativeNumber);
  state->api_key_option =
      command->add_option("--api-key", state->api_key,
                          "Require Authorization: Bearer KEY on every endpoint but /health and /ready "
                          "(serve.api_key; default $ARXIVC_API_KEY; an empty key is refused)");
  command->add_flag("--no-auth", state->no_auth,
                    "Serve without authentication on purpose, even with an empty key (serve.auth=false)");
  command->add_option("--web-dir", state->web_dir,
                      "Directory of the web page and its assets (serve.web_dir)");
  state->config.add_to(*command);
  return {command, [state] { state->run(); }};
}

}  // namespace arxivc::cli
