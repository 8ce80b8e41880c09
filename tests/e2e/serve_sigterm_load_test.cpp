// SIGTERM under load: 16 clients send predictions continuously (kept-alive connections, a new connection
// per request, requests written in two parts) while the server receives SIGTERM. Every request whose
// bytes had reached the server before the signal gets a complete 200; nothing is ever answered with a
// 5xx or a truncated response; the process exits 0 by draining, within serve.shutdown_timeout_s.
//
// "Reached the server before the signal" is decided without timing: after a client has written (the
// first part of) a request, it registers the request, under its lock, if the test has not yet announced
// the signal; the test announces it, then for each registered request waits until the server's kernel
// has acknowledged every byte written on that connection (SIOCOUTQ is 0: the bytes are in the server's
// socket), and only then sends SIGTERM. A request written after the announcement may be refused (the
// connection reset or closed before any byte of an answer, or refused at connect), never half-answered.

#include <gtest/gtest.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <mutex>
#include <utility>

#include "serve_support.hpp"

namespace arxivc::testing {
namespace {

constexpr int kClients = 16;
constexpr int kBatchSize = 256;

// A blocking TCP connection to 127.0.0.1:port; -1 with errno when refused.
int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // Generous: the test never asserts speed, only that an answer that is due comes at all.
  const timeval timeout{120, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd);
    errno = error;
    return -1;
  }
  return fd;
}

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Bytes written on `fd` that the peer has not acknowledged yet (sent or not).
int unacknowledged(int fd) {
  int bytes = 0;
  if (::ioctl(fd, SIOCOUTQ, &bytes) != 0) return -1;
  return bytes;
}

struct Reply {
  enum class Kind { complete, nothing, truncated } kind = Kind::nothing;
  int status = 0;
  bool closes = false;  // Connection: close
  std::string body;
  std::string error;
};

// Reads one response (the server always frames its answers by Content-Length). `nothing`: the connection
// was closed or reset before any byte of an answer; `truncated`: it ended part-way, or is malformed.
Reply read_reply(int fd) {
  Reply reply;
  std::string data;
  std::size_t header_end = std::string::npos;
  std::size_t total = std::string::npos;
  char chunk[16384];
  while (total == std::string::npos || data.size() < total) {
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
      const bool timed_out = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
      reply.kind = data.empty() && !timed_out ? Reply::Kind::nothing : Reply::Kind::truncated;
      reply.error = n == 0 ? "closed" : std::strerror(errno);
      reply.error += " after " + std::to_string(data.size()) + " bytes of an answer";
      return reply;
    }
    data.append(chunk, static_cast<std::size_t>(n));
    if (header_end == std::string::npos && (header_end = data.find("\r\n\r\n")) != std::string::npos) {
      std::string header = data.substr(0, header_end);
      for (auto& c : header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto length = number_after(header, "\r\ncontent-length: ");
      if (header.rfind("http/1.1 ", 0) != 0 || !length) {
        reply.kind = Reply::Kind::truncated;
        reply.error = "malformed answer: " + data.substr(0, std::min<std::size_t>(header_end, 200));
        return reply;
      }
      reply.status = std::atoi(header.c_str() + 9);
      reply.closes = header.find("\r\nconnection: close") != std::string::npos;
      total = header_end + 4 + static_cast<std::size_t>(*length);
    }
  }
  if (data.size() > total) {
    reply.kind = Reply::Kind::truncated;
    reply.error = "bytes after the answer";
    return reply;
  }
  reply.kind = Reply::Kind::complete;
  reply.body = data.substr(header_end + 4);
  return reply;
}

std::string request_text(const std::string& path, const std::string& body, bool close) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
         (close ? "Connection: close\r\n" : "") + "Content-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

// Whether a 200's body is the answer to the request: a prediction with 3 categories, or a batch of
// kBatchSize of them with their ids in order.
bool valid_answer(const std::string& body, bool batch) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded()) return false;
  const auto prediction_ok = [](const nlohmann::json& p) {
    return p.contains("categories") && p["categories"].size() == 3 && !p["predicted"].empty();
  };
  if (!batch) return prediction_ok(json);
  if (!json.contains("results") || json["results"].size() != kBatchSize) return false;
  for (int i = 0; i < kBatchSize; ++i) {
    const auto& result = json["results"][static_cast<std::size_t>(i)];
    if (result["id"] != i || !prediction_ok(result)) return false;
  }
  return true;
}

