#pragma once

// The network side of `arxivc serve`: an HTTP/1.1 server with keep-alive on N I/O threads (Boost.Beast),
// feeding a Service. Signals: SIGHUP reloads the model; SIGTERM and SIGINT stop accepting, let the
// requests in flight finish (up to serve.shutdown_timeout_s) and return.

#include <cstdint>
#include <memory>

#include "arxivc/serve/service.hpp"

namespace arxivc::serve {

class Server {
 public:
  // Binds the listening socket (throws arxivc::Error when it cannot) without serving yet.
  explicit Server(Service& service);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;  // the bound port (the free one picked for port 0)

  // Logs "listening on http://HOST:PORT" and serves until SIGTERM or SIGINT; returns once every request
  // in flight has been answered.
  void run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace arxivc::serve
