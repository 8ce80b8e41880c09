#pragma once

// Support for the end-to-end tests of `arxivc serve`: a small model trained once with the real CLI and
// shared by every test process, the real server process on a free port of 127.0.0.1, and a small HTTP
// client (Boost.Beast) that speaks to it over real sockets.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

// Asio 1.74 trips GCC 12's -Wnull-dereference once inlined (a false positive; see src/serve/server.cpp).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "run_process.hpp"

namespace arxivc::testing {

// The decimal number right after the first `prefix` in `text`, if any. (No std::regex: GCC 12's
// -Wmaybe-uninitialized false positives in <regex> break the sanitizer build under -Werror.)
inline std::optional<long> number_after(const std::string& text, const std::string& prefix) {
  const auto at = text.find(prefix);
  if (at == std::string::npos) return std::nullopt;
  std::size_t end = at + prefix.size();
  while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  if (end == at + prefix.size()) return std::nullopt;
  return std::stol(text.substr(at + prefix.size(), end - at - prefix.size()));
}

// The binary that serves: ARXIVC_SERVE_BINARY when set (to run these tests against another build, e.g.
// to see a new test fail on the code before a fix), else the one built here.
inline std::string serve_binary() {
  const char* other = std::getenv("ARXIVC_SERVE_BINARY");
  return other != nullptr && *other != '\0' ? std::string(other) : std::string(ARXIVC_BINARY);
}

// A model trained on the 5k sample with the real CLI, once per arxivc binary: the first test process to get
// the lock trains into a temporary directory and renames it into place; the others wait and reuse it. A
// rebuilt binary (say, with a new model format) trains a fresh one and removes the older ones.
inline std::filesystem::path trained_model_dir() {
  const char* base = std::getenv("ARXIVC_TEST_TMP");
  const std::filesystem::path root =
      std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) / "serve-shared";
  std::filesystem::create_directories(root);
  const auto binary_stamp =
      std::to_string(std::filesystem::last_write_time(ARXIVC_BINARY).time_since_epoch().count()) + "-" +
      std::to_string(std::filesystem::file_size(ARXIVC_BINARY));
  const auto model = root / ("model-" + binary_stamp);
  if (std::filesystem::exists(model / "model.bin")) return model;

  struct Lock {
    int fd;
    ~Lock() {
      if (fd >= 0) ::close(fd);
    }
  } lock{::open((root / "lock").c_str(), O_CREAT | O_RDWR, 0644)};
  if (lock.fd < 0 || ::flock(lock.fd, LOCK_EX) != 0) {
    throw std::runtime_error("cannot lock " + (root / "lock").string());
  }
  if (std::filesystem::exists(model / "model.bin")) return model;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (entry.path().filename().string().rfind("model-", 0) == 0) std::filesystem::remove_all(entry.path());
  }
  const auto work = root / ("work-" + std::to_string(::getpid()));
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  auto trained =
      run_process(ARXIVC_BINARY,
                  {"train", "--input", (shared_data_dir() / "arxiv-metadata-5k.json").string(), "--output",
                   "model", "--epochs", "3", "run.dir=runs/train", "prepare.selection.min_papers=30"},
                  work,
                  {"ARXIVC_DATA_DIR=" + shared_data_dir().string(),
                   "ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()});
  if (trained.exit_code != 0) throw std::runtime_error("training the test model failed: " + trained.err);
  std::filesystem::rename(work / "model", model);
  std::filesystem::remove_all(work);
  return model;
}

// Copies a model directory (model.bin and what Classifier::load reads), for tests that change it.
inline void copy_model(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::create_directories(to);
  for (const char* file : {"model.bin", "labels.json", "featurisation.json", "config.yaml", "metrics.json"}) {
    std::filesystem::copy_file(from / file, to / file, std::filesystem::copy_options::overwrite_existing);
  }
}

// A minimal web directory, so the page and file routes are tested independently of web/'s contents.
inline std::filesystem::path make_web_dir(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir / "static" / "css");
  std::filesystem::create_directories(dir / "node_modules" / "redoc" / "bundles");
  std::ofstream(dir / "index.html") << "<!doctype html><title>arxivc</title><h1>arXiv classifier</h1>";
  std::ofstream(dir / "docs.html")
      << "<!doctype html><title>API</title><redoc spec-url='/openapi.json'></redoc>";
  std::ofstream(dir / "static" / "app.js") << "console.log('arxivc');";
  std::ofstream(dir / "static" / "css" / "page.css") << "body { margin: 0; }";
  std::ofstream(dir / "node_modules" / "redoc" / "bundles" / "redoc.standalone.js") << "/* redoc */";
  std::ofstream(dir / "secret.txt") << "outside static/";
  return dir;
}

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

