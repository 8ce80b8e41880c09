#include "arxivc/serve/server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

// Asio 1.74's scheduler trips GCC 12's -Wnull-dereference once inlined here (a false positive: the
// pointer is checked by the caller), so the warning is off for Asio's own code only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#pragma GCC diagnostic pop
#include <condition_variable>
#include <csignal>
#include <thread>

#include "arxivc/core/error.hpp"
#include "arxivc/core/trace.hpp"
#include "http_session.hpp"

namespace arxivc::serve {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Server::State {
  explicit State(Service& s)
      : service(s),
        io(static_cast<int>(s.options().io_threads())),
        acceptor(io),
        signals(io, SIGINT, SIGTERM, SIGHUP),
        drain_timer(io) {}

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](boost::system::error_code error, tcp::socket socket) {
      if (error == net::error::operation_aborted || !acceptor.is_open()) return;
      if (!error) {
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<HttpSession>(std::move(socket), service, sessions)->start();
      } else {
        spdlog::warn("accept failed: {}", error.message());
      }
      accept();
    });
  }

  void wait_for_signal() {
    signals.async_wait([this](boost::system::error_code error, int signal) {
      if (error) return;
      if (signal == SIGHUP) {
        spdlog::info("SIGHUP: reloading the model from {}", service.options().model_dir.string());
        TraceSpan span("reload", "serve");
        service.reload();
        return wait_for_signal();
      }
      if (!shutting_down) {
        wait_for_signal();  // armed first, so the drain that ends the shutdown cancels it
        return shut_down(signal);
      }
      spdlog::warn("second {}: stopping without waiting for requests in flight",
                   signal == SIGINT ? "SIGINT" : "SIGTERM");
      io.stop();
    });
  }

  // Stops accepting, closes idle connections, and lets the I/O threads run out of work once every open
  // connection has answered its request; a watchdog stops them after the shutdown timeout regardless.
  void shut_down(int signal) {
    shutting_down = true;
    spdlog::info("{}: shutting down, {} requests in flight", signal == SIGINT ? "SIGINT" : "SIGTERM",
                 service.metrics().in_flight());
    service.begin_shutdown();
    boost::system::error_code ignored;
    acceptor.close(ignored);
    sessions.shut_down_all();
    drain();
    watchdog = std::thread([this] {
      std::unique_lock lock(watchdog_mutex);
      const auto timeout = std::chrono::duration<double>(service.options().shutdown_timeout_s);
      if (!watchdog_wake.wait_for(lock, timeout, [this] { return stopped; })) {
        spdlog::warn("requests still in flight after {} s; stopping anyway",
                     service.options().shutdown_timeout_s);
        io.stop();
      }
    });
  }

  void drain() {
    if (sessions.size() == 0) {
      signals.cancel();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(10));
    drain_timer.async_wait([this](boost::system::error_code error) {
      if (!error) drain();
    });
  }

  Service& service;
  net::io_context io;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer drain_timer;
  SessionRegistry sessions;
  bool shutting_down = false;  // touched by the signal handler only (one pending wait at a time)
  std::thread watchdog;
  std::mutex watchdog_mutex;
  std::condition_variable watchdog_wake;
  bool stopped = false;
};

Server::Server(Service& service) : state_(std::make_unique<State>(service)) {
  const auto& options = service.options();
  boost::system::error_code error;
  const auto address = net::ip::make_address(options.host, error);
  if (error) throw UsageError(fmt::format("serve.host: '{}' is not an IP address", options.host));
  if (!options.api_key && !address.is_loopback()) {
    spdlog::warn(
        "serving without authentication on {}, an address other machines can reach: anyone who can connect "
        "can use every endpoint. Set an API key (--api-key or ARXIVC_API_KEY), or listen on 127.0.0.1",
        options.host);
  }
  const tcp::endpoint endpoint(address, options.port);
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(net::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(net::socket_base::max_listen_connections, error);
  if (error) {
    throw Error(fmt::format("cannot listen on {}:{}: {}", options.host, options.port, error.message()));
  }
}

Server::~Server() {
  if (state_->watchdog.joinable()) {
    {
      std::lock_guard lock(state_->watchdog_mutex);
      state_->stopped = true;
    }
    state_->watchdog_wake.notify_all();
    state_->watchdog.join();
  }
}

std::uint16_t Server::port() const { return state_->acceptor.local_endpoint().port(); }

void Server::run() {
  auto& state = *state_;
  state.accept();
  state.wait_for_signal();
  const auto& options = state.service.options();
  const auto host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  spdlog::info("listening on http://{}:{} ({} I/O threads, {} inference workers, model {} version {})", host,
               port(), options.io_threads(), options.worker_threads(),
               state.service.model()->classifier->name(), state.service.model()->classifier->version());
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < options.io_threads(); ++i) {
    threads.emplace_back([&state, i] {
      trace::name_thread("io", i);
      state.io.run();
    });
  }
  state.io.run();
  for (auto& thread : threads) thread.join();
  {
    std::lock_guard lock(state.watchdog_mutex);
    state.stopped = true;
  }
  state.watchdog_wake.notify_all();
  state.service.stop();
  spdlog::info("stopped");
}

}  // namespace arxivc::serve
