#include "arxivc/core/trace.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/output_path.hpp"
#include "arxivc/core/version.hpp"

namespace arxivc::trace {

namespace detail {
std::atomic<bool> recording{false};
}  // namespace detail

namespace {

namespace fs = std::filesystem;

// The trace keeps at most this many events (about 100 MB); later ones are counted, not kept, so a
// server left running with --profile cannot grow without bound.
constexpr std::uint64_t kMaxEvents = 1'000'000;

// What a trace file starts with (stop_to_json writes exactly this first).
constexpr std::string_view kTraceStart = "{\"traceEvents\":[";

struct Event {
  const char* name;
  const char* category;
  Clock::time_point start;
  Clock::duration duration;
  std::uint64_t request;  // non-zero: a phase of this sampled request (async "b"/"e" pair)
  std::string args;
};

struct ThreadBuffer {
  std::vector<Event> events;
  std::string name;
  std::uint32_t tid = 0;
  bool ended = false;  // its thread has exited (guarded by the registry's mutex)
  // Set by the owning thread around each append; stop() waits for it to clear (no lock per event).
  std::atomic<bool> appending{false};
};

struct Registry {
  std::mutex mutex;
  std::vector<std::unique_ptr<ThreadBuffer>> buffers;
  std::uint32_t next_tid = 1;
  StartOptions options;
  Clock::time_point origin{};
  std::time_t start_time = 0;
  bool started = false;
  std::atomic<std::uint64_t> events{0};  // appended or dropped since start()
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint32_t> sample_every{100};
};

// Never destroyed: threads still running at exit may touch it.
Registry& registry() {
  static auto* instance = new Registry;
  return *instance;
}

// The calling thread's buffer; marks it ended when the thread exits, so a later thread of the same name
// can take it over.
struct LocalBuffer {
  ThreadBuffer* buffer = nullptr;
  ~LocalBuffer() {
    if (buffer == nullptr) return;
    std::lock_guard lock(registry().mutex);
    buffer->ended = true;
    buffer = nullptr;
  }
};
thread_local LocalBuffer t_buffer;
thread_local CurrentRequest* t_current_request = nullptr;

// A new buffer for the calling thread, or the buffer of an ended thread of the same name (same row in
// the viewer). Called with the registry's mutex held.
ThreadBuffer* adopt_or_create(Registry& r, std::string_view name) {
  if (!name.empty()) {
    for (auto& buffer : r.buffers) {
      if (buffer->ended && buffer->name == name) {
        buffer->ended = false;
        return buffer.get();
      }
    }
  }
  auto buffer = std::make_unique<ThreadBuffer>();
  buffer->tid = r.next_tid++;
  buffer->name = name.empty() ? fmt::format("thread-{}", buffer->tid) : std::string(name);
  r.buffers.push_back(std::move(buffer));
  return r.buffers.back().get();
}

ThreadBuffer& local_buffer() {
  if (t_buffer.buffer == nullptr) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    t_buffer.buffer = adopt_or_create(r, {});
  }
  return *t_buffer.buffer;
}

void append(Event&& event) {
  ThreadBuffer& buffer = local_buffer();
  // With stop(): either stop() sees `appending` set and waits, or this thread sees recording off.
  buffer.appending.store(true, std::memory_order_seq_cst);
  if (detail::recording.load(std::memory_order_seq_cst) &&
      registry().events.fetch_add(1, std::memory_order_relaxed) < kMaxEvents) {
    buffer.events.push_back(std::move(event));
  }
  buffer.appending.store(false, std::memory_order_release);
}

std::string json_string(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Microseconds with nanosecond digits: "1234.567".
std::string microseconds(std::int64_t nanoseconds) {
  nanoseconds = std::max<std::int64_t>(nanoseconds, 0);
  return fmt::format("{}.{:03}", nanoseconds / 1000, nanoseconds % 1000);
}

std::string utc_time(std::time_t time) {
  std::tm tm{};
  ::gmtime_r(&time, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// One line of the file and where it sorts: by time; at equal times, spans that end (after a duration)
// close before others open, outer spans open first and close last, and a span of no duration opens
// before it closes; so every viewer nests them.
struct Line {
  std::int64_t time;
  int kind;            // 0: the end of a span with a duration; 1: a beginning; 2: the end of an empty span
  std::int64_t order;  // at equal time and kind: beginnings by decreasing, ends by increasing duration
  std::string text;
};

// Stops recording and waits until no thread is appending. Called with the registry's mutex held.
void stop_locked(Registry& r) {
  detail::recording.store(false, std::memory_order_seq_cst);
  for (const auto& buffer : r.buffers) {
    while (buffer->appending.load(std::memory_order_acquire)) std::this_thread::yield();
  }
}

std::string render(Registry& r) {
  const auto pid = static_cast<long>(::getpid());
  std::vector<Line> lines;
  std::size_t total = 0;
  for (const auto& buffer : r.buffers) total += buffer->events.size();
  lines.reserve(total * 2);
  for (const auto& buffer : r.buffers) {
    for (const Event& event : buffer->events) {
      auto start = std::chrono::duration_cast<std::chrono::nanoseconds>(event.start - r.origin).count();
      auto duration = std::chrono::duration_cast<std::chrono::nanoseconds>(event.duration).count();
      if (start < 0) {  // began before the trace did: cut to the trace's start
        duration = std::max<std::int64_t>(duration + start, 0);
        start = 0;
      }
      duration = std::max<std::int64_t>(duration, 0);
      const std::string head =
          fmt::format(R"({{"name":{},"cat":{},)", json_string(event.name), json_string(event.category));
      const std::string args =
          event.args.empty() ? std::string() : fmt::format(R"(,"args":{{{}}})", event.args);
      if (event.request == 0) {
        lines.push_back({start, 1, -duration,
                         fmt::format(R"({}"ph":"X","ts":{},"dur":{},"pid":{},"tid":{}{}}})", head,
                                     microseconds(start), microseconds(duration), pid, buffer->tid, args)});
      } else {
        lines.push_back({start, 1, -duration,
                         fmt::format(R"({}"ph":"b","id":"0x{:x}","ts":{},"pid":{},"tid":{}{}}})", head,
                                     event.request, microseconds(start), pid, buffer->tid, args)});
        lines.push_back({start + duration, duration > 0 ? 0 : 2, duration,
                         fmt::format(R"({}"ph":"e","id":"0x{:x}","ts":{},"pid":{},"tid":{}}})", head,
                                     event.request, microseconds(start + duration), pid, buffer->tid)});
      }
    }
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    if (a.time != b.time) return a.time < b.time;
    return a.kind != b.kind ? a.kind < b.kind : a.order < b.order;
  });

  std::string out(kTraceStart);
  out += fmt::format(R"({{"name":"process_name","ph":"M","pid":{},"tid":0,"args":{{"name":{}}}}})", pid,
                     json_string(r.options.process_name));
  std::vector<std::uint32_t> named;
  for (const auto& buffer : r.buffers) {
    if (std::find(named.begin(), named.end(), buffer->tid) != named.end()) continue;
    named.push_back(buffer->tid);
    out += fmt::format(
        ",\n{{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":{},\"tid\":{},\"args\":{{\"name\":{}}}}}", pid,
        buffer->tid, json_string(buffer->name));
    out += fmt::format(
        ",\n{{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":{},\"tid\":{},\"args\":{{\"sort_index\":{}}"
        "}}}",
        pid, buffer->tid, buffer->tid);
  }
  for (const Line& line : lines) {
    out += ",\n";
    out += line.text;
  }
  const std::uint64_t appended = r.events.load();
  nlohmann::json other = {
      {"arxivc_version", std::string(version())},
      {"command_line", r.options.command_line},
      {"start_time", utc_time(r.start_time)},
      {"pid", pid},
      {"events", total},
      {"dropped_events", appended > kMaxEvents ? appended - kMaxEvents : 0},
      {"serve_sample_every", r.options.sample_every},
      {"clock", "steady (CLOCK_MONOTONIC), microseconds since start_time"},
  };
  out += "\n],\"displayTimeUnit\":\"ms\",\"otherData\":";
  out += other.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += "}\n";
  return out;
}

void clear_locked(Registry& r) {
  std::erase_if(r.buffers, [](const auto& buffer) { return buffer->ended; });
  for (auto& buffer : r.buffers) std::vector<Event>().swap(buffer->events);
  r.started = false;
}

// Writes in place: a character device or a FIFO (/dev/null) cannot be replaced by rename.
void write_in_place(const fs::path& file, std::string_view content) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw Error(fmt::format("cannot open {}: {}", file.string(), std::strerror(errno)));
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw Error(fmt::format("cannot write {}: {}", file.string(), std::strerror(error)));
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  ::close(fd);
}

}  // namespace

namespace detail {

void append_arg(std::string& args, const char* key, std::int64_t value) {
  args += fmt::format(R"({}{}:{})", args.empty() ? "" : ",", json_string(key), value);
}
void append_arg(std::string& args, const char* key, std::uint64_t value) {
  args += fmt::format(R"({}{}:{})", args.empty() ? "" : ",", json_string(key), value);
}
void append_arg(std::string& args, const char* key, double value) {
  if (std::isfinite(value)) {
    args += fmt::format(R"({}{}:{})", args.empty() ? "" : ",", json_string(key), value);
  } else {
    args += fmt::format(R"({}{}:null)", args.empty() ? "" : ",", json_string(key));
  }
}
void append_arg(std::string& args, const char* key, bool value) {
  args += fmt::format(R"({}{}:{})", args.empty() ? "" : ",", json_string(key), value);
}
void append_arg(std::string& args, const char* key, std::string_view value) {
  args += fmt::format(R"({}{}:{})", args.empty() ? "" : ",", json_string(key), json_string(value));
}

void record_complete(const char* name, const char* category, Clock::time_point start, Clock::time_point end,
                     std::string&& args) {
  append(Event{name, category, start, end - start, 0, std::move(args)});
}

}  // namespace detail

void start(StartOptions options) {
  auto& r = registry();
  {
    std::lock_guard lock(r.mutex);
    stop_locked(r);
    clear_locked(r);
    r.sample_every.store(std::max<std::uint32_t>(options.sample_every, 1), std::memory_order_relaxed);
    r.options = std::move(options);
    r.options.sample_every = r.sample_every.load();
    r.events.store(0);
    r.requests.store(0);
    r.start_time = std::time(nullptr);
    r.origin = Clock::now();
    r.started = true;
    detail::recording.store(true, std::memory_order_seq_cst);
  }
  name_thread("main");
}

bool started() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  return r.started;
}