// One keep-alive connection to 127.0.0.1:port. Generous timeouts: the tests never assert speed.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) : port_(port), stream_(io_) { connect(); }

  HttpResult request(const std::string& method, const std::string& target, const std::string& body = {},
                     const std::map<std::string, std::string>& headers = {
                         {"Content-Type", "application/json"}}) {
    namespace http = boost::beast::http;
    if (!stream_.socket().is_open()) connect();
    http::request<http::string_body> message{http::string_to_verb(method), target, 11};
    if (message.method() == http::verb::unknown) message.method_string(method);
    message.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) message.set(name, value);
    if (!body.empty() || method == "POST") {
      message.body() = body;
      message.prepare_payload();
    }
    message.keep_alive(true);
    stream_.expires_after(std::chrono::seconds(120));
    http::write(stream_, message);
    return read_response(method == "HEAD");
  }

  HttpResult get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return request("GET", target, {}, headers);
  }
  HttpResult head(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return request("HEAD", target, {}, headers);
  }
  HttpResult post(const std::string& target, const std::string& body,
                  std::map<std::string, std::string> headers = {}) {
    headers.emplace("Content-Type", "application/json");
    return request("POST", target, body, headers);
  }

  // Writes raw bytes (for malformed or partial requests) and reads one response, if any comes.
  void send_raw(const std::string& bytes) {
    stream_.expires_after(std::chrono::seconds(120));
    boost::asio::write(stream_, boost::asio::buffer(bytes));
  }
  // Reads one response; `head`: the answer to a HEAD request (no body, whatever Content-Length says).
  // A response with Connection: close closes this side too, unless `keep_open` (to see what the server
  // does next).
  HttpResult read_response(bool head = false, bool keep_open = false) {
    namespace http = boost::beast::http;
    stream_.expires_after(std::chrono::seconds(120));
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head);
    http::read(stream_, buffer_, parser);
    const auto& response = parser.get();
    HttpResult result;
    result.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      result.headers[name] = std::string(field.value());
    }
    result.body = response.body();
    if (!response.keep_alive() && !keep_open) close();
    return result;
  }
  // Whether the server closed the connection within `timeout` (reads and discards anything it sends).
  bool closed_by_server(std::chrono::milliseconds timeout) { return closure(timeout) != Closure::open; }

  // How the server ended the connection, waiting up to `timeout` (reading and discarding what it sends):
  // still open, closed in order (FIN), or reset (RST: what it sends when it closes with input unread).
  enum class Closure { open, closed, reset };
  Closure closure(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const int fd = stream_.socket().native_handle();
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd descriptor{fd, POLLIN, 0};
      if (::poll(&descriptor, 1, 20) <= 0) continue;
      char bytes[4096];
      const auto n = ::recv(fd, bytes, sizeof bytes, 0);
      if (n == 0) return Closure::closed;
      if (n < 0) return Closure::reset;
    }
    return Closure::open;
  }

  // Sends raw bytes without waiting for an answer; false when the connection refuses them (reset or
  // closed by the server), where send_raw would throw.
  bool try_send(const std::string& bytes) {
    const int fd = stream_.socket().native_handle();
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }
  // Ends the sending side (FIN), as a client does once its request is out.
  void shutdown_send() {
    boost::beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  }
  void close() {
    boost::beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    buffer_.clear();
  }

 private:
  void connect() {
    stream_.expires_after(std::chrono::seconds(60));
    stream_.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
  }

  std::uint16_t port_;
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

