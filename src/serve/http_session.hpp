#pragma once

// One client connection: waits for a request (up to the idle timeout between requests), reads it whole,
// header and body, within the read timeout from its first byte (size-limited, framing checked), hands
// it to the Service, writes its answer, and keeps the connection open while the client wants it.
// Everything runs on the connection's strand.

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "arxivc/serve/service.hpp"

namespace arxivc::serve {

class SessionRegistry;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, Service& service, SessionRegistry& registry);
  ~HttpSession();

  void start();
  // Closes the connection once the request in progress (if any: one of which some bytes have arrived)
  // is received and answered.
  void shut_down();

 private:
  void read_request();
  void on_first_bytes(boost::beast::error_code error, std::size_t bytes);
  void read_header();
  void on_header(boost::beast::error_code error);
  void on_body(boost::beast::error_code error);
  void refuse_unreadable(boost::beast::error_code error);
  // Answers a request that is not read whole (too large, malformed, ambiguous framing), then closes.
  void refuse(int status, std::string detail);
  void write(HttpResponse&& response);
  void on_written(boost::beast::error_code error, bool keep_alive);
  // Closes after discarding what the client still sends, within limits (a lingering close): closing
  // with unread input would send a TCP reset, which can destroy the answer before the client reads it.
  void linger();
  void discard();
  void close();
  bool input_pending();  // bytes of a request buffered here or waiting in the socket
  Respond responder();
  HttpRequest request_from(boost::beast::http::request<boost::beast::http::string_body>& message,
                           bool with_body);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  Service& service_;
  SessionRegistry& registry_;
  std::string remote_ip_;  // the peer's address, for the access log
  std::uint64_t id_ = 0;
  std::size_t linger_left_ = 0;  // bytes the lingering close still discards
  bool first_request_ = true;
  bool waiting_ = false;  // waiting for the first byte of the next request: nothing of it received
  bool busy_ = false;     // a request is being answered
  bool keep_alive_ = true;
  bool unread_input_ = false;  // the request was answered before it was read whole
  bool closing_ = false;
  // --profile samples some requests (core/trace.hpp): the id of the request in progress when it is one
  // of them (else 0), when its first bytes were read and when its answer began to be written.
  std::uint64_t trace_request_ = 0;
  std::chrono::steady_clock::time_point request_started_{};
  std::chrono::steady_clock::time_point write_started_{};
};

// The open connections, so a shutdown can close the idle ones.
class SessionRegistry {
 public:
  std::uint64_t add(const std::shared_ptr<HttpSession>& session);
  void remove(std::uint64_t id);
  std::size_t size();
  void shut_down_all();

 private:
  std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, std::weak_ptr<HttpSession>> sessions_;
};

}  // namespace arxivc::serve