std::string stop_to_json() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  stop_locked(r);
  std::string text = render(r);
  clear_locked(r);
  return text;
}

std::size_t stop_and_write() {
  auto& r = registry();
  fs::path file;
  std::size_t events = 0;
  std::string text;
  {
    std::lock_guard lock(r.mutex);
    stop_locked(r);
    file = r.options.file;
    for (const auto& buffer : r.buffers) events += buffer->events.size();
    text = render(r);
    clear_locked(r);
  }
  std::error_code ec;
  const auto status = fs::status(file, ec);
  if (!ec && (fs::is_character_file(status) || fs::is_fifo(status))) {
    write_in_place(file, text);
  } else if (fs::is_regular_file(status) && fs::file_size(file, ec) > 0 && !is_trace_file(file)) {
    // Checked at start, so the command itself wrote it (--profile named one of its outputs).
    throw Error(
        fmt::format("{} now holds something else than a trace (did the command write it?); the trace "
                    "was not written over it",
                    file.string()));
  } else {
    remove_stale_temporaries(file);
    write_file_atomic(file, text);
  }
  return events;
}

void discard() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  stop_locked(r);
  clear_locked(r);
}

void name_thread(std::string_view name) {
  if (!enabled()) return;
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  ThreadBuffer* current = t_buffer.buffer;
  if (current != nullptr && current->name == name) return;
  ThreadBuffer* adopted = adopt_or_create(r, name);
  if (current != nullptr) {
    // Spans this thread recorded before it was named move with it (only this thread appends to them).
    for (auto& event : current->events) adopted->events.push_back(std::move(event));
    current->events.clear();
    current->ended = true;
  }
  t_buffer.buffer = adopted;
}

