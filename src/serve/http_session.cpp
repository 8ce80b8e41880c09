#include "http_session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <chrono>
#include <string_view>
#include <vector>

#include "arxivc/core/trace.hpp"
#include "arxivc/serve/problem.hpp"

namespace arxivc::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

// Read size while waiting for a request's first bytes.
constexpr std::size_t kFirstRead = 4096;
// What a lingering close discards at most, and for how long, before it closes anyway.
constexpr std::size_t kLingerBytes = 4 * 1024 * 1024;
constexpr auto kLingerTime = std::chrono::seconds(5);

std::chrono::steady_clock::duration seconds(double value) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(value));
}

template <typename Name>
std::string field(const http::request<http::string_body>& message, Name name) {
  const auto it = message.find(name);
  return it == message.end() ? std::string() : std::string(it->value());
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// What makes a request's header unacceptable under RFC 9112 before its body is read: a missing or
// repeated Host, and any framing other than Content-Length alone or `Transfer-Encoding: chunked` alone
// (the only transfer coding served). A body whose length the server and a proxy in front of it could
// read differently is how requests are smuggled, so such a request is refused and its connection closed.
std::optional<std::string> header_problem(const http::request<http::string_body>& message) {
  const auto hosts = message.count(http::field::host);
  if (hosts == 0 && message.version() >= 11) return "an HTTP/1.1 request needs a Host header";
  if (hosts > 1) return "the request has more than one Host header";
  const auto [first, last] = message.equal_range(http::field::transfer_encoding);
  if (first == last) return std::nullopt;
  if (message.version() < 11) return "Transfer-Encoding is not allowed in an HTTP/1.0 request";
  if (message.count(http::field::content_length) > 0) {
    return "the request has both Transfer-Encoding and Content-Length";
  }
  std::vector<std::string_view> codings;
  std::string listed;
  for (auto it = first; it != last; ++it) {
    const std::string_view value(it->value().data(), it->value().size());
    if (!listed.empty()) listed += ", ";
    listed += value;
    std::size_t start = 0;
    while (start <= value.size()) {
      auto end = value.find(',', start);
      if (end == std::string_view::npos) end = value.size();
      auto coding = value.substr(start, end - start);
      while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t')) coding.remove_prefix(1);
      while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t')) coding.remove_suffix(1);
      if (!coding.empty()) codings.push_back(coding);
      start = end + 1;
    }
  }
  if (codings.size() == 1 && equals_ignoring_case(codings.front(), "chunked")) return std::nullopt;
  if (listed.size() > 100) listed = listed.substr(0, 100) + "...";
  return fmt::format(
      "Transfer-Encoding '{}' is not supported: the only transfer coding accepted is chunked, alone", listed);
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, Service& service, SessionRegistry& registry)
    : stream_(std::move(socket)), service_(service), registry_(registry) {
  beast::error_code ignored;
  const auto peer = stream_.socket().remote_endpoint(ignored);
  if (!ignored) remote_ip_ = peer.address().to_string();
}

HttpSession::~HttpSession() {
  if (id_ != 0) registry_.remove(id_);
}

void HttpSession::start() {
  id_ = registry_.add(shared_from_this());
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

// A connection waiting for a request is closed at once; one receiving a request (some of its bytes
// arrived, even if not yet read here) or answering one closes after the answer, which says so
// (Connection: close). The read timeout and serve.shutdown_timeout_s bound the wait.
void HttpSession::shut_down() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->closing_ = true;
    // Cancel the wait for a next request rather than close: a read that has already completed (its
    // handler queued, its bytes not yet in buffer_) still delivers its request, which is answered;
    // otherwise the handler sees operation_aborted and closes.
    if (self->waiting_ && !self->input_pending()) self->stream_.cancel();
  });
}

bool HttpSession::input_pending() {
  if (buffer_.size() > 0) return true;
  beast::error_code error;
  const auto available = stream_.socket().available(error);
  return !error && available > 0;
}

// Waits for the first bytes of the next request: up to the read timeout on a new connection, the idle
// timeout between requests. From its first byte, the whole request must arrive within the read timeout.
void HttpSession::read_request() {
  if (closing_ && !input_pending()) return close();
  parser_.emplace();
  parser_->body_limit(service_.options().max_body_bytes);
  parser_->header_limit(16 * 1024);
  if (buffer_.size() > 0) return read_header();  // pipelined: the next request is here already
  const auto& options = service_.options();
  waiting_ = true;
  stream_.expires_after(seconds(first_request_ ? options.read_timeout_s : options.idle_timeout_s));
  stream_.async_read_some(buffer_.prepare(kFirstRead),
                          [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                            self->on_first_bytes(ec, bytes);
                          });
}

void HttpSession::on_first_bytes(beast::error_code error, std::size_t bytes) {
  waiting_ = false;
  if (error) return close();  // the client left, went quiet, or the service is shutting down
  buffer_.commit(bytes);
  read_header();
}

