#include "http_session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>

#include "arxivc/serve/problem.hpp"

namespace arxivc::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

std::chrono::steady_clock::duration seconds(double value) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(value));
}

template <typename Name>
std::string field(const http::request<http::string_body>& message, Name name) {
  const auto it = message.find(name);
  return it == message.end() ? std::string() : std::string(it->value());
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, Service& service, SessionRegistry& registry)
    : stream_(std::move(socket)), service_(service), registry_(registry) {}

HttpSession::~HttpSession() {
  if (id_ != 0) registry_.remove(id_);
}

void HttpSession::start() {
  id_ = registry_.add(shared_from_this());
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

void HttpSession::shut_down() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->closing_ = true;
    if (!self->busy_) self->close();
  });
}

void HttpSession::read_request() {
  if (closing_) return close();
  parser_.emplace();
  parser_->body_limit(service_.options().max_body_bytes);
  parser_->header_limit(16 * 1024);
  const auto& options = service_.options();
  stream_.expires_after(seconds(first_request_ ? options.read_timeout_s : options.idle_timeout_s));
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void HttpSession::on_header(beast::error_code error) {
  if (error) return refuse_unreadable(error);
  first_request_ = false;
  stream_.expires_after(seconds(service_.options().read_timeout_s));
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
}

void HttpSession::on_body(beast::error_code error) {
  if (error) return refuse_unreadable(error);
  busy_ = true;
  stream_.expires_never();
  auto message = parser_->release();
  keep_alive_ = message.keep_alive();
  service_.handle(request_from(message, true), responder());
}

HttpRequest HttpSession::request_from(http::request<http::string_body>& message, bool with_body) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  const auto target = message.target();
  request.path = std::string(target.substr(0, target.find('?')));
  request.content_type = field(message, http::field::content_type);
  request.authorization = field(message, http::field::authorization);
  request.request_id = field(message, beast::string_view("X-Request-Id"));
  if (with_body) request.body = std::move(message.body());
  return request;
}

// Reading failed: a client that left or went quiet is dropped; a request that cannot be read whole
// (too large, malformed) is answered, then the connection closes since the rest of it is unread.
void HttpSession::refuse_unreadable(beast::error_code error) {
  if (error == http::error::body_limit || error == http::error::header_limit ||
      error.category() == http::make_error_code(http::error::bad_target).category()) {
    if (error == http::error::end_of_stream || error == http::error::partial_message) return close();
    HttpRequest request;
    // The request line is parsed before any limit can trip, so method and path are known here.
    if (parser_) request = request_from(parser_->get(), false);
    HttpResponse response;
    if (error == http::error::body_limit) {
      response = problem(413, fmt::format("the request body is larger than the limit of {} bytes",
                                          service_.options().max_body_bytes));
    } else if (error == http::error::header_limit) {
      response = problem(431, "the request header is larger than the limit of 16384 bytes");
    } else {
      response = problem(400, fmt::format("malformed HTTP request: {}", error.message()));
    }
    busy_ = true;
    keep_alive_ = false;
    service_.refuse(std::move(request), std::move(response), responder());
    return;
  }
  close();
}

Respond HttpSession::responder() {
  return [self = shared_from_this()](HttpResponse&& response) {
    net::dispatch(self->stream_.get_executor(),
                  [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
  };
}

void HttpSession::write(HttpResponse&& answer) {
  const bool keep_alive = keep_alive_ && !closing_;
  response_ = {};
  response_.result(static_cast<unsigned>(answer.status));
  response_.version(11);
  response_.set(http::field::server, "arxivc");
  response_.set(http::field::content_type, answer.content_type);
  for (const auto& [name, value] : answer.headers) response_.set(name, value);
  response_.body() = std::move(answer.body);
  response_.keep_alive(keep_alive);
  if (answer.head_length) {
    response_.content_length(*answer.head_length);  // HEAD: the GET answer's length, no body
  } else {
    response_.prepare_payload();
  }
  stream_.expires_after(seconds(service_.options().read_timeout_s));
  http::async_write(stream_, response_,
                    [self = shared_from_this(), keep_alive](beast::error_code error, std::size_t) {
                      self->on_written(error, keep_alive);
                    });
}

void HttpSession::on_written(beast::error_code error, bool keep_alive) {
  busy_ = false;
  if (error || !keep_alive) return close();
  read_request();
}

void HttpSession::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

std::uint64_t SessionRegistry::add(const std::shared_ptr<HttpSession>& session) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  sessions_.emplace(id, session);
  return id;
}

void SessionRegistry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

std::size_t SessionRegistry::size() {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void SessionRegistry::shut_down_all() {
  std::vector<std::shared_ptr<HttpSession>> open;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, weak] : sessions_) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (auto& session : open) session->shut_down();
}

}  // namespace arxivc::serve