void name_thread(std::string_view prefix, unsigned index) {
  if (!enabled()) return;
  name_thread(fmt::format("{}-{}", prefix, index));
}

std::uint64_t sample_request() noexcept {
  if (!enabled()) return 0;
  auto& r = registry();
  const std::uint64_t n = r.requests.fetch_add(1, std::memory_order_relaxed);
  return n % r.sample_every.load(std::memory_order_relaxed) == 0 ? n + 1 : 0;
}

void request_phase(const char* name, std::uint64_t request, Clock::time_point start, Clock::time_point end,
                   Args args) {
  if (request == 0 || !enabled()) return;
  append(Event{name, "request", start, end - start, request, args.take()});
}

std::uint64_t current_request() noexcept {
  return t_current_request == nullptr ? 0 : t_current_request->request();
}

void request_queued(Clock::time_point at) noexcept {
  if (t_current_request == nullptr) return;
  t_current_request->queued_ = at;
  t_current_request->queued_set_ = true;
}

CurrentRequest::CurrentRequest(std::uint64_t request) noexcept
    : request_(request), previous_(t_current_request) {
  t_current_request = this;
}

CurrentRequest::~CurrentRequest() { t_current_request = previous_; }

bool is_trace_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[64] = {};
  in.read(head, sizeof head);
  std::string_view text(head, static_cast<std::size_t>(in.gcount()));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  return text.starts_with(kTraceStart);
}

void check_output(const fs::path& file, const std::string& option) {
  if (file.empty()) throw UsageError(fmt::format("{} needs a file name, e.g. {} trace.json", option, option));
  // What every output of arxivc gets: an existing file is replaced only when it is an earlier trace (or
  // empty); a directory or special file is refused; /dev/null and FIFOs are written in place.
  OutputRule rule;
  rule.option = option;
  rule.what = "trace";
  rule.directory = false;
  rule.is_earlier_output = [](const fs::path& existing) {
    std::error_code ec;
    return fs::file_size(existing, ec) == 0 || is_trace_file(existing);
  };
  rule.force_option = "";
  check_output_path(file, {}, rule, /*force=*/false);
  std::error_code ec;
  const fs::path parent = file.has_parent_path() ? file.parent_path() : fs::path(".");
  const auto parent_status = fs::status(parent, ec);
  if (!fs::exists(parent_status)) {
    throw UsageError(fmt::format("{} {}: the directory {} does not exist; create it or choose another path",
                                 option, file.string(), parent.string()));
  }
  if (!fs::is_directory(parent_status)) {
    throw UsageError(fmt::format("{} {}: {} is {}, not a directory; choose another path", option,
                                 file.string(), parent.string(), describe_existing_path(parent)));
  }
  if (::access(parent.c_str(), W_OK | X_OK) != 0) {
    throw UsageError(fmt::format("{} {}: cannot write in the directory {} ({}); choose another path", option,
                                 file.string(), parent.string(), std::strerror(errno)));
  }
}

}  // namespace arxivc::trace
