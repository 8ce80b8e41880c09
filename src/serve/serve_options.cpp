#include "arxivc/serve/serve_options.hpp"

#include <fmt/format.h>

#include <charconv>
#include <thread>

#include "arxivc/core/error.hpp"
#include "arxivc/core/install_paths.hpp"

namespace arxivc::serve {
namespace {

std::int64_t integer_setting(const config::Config& config, const std::string& key, std::int64_t min,
                             std::int64_t max) {
  const auto& node = config.at(key);
  std::int64_t value = 0;
  if (node.kind() == config::Node::Kind::string) {
    const auto text = node.as_string(key);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
      throw ConfigError(fmt::format("{}: '{}' is not an integer", key, text));
    }
  } else {
    value = node.as_int(key);
  }
  if (value < min || value > max) {
    throw ConfigError(fmt::format("{}: {} is out of range [{}, {}]", key, value, min, max));
  }
  return value;
}

double seconds_setting(const config::Config& config, const std::string& key) {
  const double value = config.get_double(key);
  if (!(value > 0)) throw ConfigError(fmt::format("{}: {} must be a positive number of seconds", key, value));
  return value;
}

unsigned cores() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace

unsigned ServeOptions::io_threads() const { return threads > 0 ? threads : cores(); }
unsigned ServeOptions::worker_threads() const { return workers > 0 ? workers : cores(); }

ServeOptions serve_options_from_config(const config::Config& config) {
  ServeOptions options;
  const auto model = config.get_optional_string("serve.model");
  if (!model || model->empty()) {
    throw UsageError(
        "no model to serve: pass --model DIR (serve.model), a directory written by `arxivc train`");
  }
  options.model_dir = *model;
  options.host = config.get_string("serve.host");
  options.port = static_cast<std::uint16_t>(integer_setting(config, "serve.port", 0, 65535));
  options.threads = static_cast<unsigned>(integer_setting(config, "serve.threads", 0, 1024));
  options.workers = static_cast<unsigned>(integer_setting(config, "serve.workers", 0, 1024));
  options.queue_capacity =
      static_cast<std::size_t>(integer_setting(config, "serve.queue_capacity", 1, 1 << 24));
  options.max_batch = static_cast<std::size_t>(integer_setting(config, "serve.max_batch", 1, 1 << 20));
  options.max_body_bytes =
      static_cast<std::size_t>(integer_setting(config, "serve.max_body_bytes", 1024, std::int64_t{1} << 32));
  options.read_timeout_s = seconds_setting(config, "serve.read_timeout_s");
  options.idle_timeout_s = seconds_setting(config, "serve.idle_timeout_s");
  options.shutdown_timeout_s = seconds_setting(config, "serve.shutdown_timeout_s");
  options.auth = !config.has("serve.auth") || config.get_bool("serve.auth");
  options.api_key = config.get_optional_string("serve.api_key");
  if (options.auth && options.api_key && options.api_key->empty()) {
    throw ConfigError(
        "serve.api_key is empty (--api-key '' or ARXIVC_API_KEY set to nothing), which would leave the "
        "service open to anyone: give a key, or pass --no-auth (serve.auth=false) to serve without "
        "authentication on purpose");
  }
  if (!options.auth && options.api_key && !options.api_key->empty()) {
    throw ConfigError(
        "serve.auth is false (--no-auth) but an API key is set (--api-key, serve.api_key or "
        "ARXIVC_API_KEY): drop one of them");
  }
  if (!options.auth) options.api_key.reset();
  options.web_dir = config.get_string("serve.web_dir");
  // The default, relative `web`, outside the source tree: an installed arxivc's own copy of the page.
  if (std::error_code ignored;
      options.web_dir.is_relative() && !std::filesystem::is_directory(options.web_dir, ignored)) {
    if (const auto share = installed_share_dir();
        share && std::filesystem::is_directory(*share / "web", ignored)) {
      options.web_dir = *share / "web";
    }
  }
  options.access_log = config.get_bool("serve.access_log");
  return options;
}

}  // namespace arxivc::serve
