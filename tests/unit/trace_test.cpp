// The trace recorder behind --profile (core/trace.hpp): spans, threads, request phases, the JSON it
// writes and the checks of the trace file's path.

#include "arxivc/core/trace.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "arxivc/core/error.hpp"

namespace arxivc {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path temp_dir(const std::string& name) {
  const char* base = std::getenv("ARXIVC_TEST_TMP");
  auto dir =
      fs::path(base ? base : fs::temp_directory_path().string()) / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

trace::StartOptions options(std::uint32_t sample_every = 100) {
  trace::StartOptions start;
  start.process_name = "arxivc test";
  start.command_line = {"arxivc", "test", "--profile", "t.json"};
  start.sample_every = sample_every;
  return start;
}

std::vector<json> events_named(const json& trace, const std::string& name) {
  std::vector<json> found;
  for (const auto& event : trace.at("traceEvents")) {
    if (event.value("name", "") == name) found.push_back(event);
  }
  return found;
}

std::map<std::string, std::int64_t> thread_names(const json& trace) {
  std::map<std::string, std::int64_t> names;
  for (const auto& event : trace.at("traceEvents")) {
    if (event.at("ph") == "M" && event.at("name") == "thread_name")
      names[event.at("args").at("name").get<std::string>()] = event.at("tid").get<std::int64_t>();
  }
  return names;
}

class TraceTest : public ::testing::Test {
 protected:
  void TearDown() override { trace::discard(); }
};

TEST_F(TraceTest, DisabledRecordsNothing) {
  trace::discard();
  EXPECT_FALSE(trace::enabled());
  {
    TraceSpan span("ignored", "test");
    EXPECT_FALSE(span.active());
    span.arg("n", 1);
  }
  trace::complete("ignored", "test", trace::Clock::now(), trace::Clock::now());
  EXPECT_EQ(trace::sample_request(), 0u);
  trace::start(options());
  const auto trace = json::parse(trace::stop_to_json());
  for (const auto& event : trace.at("traceEvents")) EXPECT_EQ(event.at("ph"), "M") << event;
  EXPECT_FALSE(trace::enabled());
  EXPECT_FALSE(trace::started());
}

TEST_F(TraceTest, WritesValidChromeTraceJsonWithMetadata) {
  trace::start(options());
  EXPECT_TRUE(trace::enabled());
  EXPECT_TRUE(trace::started());
  {
    TraceSpan span("stage", "test");
    span.arg("count", 3).arg("name", std::string("quote \" and \\ and\nnewline")).arg("ratio", 0.5);
    span.arg("infinite", std::numeric_limits<double>::infinity()).arg("flag", true);
  }
  const auto text = trace::stop_to_json();
  EXPECT_TRUE(text.starts_with("{\"traceEvents\":["));
  const auto trace = json::parse(text);
  EXPECT_EQ(trace.at("displayTimeUnit"), "ms");
  const auto& other = trace.at("otherData");
  EXPECT_FALSE(other.at("arxivc_version").get<std::string>().empty());
  EXPECT_EQ(other.at("command_line"), json({"arxivc", "test", "--profile", "t.json"}));
  EXPECT_EQ(other.at("start_time").get<std::string>().size(), 20u);  // 2026-01-02T03:04:05Z
  EXPECT_EQ(other.at("dropped_events"), 0);

  const auto stage = events_named(trace, "stage");
  ASSERT_EQ(stage.size(), 1u);
  EXPECT_EQ(stage[0].at("ph"), "X");
  EXPECT_EQ(stage[0].at("cat"), "test");
  EXPECT_EQ(stage[0].at("pid"), static_cast<std::int64_t>(::getpid()));
  EXPECT_GE(stage[0].at("ts").get<double>(), 0.0);
  EXPECT_GE(stage[0].at("dur").get<double>(), 0.0);
  const auto& args = stage[0].at("args");
  EXPECT_EQ(args.at("count"), 3);
  EXPECT_EQ(args.at("name"), "quote \" and \\ and\nnewline");
  EXPECT_EQ(args.at("ratio"), 0.5);
  EXPECT_TRUE(args.at("infinite").is_null());
  EXPECT_EQ(args.at("flag"), true);

  const auto process = events_named(trace, "process_name");
  ASSERT_EQ(process.size(), 1u);
  EXPECT_EQ(process[0].at("args").at("name"), "arxivc test");
  const auto names = thread_names(trace);
  ASSERT_TRUE(names.contains("main"));
  EXPECT_EQ(stage[0].at("tid"), names.at("main"));
}

TEST_F(TraceTest, NestedSpansNestInTimeAndComeOuterFirst) {
  trace::start(options());
  {
    TraceSpan outer("outer", "test");
    {
      TraceSpan inner("inner", "test");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    TraceSpan ended_early("ended_early", "test");
    ended_early.end();
    ended_early.end();  // a second end() does nothing
  }
  const auto trace = json::parse(trace::stop_to_json());
  const auto outer = events_named(trace, "outer");
  const auto inner = events_named(trace, "inner");
  ASSERT_EQ(outer.size(), 1u);
  ASSERT_EQ(inner.size(), 1u);
  EXPECT_EQ(events_named(trace, "ended_early").size(), 1u);
  const double outer_start = outer[0].at("ts");
  const double outer_end = outer_start + outer[0].at("dur").get<double>();
  const double inner_start = inner[0].at("ts");
  const double inner_end = inner_start + inner[0].at("dur").get<double>();
  EXPECT_LE(outer_start, inner_start);
  EXPECT_LE(inner_end, outer_end);
  EXPECT_GE(inner[0].at("dur").get<double>(), 2000.0);  // microseconds
  std::size_t outer_at = 0;
  std::size_t inner_at = 0;
  for (std::size_t i = 0; i < trace.at("traceEvents").size(); ++i) {
    const auto& name = trace.at("traceEvents")[i].at("name");
    if (name == "outer") outer_at = i;
    if (name == "inner") inner_at = i;
  }
  EXPECT_LT(outer_at, inner_at);
}

TEST_F(TraceTest, EachThreadHasItsOwnNamedRow) {
  trace::start(options());
  TraceSpan on_main("on_main", "test");
  std::vector<std::thread> threads;
  for (unsigned t = 1; t <= 4; ++t) {
    threads.emplace_back([t] {
      trace::name_thread("worker", t);
      for (int i = 0; i < 100; ++i) TraceSpan span("work", "test");
    });
  }
  for (auto& thread : threads) thread.join();
  on_main.end();
  const auto trace = json::parse(trace::stop_to_json());
  const auto names = thread_names(trace);
  std::set<std::int64_t> tids;
  for (const char* name : {"main", "worker-1", "worker-2", "worker-3", "worker-4"}) {
    ASSERT_TRUE(names.contains(name)) << name;
    tids.insert(names.at(name));
  }
  EXPECT_EQ(tids.size(), 5u) << "one tid per thread";
  std::map<std::int64_t, int> work_per_tid;
  for (const auto& event : events_named(trace, "work")) ++work_per_tid[event.at("tid").get<std::int64_t>()];
  EXPECT_EQ(work_per_tid.size(), 4u);
  for (const auto& [tid, count] : work_per_tid) {
    EXPECT_EQ(count, 100);
    EXPECT_NE(tid, names.at("main"));
  }
}

TEST_F(TraceTest, ALaterThreadOfTheSameNameTakesTheEndedThreadsRow) {
  trace::start(options());
  for (int round = 0; round < 3; ++round) {
    std::thread([] {
      trace::name_thread("score", 1);
      TraceSpan span("score", "test");
    }).join();
  }
  const auto trace = json::parse(trace::stop_to_json());
  std::set<std::int64_t> tids;
  for (const auto& event : events_named(trace, "score")) tids.insert(event.at("tid").get<std::int64_t>());
  EXPECT_EQ(events_named(trace, "score").size(), 3u);
  EXPECT_EQ(tids.size(), 1u);
  EXPECT_EQ(thread_names(trace).at("score-1"), *tids.begin());
}

TEST_F(TraceTest, SpansEndingAfterTheStopAreLeftOut) {
  trace::start(options());
  auto span = std::make_unique<TraceSpan>("late", "test");
  const auto trace = json::parse(trace::stop_to_json());
  span.reset();
  EXPECT_TRUE(events_named(trace, "late").empty());
  trace::start(options());
  EXPECT_TRUE(events_named(json::parse(trace::stop_to_json()), "late").empty());
}

TEST_F(TraceTest, RequestsAreSampledAndTheirPhasesAreAsyncEvents) {
  trace::start(options(3));
  std::vector<std::uint64_t> sampled;
  for (int i = 0; i < 9; ++i) sampled.push_back(trace::sample_request());
  EXPECT_EQ(sampled, (std::vector<std::uint64_t>{1, 0, 0, 4, 0, 0, 7, 0, 0}));

  const auto start = trace::Clock::now();
  const auto middle = start + std::chrono::microseconds(10);
  const auto end = start + std::chrono::microseconds(30);
  {
    trace::CurrentRequest current(4);
    EXPECT_EQ(trace::current_request(), 4u);
    EXPECT_FALSE(current.queued().has_value());
    trace::request_queued(middle);
    EXPECT_TRUE(current.queued() == middle);
  }
  EXPECT_EQ(trace::current_request(), 0u);
  trace::request_phase("read", 4, start, middle);
  trace::request_phase("request", 4, start, end, trace::Args().add("status", 200));
  trace::request_phase("write", 4, middle, end);
  trace::request_phase("ignored", 0, start, end);  // 0: not sampled
  const auto trace = json::parse(trace::stop_to_json());
  EXPECT_TRUE(events_named(trace, "ignored").empty());
  EXPECT_EQ(trace.at("otherData").at("serve_sample_every"), 3);
  // Begin and end events of one track, in an order where "request" encloses its phases.
  std::vector<std::string> order;
  for (const auto& event : trace.at("traceEvents")) {
    if (event.at("ph") == "M") continue;
    EXPECT_EQ(event.at("cat"), "request");
    EXPECT_EQ(event.at("id"), "0x4");
    order.push_back(event.at("ph").get<std::string>() + ":" + event.at("name").get<std::string>());
  }
  EXPECT_EQ(order,
            (std::vector<std::string>{"b:request", "b:read", "e:read", "b:write", "e:write", "e:request"}));
  EXPECT_EQ(events_named(trace, "request")[0].at("args").at("status"), 200);
}

TEST_F(TraceTest, WritesTheFileAtomicallyAndKnowsItsOwnTraces) {
  const auto dir = temp_dir("trace-write");
  auto start = options();
  start.file = dir / "out.trace.json";
  trace::start(start);
  { TraceSpan span("stage", "test"); }
  EXPECT_GE(trace::stop_and_write(), 1u);
  EXPECT_FALSE(trace::started());
  EXPECT_TRUE(trace::is_trace_file(dir / "out.trace.json"));
  std::ifstream in(dir / "out.trace.json");
  const auto trace = json::parse(in);
  EXPECT_EQ(events_named(trace, "stage").size(), 1u);
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename(), "out.trace.json") << "no temporary left";
  }
  // A character device is written in place, never replaced.
  start.file = "/dev/null";
  trace::start(start);
  EXPECT_NO_THROW(trace::stop_and_write());
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  fs::remove_all(dir);
}

TEST_F(TraceTest, RefusesPathsThatCannotTakeATrace) {
  const auto dir = temp_dir("trace-check");
  EXPECT_NO_THROW(trace::check_output(dir / "new.json"));
  EXPECT_NO_THROW(trace::check_output("/dev/null"));
  std::ofstream(dir / "empty.json").close();
  EXPECT_NO_THROW(trace::check_output(dir / "empty.json"));
  std::ofstream(dir / "old.json") << "{\"traceEvents\":[\n]}";
  EXPECT_NO_THROW(trace::check_output(dir / "old.json"));

  std::ofstream(dir / "notes.txt") << "precious";
  const auto refused = [](const fs::path& file, const std::string& expected) {
    try {
      trace::check_output(file);
      ADD_FAILURE() << file << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("--profile"), std::string::npos) << e.what();
    }
  };
  refused(dir / "notes.txt", "not a trace written by arxivc");
  refused(dir / "notes.txt", "Choose another path or remove it yourself");  // --profile has no --force
  refused(dir, "not a file");
  refused(dir / "missing" / "t.json", "does not exist");
  refused(dir / "notes.txt" / "t.json", "not a directory");
  refused("", "needs a file name");
  EXPECT_EQ(std::ifstream(dir / "notes.txt").get(), 'p') << "left as it was";
  fs::remove_all(dir);
}

TEST_F(TraceTest, DoesNotWriteOverAFileTheCommandWroteMeanwhile) {
  const auto dir = temp_dir("trace-clobber");
  auto start = options();
  start.file = dir / "t.json";
  trace::check_output(start.file);
  trace::start(start);
  std::ofstream(start.file) << "a command's own output";
  EXPECT_THROW(trace::stop_and_write(), Error);
  std::ifstream in(start.file);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "a command's own output");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace arxivc