void HttpSession::read_header() {
  first_request_ = false;
  trace_request_ = trace::sample_request();
  if (trace_request_ != 0) request_started_ = std::chrono::steady_clock::now();
  // One deadline for the header and the body: a client trickling either is cut off alike.
  stream_.expires_after(seconds(service_.options().read_timeout_s));
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void HttpSession::on_header(beast::error_code error) {
  if (error) return refuse_unreadable(error);
  if (const auto wrong = header_problem(parser_->get())) {
    return refuse(400, fmt::format("malformed HTTP request: {}", *wrong));
  }
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
}

void HttpSession::on_body(beast::error_code error) {
  if (error) return refuse_unreadable(error);
  busy_ = true;
  stream_.expires_never();
  auto message = parser_->release();
  keep_alive_ = message.keep_alive();
  if (trace_request_ == 0) return service_.handle(request_from(message, true), responder());
  // A sampled request: its phases up to the answer's hand-off.
  const auto read = std::chrono::steady_clock::now();
  trace::request_phase("read", trace_request_, request_started_, read);
  trace::CurrentRequest current(trace_request_);
  service_.handle(request_from(message, true), responder());
  // Handling ends where the inference queue takes over, or where the answer (given at once) is written.
  auto handled = std::chrono::steady_clock::now();
  if (const auto queued = current.queued()) handled = std::min(handled, *queued);
  if (write_started_ >= read) handled = std::min(handled, write_started_);
  const auto method = message.method_string();
  const auto target = message.target();
  const auto path = target.substr(0, target.find('?'));
  trace::request_phase("handle", trace_request_, read, handled,
                       trace::Args()
                           .add("method", std::string_view(method.data(), method.size()))
                           .add("path", std::string_view(path.data(), path.size())));
}

HttpRequest HttpSession::request_from(http::request<http::string_body>& message, bool with_body) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  const auto target = message.target();
  request.path = std::string(target.substr(0, target.find('?')));
  request.content_type = field(message, http::field::content_type);
  request.authorization = field(message, http::field::authorization);
  request.request_id = field(message, beast::string_view("X-Request-Id"));
  request.user_agent = field(message, http::field::user_agent);
  request.remote_ip = remote_ip_;
  request.protocol = message.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
  if (with_body) request.body = std::move(message.body());
  return request;
}

// Reading failed: a client that left or went quiet is dropped; a request that cannot be read whole
// (too large, malformed) is answered, then the connection closes since the rest of it is unread.
void HttpSession::refuse_unreadable(beast::error_code error) {
  if (error == http::error::body_limit || error == http::error::header_limit ||
      error.category() == http::make_error_code(http::error::bad_target).category()) {
    if (error == http::error::end_of_stream || error == http::error::partial_message) return close();
    if (error == http::error::body_limit) {
      return refuse(413, fmt::format("the request body is larger than the limit of {} bytes",
                                     service_.options().max_body_bytes));
    }
    if (error == http::error::header_limit) {
      return refuse(431, "the request header is larger than the limit of 16384 bytes");
    }
    return refuse(400, fmt::format("malformed HTTP request: {}", error.message()));
  }
  close();
}

void HttpSession::refuse(int status, std::string detail) {
  HttpRequest request;
  // The request line is parsed before any limit can trip, so method and path are known here.
  if (parser_) request = request_from(parser_->get(), false);
  busy_ = true;
  keep_alive_ = false;
  unread_input_ = true;
  stream_.expires_never();
  if (trace_request_ != 0) {
    trace::request_phase("read", trace_request_, request_started_, std::chrono::steady_clock::now(),
                         trace::Args().add("refused", status));
  }
  service_.refuse(std::move(request), problem(status, detail), responder());
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
  if (trace_request_ != 0) write_started_ = std::chrono::steady_clock::now();
  http::async_write(stream_, response_,
                    [self = shared_from_this(), keep_alive](beast::error_code error, std::size_t) {
                      self->on_written(error, keep_alive);
                    });
}

void HttpSession::on_written(beast::error_code error, bool keep_alive) {
  busy_ = false;
  if (trace_request_ != 0) {
    const auto written = std::chrono::steady_clock::now();
    const auto status = trace::Args().add("status", response_.result_int());
    trace::request_phase("write", trace_request_, write_started_, written, status);
    trace::request_phase("request", trace_request_, request_started_, written, status);
    trace_request_ = 0;
  }
  if (error) return close();
  if (keep_alive) return read_request();
  if (unread_input_ || input_pending()) return linger();
  close();
}

// Sends FIN after the answer, then reads and drops what the client still sends (the rest of a refused
// body, pipelined requests) until it closes its side, up to kLingerBytes or kLingerTime.
void HttpSession::linger() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  buffer_.consume(buffer_.size());
  linger_left_ = kLingerBytes;
  stream_.expires_after(kLingerTime);
  discard();
}

void HttpSession::discard() {
  stream_.async_read_some(buffer_.prepare(64 * 1024),
                          [self = shared_from_this()](beast::error_code error, std::size_t bytes) {
                            if (error || bytes >= self->linger_left_) return self->close();
                            self->linger_left_ -= bytes;
                            self->discard();
                          });
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
