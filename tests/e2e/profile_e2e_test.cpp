// --profile FILE through the real binary: prepare, train and serve write Chrome traces with their stages
// and threads; a failed command still writes what it recorded; a path that cannot take a trace is
// refused before any work.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "run_process.hpp"
#include "serve_support.hpp"

namespace arxivc::testing {
namespace {

using nlohmann::json;

ProcessResult arxivc_in(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  return run_process(ARXIVC_BINARY, args, dir,
                     {"ARXIVC_DATA_DIR=" + shared_data_dir().string(),
                      "ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()});
}

json read_trace(const std::filesystem::path& file) { return json::parse(read_all(file)); }

std::vector<json> complete_events(const json& trace) {
  std::vector<json> events;
  for (const auto& event : trace.at("traceEvents")) {
    if (event.at("ph") == "X") events.push_back(event);
  }
  return events;
}

std::multiset<std::string> span_names(const json& trace) {
  std::multiset<std::string> names;
  for (const auto& event : trace.at("traceEvents")) {
    if (event.at("ph") != "M") names.insert(event.at("name").get<std::string>());
  }
  return names;
}

std::set<std::string> thread_names(const json& trace) {
  std::set<std::string> names;
  for (const auto& event : trace.at("traceEvents")) {
    if (event.at("ph") == "M" && event.at("name") == "thread_name")
      names.insert(event.at("args").at("name").get<std::string>());
  }
  return names;
}

// Every span has a non-negative start and duration, and the spans of each thread nest: one that starts
// inside another ends inside it too.
void expect_well_formed(const json& trace) {
  std::map<std::int64_t, std::vector<std::pair<double, double>>> by_thread;
  for (const auto& event : complete_events(trace)) {
    const double start = event.at("ts");
    const double duration = event.at("dur");
    EXPECT_GE(start, 0.0) << event;
    EXPECT_GE(duration, 0.0) << event;
    by_thread[event.at("tid").get<std::int64_t>()].emplace_back(start, start + duration);
  }
  constexpr double kSlack = 0.0015;  // microseconds: the file's three decimals
  for (auto& [tid, spans] : by_thread) {
    std::sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second > b.second;
    });
    std::vector<double> open_ends;
    for (const auto& [start, end] : spans) {
      while (!open_ends.empty() && open_ends.back() <= start + kSlack) open_ends.pop_back();
      if (!open_ends.empty()) {
        EXPECT_LE(end, open_ends.back() + kSlack) << "thread " << tid << ": span [" << start << ", " << end
                                                  << "] overlaps the end of its enclosing span";
      }
      open_ends.push_back(end);
    }
  }
}

// Whether every span named `inner` lies within a span named `outer` of the same thread.
bool always_inside(const json& trace, const std::string& inner, const std::string& outer) {
  const auto events = complete_events(trace);
  for (const auto& in : events) {
    if (in.at("name") != inner) continue;
    const bool inside = std::any_of(events.begin(), events.end(), [&](const json& out) {
      return out.at("name") == outer && out.at("tid") == in.at("tid") &&
             out.at("ts").get<double>() <= in.at("ts").get<double>() &&
             in.at("ts").get<double>() + in.at("dur").get<double>() <=
                 out.at("ts").get<double>() + out.at("dur").get<double>() + 0.0015;
    });
    if (!inside) return false;
  }
  return true;
}

class ProfileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(fresh_test_dir("profile"));
    prepared_ =
        new ProcessResult(arxivc_in(*dir_, {"prepare", "--output", "ds", "--profile", "prepare.trace.json",
                                            "run.dir=runs/prepare", "prepare.selection.min_papers=30"}));
    trained_ =
        new ProcessResult(arxivc_in(*dir_, {"--profile", "train.trace.json", "train", "--input", "ds",
                                            "--output", "model", "--epochs", "2", "run.dir=runs/train"}));
  }
  static void TearDownTestSuite() {
    delete prepared_;
    delete trained_;
    delete dir_;
  }

