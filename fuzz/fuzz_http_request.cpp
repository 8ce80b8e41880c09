// The HTTP request path up to the response: the input is what a client sends on one connection. A real
// HttpSession (Boost.Beast parser, limits, framing checks, keep-alive and pipelining, lingering close)
// reads it from one end of a socket pair and hands each request to a real Service (routing, API key,
// handlers, Problem JSON, the inference pool) serving a tiny trained model; the harness writes the input,
// closes its sending side and reads every response byte until the server closes the connection.
//
// The model directory is $ARXIVC_FUZZ_MODEL, by default build-fuzz/fuzz-model, which fuzz/run.sh trains
// with the arxivc program of the same build.
#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

#include "arxivc/core/error.hpp"
#include "arxivc/serve/serve_options.hpp"
#include "arxivc/serve/service.hpp"
#include "serve/http_session.hpp"

namespace net = boost::asio;
namespace serve = arxivc::serve;
using tcp = net::ip::tcp;

namespace {

constexpr std::string_view kApiKey = "fuzz-key";  // the seeds send "Authorization: Bearer fuzz-key"

serve::ServeOptions options() {
  serve::ServeOptions options;
  const char* model = std::getenv("ARXIVC_FUZZ_MODEL");
  options.model_dir = model != nullptr && *model != '\0' ? model : ARXIVC_FUZZ_MODEL_DEFAULT;
  options.threads = 1;
  options.workers = 1;
  options.api_key = std::string(kApiKey);
  options.read_timeout_s = 5;  // below libFuzzer's -timeout: a request that hangs is a finding
  options.web_dir = std::filesystem::path(ARXIVC_SOURCE_DIR) / "web";
  options.access_log = false;
  return options;
}

// One service and one I/O thread for the whole run, as in `arxivc serve --threads 1 --workers 1`.
struct Server {
  serve::Service service;
  serve::SessionRegistry sessions;
  net::io_context io{1};
  net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(io);
  std::thread thread;

  explicit Server(serve::ServeOptions options) : service(std::move(options)) {
    thread = std::thread([this] { io.run(); });
  }
  ~Server() {
    sessions.shut_down_all();
    work.reset();
    io.stop();
    thread.join();
    service.stop();
  }
};

Server& server() {
  static const std::unique_ptr<Server> instance = [] {
    spdlog::set_level(spdlog::level::err);
    try {
      return std::make_unique<Server>(options());
    } catch (const arxivc::Error& error) {
      std::fprintf(stderr, "fuzz_http_request: cannot serve the model: %s\n(set ARXIVC_FUZZ_MODEL)\n",
                   error.what());
      std::exit(1);
    }
  }();
  return *instance;
}

// Sends `input` on `client` and reads the answers until the server closes the connection.
void converse(int client, std::string_view input) {
  std::array<char, 64 * 1024> answer{};
  bool sending = true;
  while (true) {
    if (sending && input.empty()) {
      ::shutdown(client, SHUT_WR);
      sending = false;
    }
    pollfd descriptor{client, static_cast<short>(POLLIN | (sending ? POLLOUT : 0)), 0};
    if (::poll(&descriptor, 1, -1) < 0) return;
    if (sending && (descriptor.revents & POLLOUT) != 0) {
      const ssize_t sent = ::send(client, input.data(), input.size(), MSG_NOSIGNAL);
      if (sent < 0) {
        sending = false;  // the server closed early (a refused request): keep reading its answer
      } else {
        input.remove_prefix(static_cast<std::size_t>(sent));
      }
    }
    if ((descriptor.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      const ssize_t received = ::recv(client, answer.data(), answer.size(), 0);
      if (received <= 0) return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Server& instance = server();
  std::array<int, 2> pair{};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair.data()) != 0) std::abort();
  ::fcntl(pair[1], F_SETFL, ::fcntl(pair[1], F_GETFL) | O_NONBLOCK);

  tcp::socket socket(net::make_strand(instance.io));
  socket.assign(tcp::v4(), pair[0]);  // Asio only needs a stream socket, whatever its address family
  std::make_shared<serve::HttpSession>(std::move(socket), instance.service, instance.sessions)->start();

  converse(pair[1], std::string_view(reinterpret_cast<const char*>(data), size));
  ::close(pair[1]);
  // The session is gone once its last handler has run: wait for it, so each input starts afresh.
  while (instance.sessions.size() != 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
  return 0;
}