struct Shared {
  std::atomic<bool> announced{false};  // set just before SIGTERM is sent (see the top of the file)
  std::atomic<bool> stop{false};
  std::atomic<long> answered{0};
  std::atomic<long> answered_in_flight{0};  // answers to the requests registered when SIGTERM came
  std::atomic<long> answered_late{0};       // answers to requests written after the announcement
  std::atomic<long> refused_late{0};        // requests after the announcement refused without an answer
  std::atomic<int> waiting_for_answer{0};   // clients with a request written and not yet answered
  std::atomic<int> failure_count{0};
  std::mutex failure_mutex;
  std::vector<std::string> failures;

  void fail(std::string what) {
    std::lock_guard lock(failure_mutex);
    failures.push_back(std::move(what));
    ++failure_count;
  }
};

// A client's request that reached the server before the signal, not yet answered (-1: none).
struct Pending {
  std::mutex mutex;
  int fd = -1;
  bool at_signal = false;  // it was registered when the test sent SIGTERM
};

enum class Mode { keep_alive, new_connection, split_writes };

void client(std::uint16_t port, int id, Mode mode, Shared& shared, Pending& pending) {
  const std::vector<std::string> titles = {
      "Quantum error correction with surface codes", "Gauge anomalies and the swampland in string theory",
      "Convolutional neural networks for image classification", "Primes in arithmetic progressions"};
  // Batches with long abstracts keep the one inference worker busy, so requests queue up.
  std::string abstract;
  for (int i = 0; i < 30; ++i)
    abstract += "lattice gauge theory with dynamical fermions " + std::to_string(i) + " ";
  nlohmann::json batch = {{"papers", nlohmann::json::array()}, {"top_k", 3}};
  for (int i = 0; i < kBatchSize; ++i) {
    batch["papers"].push_back(
        {{"id", i}, {"title", titles[static_cast<std::size_t>(i) % titles.size()]}, {"abstract", abstract}});
  }
  const std::string batch_body = batch.dump();
  const auto tag = "client " + std::to_string(id) + ": ";
  int fd = -1;
  for (long n = 0; !shared.stop; ++n) {
    if (fd < 0) {
      fd = connect_to(port);
      if (fd < 0) {
        // Refused: the listening socket is closed, which happens only after the signal.
        if (!shared.announced) shared.fail(tag + "connect failed before SIGTERM: " + std::strerror(errno));
        return;
      }
    }
    const bool is_batch = n % 2 == 1;
    const auto text = request_text(
        is_batch ? "/v1/predict/batch" : "/v1/predict",
        is_batch ? batch_body
                 : nlohmann::json({{"title", titles[static_cast<std::size_t>(n) % 4]}, {"top_k", 3}}).dump(),
        mode == Mode::new_connection);
    // split_writes: the header first, then the body; what counts is that the first bytes arrived.
    const auto first = mode == Mode::split_writes ? text.find("\r\n\r\n") + 4 : text.size();
    bool due = false;
    bool sent = send_all(fd, std::string_view(text).substr(0, first));
    if (sent) {
      std::lock_guard lock(pending.mutex);
      due = !shared.announced;
      if (due) pending.fd = fd;
    } else if (!shared.announced) {
      shared.fail(tag + "send failed before SIGTERM: " + std::strerror(errno));
    }
    ++shared.waiting_for_answer;
    if (sent && first < text.size()) sent = send_all(fd, std::string_view(text).substr(first));
    Reply reply;
    if (sent) {
      reply = read_reply(fd);
    } else {
      reply.error = std::string("send failed: ") + std::strerror(errno);
    }
    --shared.waiting_for_answer;
    bool at_signal = false;
    {
      std::lock_guard lock(pending.mutex);
      pending.fd = -1;
      at_signal = std::exchange(pending.at_signal, false);
    }
    switch (reply.kind) {
      case Reply::Kind::complete:
        if (reply.status != 200 || !valid_answer(reply.body, is_batch)) {
          shared.fail(tag + "answered " + std::to_string(reply.status) + ": " + reply.body.substr(0, 300));
        }
        ++shared.answered;
        if (at_signal) ++shared.answered_in_flight;
        if (!due) ++shared.answered_late;
        break;
      case Reply::Kind::nothing:
        if (due) {
          shared.fail(tag + "a request that reached the server before SIGTERM got no answer (" +
                      (mode == Mode::keep_alive       ? "kept-alive connection"
                       : mode == Mode::new_connection ? "new connection"
                                                      : "written in two parts") +
                      ", " + reply.error + ")");
        } else if (!shared.announced) {
          shared.fail(tag + "no answer before SIGTERM: " + reply.error);
        } else {
          ++shared.refused_late;
        }
        break;
      case Reply::Kind::truncated:
        shared.fail(tag + "a truncated or malformed answer: " + reply.error);
        break;
    }
    if (reply.kind != Reply::Kind::complete || reply.closes) {
      ::close(fd);
      fd = -1;
    }
  }
  if (fd >= 0) ::close(fd);
}