  static std::filesystem::path* dir_;
  static ProcessResult* prepared_;
  static ProcessResult* trained_;
};

std::filesystem::path* ProfileTest::dir_ = nullptr;
ProcessResult* ProfileTest::prepared_ = nullptr;
ProcessResult* ProfileTest::trained_ = nullptr;

TEST_F(ProfileTest, PrepareTraceHasItsStagesAndThreads) {
  ASSERT_EQ(prepared_->exit_code, 0) << prepared_->err;
  EXPECT_NE(prepared_->err.find("trace written to prepare.trace.json"), std::string::npos) << prepared_->err;
  const auto trace = read_trace(*dir_ / "prepare.trace.json");
  const auto names = span_names(trace);
  for (const char* stage :
       {"prepare", "read_input", "read", "read_file", "sha256", "parse", "normalise", "deliver", "dedup",
        "select", "sample", "label", "split", "write", "write_manifest"}) {
    EXPECT_TRUE(names.contains(stage)) << stage;
  }
  EXPECT_EQ(names.count("write"), 3u) << "one per split";
  const auto threads = thread_names(trace);
  for (const char* thread : {"main", "reader", "parser-1"}) EXPECT_TRUE(threads.contains(thread)) << thread;
  expect_well_formed(trace);
  EXPECT_TRUE(always_inside(trace, "read_input", "prepare"));
  EXPECT_TRUE(always_inside(trace, "split", "prepare"));
  EXPECT_TRUE(always_inside(trace, "deliver", "read_input"));
  EXPECT_TRUE(always_inside(trace, "sha256", "read_file"));
  // The process is named after the command; the command line is recorded.
  bool named = false;
  for (const auto& event : trace.at("traceEvents")) {
    if (event.at("name") == "process_name") named = event.at("args").at("name") == "arxivc prepare";
  }
  EXPECT_TRUE(named);
  const auto command_line = trace.at("otherData").at("command_line");
  EXPECT_EQ(command_line.at(1), "prepare");
  EXPECT_EQ(trace.at("otherData").at("arxivc_version").get<std::string>().empty(), false);
}

TEST_F(ProfileTest, TrainTraceHasItsStagesAndEpochs) {
  ASSERT_EQ(trained_->exit_code, 0) << trained_->err;
  const auto trace = read_trace(*dir_ / "train.trace.json");
  const auto names = span_names(trace);
  for (const char* stage :
       {"train", "open_dataset", "load_splits", "featurise", "epoch", "train_epoch", "validate", "score",
        "load_best", "tune_thresholds", "write_model", "write_model_card", "commit"}) {
    EXPECT_TRUE(names.contains(stage)) << stage;
  }
  EXPECT_EQ(names.count("epoch"), 2u);
  std::set<int> epochs;
  for (const auto& event : complete_events(trace)) {
    if (event.at("name") == "epoch") epochs.insert(event.at("args").at("epoch").get<int>());
  }
  EXPECT_EQ(epochs, (std::set<int>{1, 2}));
  EXPECT_TRUE(thread_names(trace).contains("main"));
  expect_well_formed(trace);
  EXPECT_TRUE(always_inside(trace, "train_epoch", "epoch"));
  EXPECT_TRUE(always_inside(trace, "validate", "epoch"));
  EXPECT_TRUE(always_inside(trace, "epoch", "train"));
}

TEST_F(ProfileTest, AFailedCommandStillWritesItsTrace) {
  auto failed = arxivc_in(*dir_, {"train", "--input", "no-such-file.jsonl", "--output", "failed-model",
                                  "--profile", "failed.trace.json", "run.dir=runs/failed"});
  EXPECT_NE(failed.exit_code, 0);
  const auto trace = read_trace(*dir_ / "failed.trace.json");
  EXPECT_TRUE(span_names(trace).contains("train")) << "the command's span, ended by the error";
  expect_well_formed(trace);
}