// The real `arxivc serve` process on 127.0.0.1, port 0; the port is read from its "listening on" line.
class ServerProcess {
 public:
  // Listens on 127.0.0.1 unless `args` hold --host HOST.
  ServerProcess(const std::filesystem::path& dir, const std::vector<std::string>& args,
                const std::vector<std::string>& env = {})
      : err_file_(dir / ("serve-" + std::to_string(++counter()) + ".err")) {
    std::string host = "127.0.0.1";
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == "--host") host = args[i + 1];
    }
    std::vector<std::string> argv = {serve_binary(), "serve", "--port", "0"};
    if (host == "127.0.0.1") argv.insert(argv.end(), {"--host", host});
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> environment = {"ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()};
    environment.insert(environment.end(), env.begin(), env.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      if (::chdir(dir.c_str()) != 0) ::_exit(127);
      ::unsetenv("ARXIVC_API_KEY");
      ::unsetenv("PORT");
      for (auto& e : environment) ::putenv(e.data());
      if (!std::freopen("/dev/null", "rb", stdin) || !std::freopen("/dev/null", "wb", stdout) ||
          !std::freopen(err_file_.c_str(), "wb", stderr)) {
        ::_exit(127);
      }
      std::vector<char*> raw;
      for (auto& a : argv) raw.push_back(a.data());
      raw.push_back(nullptr);
      ::execv(raw[0], raw.data());
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      if (const auto port = number_after(log(), "listening on http://" + host + ":")) {
        port_ = static_cast<std::uint16_t>(*port);
        return;
      }
      if (exited()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("arxivc serve did not start listening:\n" + log());
  }
  ~ServerProcess() {
    if (exit_code_) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  std::string log() const { return read_all(err_file_); }
  void signal(int number) const { ::kill(pid_, number); }

  // Waits for the process to end; its exit code (128 + signal when killed), or nullopt after `timeout`.
  std::optional<int> wait(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exited()) {
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return exit_code_;
  }

  // Waits until the log contains `text` (e.g. a reload's outcome); false after `timeout`.
  bool wait_for_log(const std::string& text, std::chrono::seconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (log().find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

 private:
  bool exited() {
    if (exit_code_) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
  }
  static int& counter() {
    static int value = 0;
    return value;
  }

  std::filesystem::path err_file_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::optional<int> exit_code_;
};

// Runs `arxivc serve ARGS` (in `dir`, with `env`) expecting it to exit by itself, as it does when it
// refuses its configuration: its exit code and stderr; exit code -1 when it was still running (serving)
// after `timeout`, and was then killed.
inline ProcessResult run_serve_expecting_exit(const std::filesystem::path& dir,
                                              const std::vector<std::string>& args,
                                              const std::vector<std::string>& env,
                                              std::chrono::seconds timeout = std::chrono::seconds(60)) {
  static int runs = 0;
  const auto err_file = dir / ("serve-exit-" + std::to_string(++runs) + ".err");
  std::vector<std::string> argv = {serve_binary(), "serve", "--host", "127.0.0.1", "--port", "0"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> environment = {"ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()};
  environment.insert(environment.end(), env.begin(), env.end());
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    ::unsetenv("ARXIVC_API_KEY");
    ::unsetenv("PORT");
    for (auto& e : environment) ::putenv(e.data());
    if (!std::freopen("/dev/null", "rb", stdin) || !std::freopen("/dev/null", "wb", stdout) ||
        !std::freopen(err_file.c_str(), "wb", stderr)) {
      ::_exit(127);
    }
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    ::execv(raw[0], raw.data());
    ::_exit(127);
  }
  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) != pid) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.err = read_all(err_file);
      return result;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.err = read_all(err_file);
  return result;
}

}  // namespace arxivc::testing