TEST(ServeSigtermUnderLoadTest, EveryRequestThatReachedTheServerIsAnsweredAndItExitsZero) {
  const auto dir = fresh_test_dir("serve-sigterm-load");
  constexpr int kDrainSeconds = 60;
  ServerProcess server(
      dir, {"--model", trained_model_dir().string(), "serve.threads=2", "serve.workers=1",
            "serve.access_log=false", "serve.shutdown_timeout_s=" + std::to_string(kDrainSeconds)});
  ASSERT_EQ(HttpClient(server.port()).get("/ready").status, 200);

  Shared shared;
  std::vector<Pending> pending(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    const auto mode = c % 4 == 2 ? Mode::new_connection : c % 4 == 3 ? Mode::split_writes : Mode::keep_alive;
    clients.emplace_back(client, server.port(), c, mode, std::ref(shared),
                         std::ref(pending[static_cast<std::size_t>(c)]));
  }
  // Under way: answers for every client, and half of them waiting for an answer.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (shared.answered < 20 * kClients || shared.waiting_for_answer < kClients / 2) {
    if (std::chrono::steady_clock::now() > deadline || shared.failure_count > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const long answered_before = shared.answered;

  // Announce, wait until the bytes of every request registered before the announcement are in the
  // server's socket, then signal.
  shared.announced = true;
  int due_at_signal = 0;
  for (auto& client_pending : pending) {
    std::lock_guard lock(client_pending.mutex);
    if (client_pending.fd < 0) continue;
    ++due_at_signal;
    client_pending.at_signal = true;
    const auto ack_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (unacknowledged(client_pending.fd) > 0 && std::chrono::steady_clock::now() < ack_deadline) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (unacknowledged(client_pending.fd) != 0)
      shared.fail("the server did not acknowledge a request's bytes");
  }
  server.signal(SIGTERM);

  const auto exit_code = server.wait(std::chrono::seconds(kDrainSeconds + 30));
  shared.stop = true;
  for (auto& t : clients) t.join();
  ASSERT_TRUE(exit_code) << "still running " << kDrainSeconds + 30 << " s after SIGTERM\n" << server.log();
  EXPECT_EQ(*exit_code, 0) << server.log();
  EXPECT_EQ(server.log().find("stopping anyway"), std::string::npos)
      << "it did not drain within serve.shutdown_timeout_s: " << server.log();

  // The test's premise: load was running, and requests were due an answer when the signal came.
  EXPECT_GE(answered_before, 20 * kClients);
  EXPECT_GE(due_at_signal, 1) << "no request was in flight at SIGTERM";
  EXPECT_EQ(shared.answered_in_flight, due_at_signal);
  // ... and the server saw requests in flight when it began to shut down (it logs how many).
  const auto in_flight = number_after(server.log(), "shutting down, ");
  ASSERT_TRUE(in_flight) << server.log();
  EXPECT_GE(*in_flight, 1) << server.log();
  std::string failures;
  for (std::size_t i = 0; i < shared.failures.size() && i < 20; ++i) failures += shared.failures[i] + "\n";
  EXPECT_TRUE(shared.failures.empty()) << shared.failures.size() << " failures, the first:\n" << failures;
  std::cout << "answered " << shared.answered << " requests, " << shared.answered_in_flight << " of the "
            << due_at_signal << " in flight at SIGTERM and " << shared.answered_late
            << " written after it; refused " << shared.refused_late << " written after it; the server saw "
            << in_flight.value_or(-1) << " in flight\n";
}

}  // namespace
}  // namespace arxivc::testing
