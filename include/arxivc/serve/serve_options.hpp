#pragma once

// Settings of `arxivc serve`, read from the configuration's `serve:` section.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "arxivc/config/config.hpp"

namespace arxivc::serve {

struct ServeOptions {
  std::filesystem::path model_dir;
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;  // 0 = any free port
  unsigned threads = 0;       // I/O threads; 0 = one per core
  unsigned workers = 0;       // inference threads; 0 = one per core
  std::size_t queue_capacity = 1024;
  std::size_t max_batch = 256;
  std::size_t max_body_bytes = 1 << 20;
  double read_timeout_s = 10;
  double idle_timeout_s = 60;
  double shutdown_timeout_s = 30;
  std::optional<std::string> api_key;  // unset = open service (never empty)
  bool auth = true;                    // false: served without authentication (--no-auth) on purpose
  std::filesystem::path web_dir = "web";
  bool access_log = true;

  unsigned io_threads() const;
  unsigned worker_threads() const;
};

// Reads and checks `serve.*`; throws ConfigError naming the key. Integers may also come as decimal text,
// as environment variables do (`port: ${oc.env:PORT,8000}`). An empty API key (`--api-key ''`,
// ARXIVC_API_KEY set to nothing) is refused unless serve.auth is false, and a key with serve.auth false
// too: both are more likely a mistake than a wish to serve without authentication.
ServeOptions serve_options_from_config(const config::Config& config);

}  // namespace arxivc::serve
