#pragma once

// Tracing for `--profile FILE`: spans around the stages of a command, per thread, written at exit as a
// Chrome trace-event JSON file (open it in https://ui.perfetto.dev or chrome://tracing; docs/profiling.md).
//
// Recording is off unless trace::start() was called: a TraceSpan then costs one relaxed atomic load and a
// branch. While recording, a span costs two clock reads and an append to its own thread's buffer (no lock
// shared between threads). Spans go around stages, chunks, batches and worker tasks, never inside a loop
// over records. Span names and categories must be string literals (or otherwise live until the trace is
// written): only their addresses are kept.

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arxivc::trace {

using Clock = std::chrono::steady_clock;

namespace detail {
extern std::atomic<bool> recording;
void append_arg(std::string& args, const char* key, std::int64_t value);
void append_arg(std::string& args, const char* key, std::uint64_t value);
void append_arg(std::string& args, const char* key, double value);
void append_arg(std::string& args, const char* key, bool value);
void append_arg(std::string& args, const char* key, std::string_view value);
void record_complete(const char* name, const char* category, Clock::time_point start, Clock::time_point end,
                     std::string&& args);

// Appends "key":value to `args`, after a comma when it is not empty.
template <typename T>
void add_arg(std::string& args, const char* key, const T& value) {
  if constexpr (std::same_as<T, bool>) {
    append_arg(args, key, value);
  } else if constexpr (std::signed_integral<T>) {
    append_arg(args, key, static_cast<std::int64_t>(value));
  } else if constexpr (std::unsigned_integral<T>) {
    append_arg(args, key, static_cast<std::uint64_t>(value));
  } else if constexpr (std::floating_point<T>) {
    append_arg(args, key, static_cast<double>(value));
  } else {
    append_arg(args, key, std::string_view(value));
  }
}
}  // namespace detail

// Whether a trace is being recorded.
inline bool enabled() noexcept { return detail::recording.load(std::memory_order_relaxed); }

// The arguments of an event, as the inside of a JSON object ("bytes":4194304,"split":"train").
class Args {
 public:
  template <typename T>
  Args& add(const char* key, const T& value) {
    detail::add_arg(text_, key, value);
    return *this;
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

struct StartOptions {
  std::filesystem::path file;             // where stop_and_write() writes the trace
  std::string process_name = "arxivc";    // "arxivc train": the name viewers show for the process
  std::vector<std::string> command_line;  // already redacted: the trace never holds a secret
  std::uint32_t sample_every = 100;       // serve: record 1 request in this many (1 = every request)
};

// Starts recording (dropping whatever an earlier recording left); the calling thread is named "main".
void start(StartOptions options);
// Whether start() was called and the trace not yet written or discarded.
bool started();
// Stops recording and returns the trace as JSON text. Waits for spans being appended at that moment;
// spans that end later are not recorded.
std::string stop_to_json();
// Stops recording and writes the trace to the file given to start(), atomically (a temporary file beside
// it, then rename; a character device or FIFO such as /dev/null is written in place). Returns the
// number of events written. Throws arxivc::Error when the file cannot be written.
std::size_t stop_and_write();
// Stops recording and forgets the trace.
void discard();

// Names the calling thread in the trace ("parser-2"). Threads created per call that take the name of a
// thread that has ended share its row in the viewer. Costs nothing while not recording.
void name_thread(std::string_view name);
void name_thread(std::string_view prefix, unsigned index);

// A span on the calling thread whose start and end were seen at different places (must nest with the
// thread's other spans).
inline void complete(const char* name, const char* category, Clock::time_point start, Clock::time_point end,
                     Args args = {}) {
  if (enabled()) detail::record_complete(name, category, start, end, args.take());
}

// Serve's request sampling: while recording, a non-zero request id for 1 call in `sample_every`
// (the first, then every sample_every-th); otherwise 0.
std::uint64_t sample_request() noexcept;
// One phase of sampled request `request` (Chrome nestable async events "b"/"e" of category "request",
// id = request): shown on the request's own track, whatever threads the phases ran on.
void request_phase(const char* name, std::uint64_t request, Clock::time_point start, Clock::time_point end,
                   Args args = {});

// The sampled request the calling thread is handling (0: none), for code far from the connection (the
// inference queue) to carry the id along, and to say when it queued the request.
std::uint64_t current_request() noexcept;
// Notes that the calling thread's current request was queued at `at` (ends its "handle" phase).
void request_queued(Clock::time_point at) noexcept;
class CurrentRequest {
 public:
  explicit CurrentRequest(std::uint64_t request) noexcept;
  ~CurrentRequest();
  CurrentRequest(const CurrentRequest&) = delete;
  CurrentRequest& operator=(const CurrentRequest&) = delete;

  std::uint64_t request() const noexcept { return request_; }
  // When request_queued() was called while this was current, if it was.
  std::optional<Clock::time_point> queued() const noexcept {
    return queued_set_ ? std::optional<Clock::time_point>(queued_) : std::nullopt;
  }

 private:
  friend void request_queued(Clock::time_point at) noexcept;
  std::uint64_t request_;
  Clock::time_point queued_{};
  bool queued_set_ = false;
  CurrentRequest* previous_;
};

// Refuses (UsageError, exit 2) a trace file path that cannot be one: a directory, a special file, a
// path whose directory does not exist or cannot be written, or an existing file that is not a trace
// written by arxivc (never clobbered; an empty file is taken).
void check_output(const std::filesystem::path& file, const std::string& option = "--profile");

// Whether `file` holds (the start of) a trace written by arxivc.
bool is_trace_file(const std::filesystem::path& file);

}  // namespace arxivc::trace

namespace arxivc {

// A span from construction to destruction on the calling thread: TraceSpan span("parse", "ingest");
// span.arg("bytes", size). Nothing is recorded (and arg() does nothing) when tracing is off.
class TraceSpan {
 public:
  TraceSpan(const char* name, const char* category) noexcept : name_(name), category_(category) {
    if (trace::enabled()) [[unlikely]] {
      start_ = trace::Clock::now();
      active_ = true;
    }
  }
  ~TraceSpan() { end(); }
  // Ends the span before the end of its scope.
  void end() {
    if (active_) [[unlikely]] {
      active_ = false;
      trace::detail::record_complete(name_, category_, start_, trace::Clock::now(), std::move(args_));
    }
  }
  TraceSpan(const TraceSpan&) = delete;
  TraceSpan& operator=(const TraceSpan&) = delete;

  template <typename T>
  TraceSpan& arg(const char* key, const T& value) {
    if (active_) [[unlikely]]
      trace::detail::add_arg(args_, key, value);
    return *this;
  }
  bool active() const noexcept { return active_; }

 private:
  const char* name_;
  const char* category_;
  trace::Clock::time_point start_{};
  bool active_ = false;
  std::string args_;
};

}  // namespace arxivc
