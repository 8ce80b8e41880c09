#pragma once

// One client connection: reads requests (header within the idle or read timeout, body within the read
// timeout, size-limited), hands each to the Service, writes its answer, and keeps the connection open
// while the client wants it. Everything runs on the connection's strand.

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <memory>
#include <optional>

#include "arxivc/serve/service.hpp"

namespace arxivc::serve {

class SessionRegistry;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, Service& service, SessionRegistry& registry);
  ~HttpSession();

  void start();
  // Closes the connection once the request in progress (if any) is answered.
  void shut_down();

 private:
  void read_request();
  void on_header(boost::beast::error_code error);
  void on_body(boost::beast::error_code error);
  void refuse_unreadable(boost::beast::error_code error);
  void write(HttpResponse&& response);
  void on_written(boost::beast::error_code error, bool keep_alive);
  void close();
  Respond responder();
  HttpRequest request_from(boost::beast::http::request<boost::beast::http::string_body>& message,
                           bool with_body);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  Service& service_;
  SessionRegistry& registry_;
  std::uint64_t id_ = 0;
  bool first_request_ = true;
  bool busy_ = false;  // a complete request is being answered
  bool keep_alive_ = true;
  bool closing_ = false;
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