TEST_F(ProfileTest, APathThatCannotTakeATraceIsRefusedBeforeAnyWork) {
  auto missing_dir = arxivc_in(
      *dir_, {"prepare", "--output", "ds-never", "--profile", "nowhere/t.json", "run.dir=runs/never"});
  EXPECT_EQ(missing_dir.exit_code, 2);
  EXPECT_NE(missing_dir.err.find("--profile nowhere/t.json: the directory nowhere does not exist"),
            std::string::npos)
      << missing_dir.err;
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "ds-never"));

  std::ofstream(*dir_ / "notes.txt") << "not a trace";
  auto occupied =
      arxivc_in(*dir_, {"prepare", "--output", "ds-never", "--profile", "notes.txt", "run.dir=runs/never"});
  EXPECT_EQ(occupied.exit_code, 2);
  EXPECT_NE(occupied.err.find("is a file of 11 bytes that is not a trace written by arxivc"),
            std::string::npos)
      << occupied.err;
  EXPECT_EQ(read_all(*dir_ / "notes.txt"), "not a trace");

  auto directory = arxivc_in(*dir_, {"config", "--profile", "ds"});
  EXPECT_EQ(directory.exit_code, 2);
  EXPECT_NE(directory.err.find("not a file"), std::string::npos) << directory.err;
}

TEST_F(ProfileTest, TheRecordedCommandLineShowsNoSecret) {
  const std::string secret = "override-secret-4711";
  auto run = arxivc_in(*dir_, {"config", "--profile", "config.trace.json", "serve.api_key=" + secret,
                               "++serve.api_key=" + secret});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const auto text = read_all(*dir_ / "config.trace.json");
  EXPECT_EQ(text.find(secret), std::string::npos) << text;
  const auto command_line = json::parse(text).at("otherData").at("command_line");
  EXPECT_EQ(command_line.at(4), "serve.api_key=***");
  EXPECT_EQ(command_line.at(5), "++serve.api_key=***");
}

TEST(ProfileServeTest, SampledRequestsShowTheirPhasesAndTheTraceIsWrittenOnSigterm) {
  const auto dir = fresh_test_dir("profile-serve");
  const std::string key = "profile-test-secret-key";
  ServerProcess server(dir, {"--model", trained_model_dir().string(), "--api-key", key, "--profile",
                             "serve.trace.json", "--profile-sample", "1"});
  HttpClient http(server.port());
  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + key}};
  for (int i = 0; i < 3; ++i) {
    const auto response =
        http.post("/v1/predict", R"({"title": "Black hole thermodynamics", "top_k": 3})", auth);
    ASSERT_EQ(response.status, 200) << response.body;
  }
  ASSERT_EQ(http.get("/health").status, 200);
  http.close();
  server.signal(SIGTERM);
  const auto code = server.wait(std::chrono::seconds(60));
  ASSERT_TRUE(code) << server.log();
  EXPECT_EQ(*code, 0) << server.log();

  const auto text = read_all(dir / "serve.trace.json");
  EXPECT_EQ(text.find(key), std::string::npos) << "the API key is never written";
  const auto trace = json::parse(text);
  const auto names = span_names(trace);
  for (const char* phase : {"request", "read", "handle", "queue_wait", "inference", "write"}) {
    EXPECT_GE(names.count(phase), 3u * 2) << phase << ": a begin and an end event per predict request";
  }
  EXPECT_TRUE(names.contains("inference_batch"));
  EXPECT_TRUE(names.contains("serve"));
  EXPECT_TRUE(thread_names(trace).contains("inference-1"));
  expect_well_formed(trace);
  const auto command_line = trace.at("otherData").at("command_line").dump();
  EXPECT_NE(command_line.find("\"--api-key\",\"***\""), std::string::npos) << command_line;
}

}  // namespace
}  // namespace arxivc::testing
