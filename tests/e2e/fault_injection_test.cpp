// Faults injected into real runs of the binary: kill -9 at many points of prepare and train (the previous
// output stays whole, and --resume ends with the same bytes as a run never interrupted), and a full disk
// (a small tmpfs) under prepare, train and predict (a clear error, the previous output whole, nothing
// half-written left behind).

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>

#include <chrono>
#include <map>
#include <thread>

#include "run_process.hpp"

namespace arxivc::testing {
namespace {

using Clock = std::chrono::steady_clock;

const std::string sample = (shared_data_dir() / "arxiv-metadata-5k.json").string();

std::vector<std::string> environment() {
  return {"ARXIVC_DATA_DIR=" + shared_data_dir().string(),
          "ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()};
}

ProcessResult arxivc(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  return run_process(ARXIVC_BINARY, args, dir, environment());
}

// Starts arxivc, lets it run for `delay`, then kills it with SIGKILL (or lets it finish first).
void run_and_kill(const std::filesystem::path& dir, const std::vector<std::string>& args,
                  std::chrono::milliseconds delay) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    static auto env = environment();
    for (auto& e : env) ::putenv(e.data());
    if (!std::freopen("/dev/null", "rb", stdin) || !std::freopen("/dev/null", "wb", stdout) ||
        !std::freopen("/dev/null", "wb", stderr)) {
      ::_exit(127);
    }
    std::vector<char*> argv = {const_cast<char*>(ARXIVC_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(ARXIVC_BINARY, argv.data());
    ::_exit(127);
  }
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
}

// Every file under `dir` (relative path -> bytes).
std::map<std::string, std::string> tree_bytes(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  if (!std::filesystem::exists(dir)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file())
      files[entry.path().lexically_relative(dir).string()] = read_all(entry.path());
  }
  return files;
}

// The files that differ between two trees, for failure messages (the trees are megabytes).
std::string differences(const std::map<std::string, std::string>& a,
                        const std::map<std::string, std::string>& b) {
  std::string names;
  for (const auto& [name, bytes] : a) {
    const auto other = b.find(name);
    if (other == b.end() || other->second != bytes) names += " " + name;
  }
  for (const auto& [name, bytes] : b) {
    if (a.find(name) == a.end()) names += " " + name + "(only in the second)";
  }
  return names.empty() ? "none" : names;
}

// Names in `dir` that a run leaves only while it runs: temporaries and staging directories.
std::vector<std::string> leftovers(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos || name.find(".old-") != std::string::npos ||
        name.find(".partial") != std::string::npos) {
      names.push_back(name);
    }
  }
  return names;
}

// Delays spread over a run of `total`, from just after start to just before the end.
std::vector<std::chrono::milliseconds> kill_points(Clock::duration total, int count) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(total).count();
  std::vector<std::chrono::milliseconds> points;
  for (int i = 0; i < count; ++i) points.emplace_back(5 + ms * (2 * i + 1) / (2 * count));
  return points;
}

TEST(FaultInjection, KilledPrepareLeavesThePreviousDatasetWhole) {
  const auto dir = fresh_test_dir("fault-prepare");
  ASSERT_EQ(arxivc(dir, {"prepare", "--output", "ds", "prepare.sampling.max_samples=1000"}).exit_code, 0);
  const auto old_dataset = tree_bytes(dir / "ds");
  const std::vector<std::string> replace = {"prepare", "--output", "ds", "run.dir=runs/kill"};
  // The same command in another directory: the dataset a completed run writes (the manifest records the
  // output path, so the reference is written under the same relative name).
  std::filesystem::create_directories(dir / "reference");
  const auto start = Clock::now();
  ASSERT_EQ(arxivc(dir / "reference", replace).exit_code, 0);
  const auto new_dataset = tree_bytes(dir / "reference" / "ds");
  ASSERT_NE(old_dataset, new_dataset);

  for (const auto delay : kill_points(Clock::now() - start, 8)) {
    run_and_kill(dir, replace, delay);
    const auto now = tree_bytes(dir / "ds");
    EXPECT_TRUE(now == old_dataset || now == new_dataset)
        << "killed after " << delay.count() << " ms; differs from the old dataset in"
        << differences(now, old_dataset);
    // When the run completed, put the old dataset back for the next kill.
    if (now == new_dataset) {
      ASSERT_EQ(arxivc(dir, {"prepare", "--output", "ds", "prepare.sampling.max_samples=1000"}).exit_code, 0);
    }
  }
  // The next complete run removes what the killed ones left and writes the same bytes as ever.
  auto finished = arxivc(dir, replace);
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  EXPECT_TRUE(tree_bytes(dir / "ds") == new_dataset) << differences(tree_bytes(dir / "ds"), new_dataset);
  EXPECT_TRUE(leftovers(dir).empty()) << leftovers(dir).front();
}

TEST(FaultInjection, KilledTrainingKeepsTheOldModelAndResumesToTheSameBytes) {
  const auto dir = fresh_test_dir("fault-train");
  ASSERT_EQ(arxivc(dir, {"prepare", "--output", "ds", "prepare.sampling.max_samples=1000"}).exit_code, 0);
  const std::vector<std::string> settings = {
      "--input", "ds", "--epochs", "4", "training.patience=0", "training.threads=1"};
  const auto with = [&settings](std::vector<std::string> args) {
    args.insert(args.begin() + 1, settings.begin(), settings.end());
    return args;
  };
  const auto start = Clock::now();
  auto reference = arxivc(dir, with({"train", "--output", "reference"}));
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  const auto duration = Clock::now() - start;
  const auto reference_model = read_all(dir / "reference" / "model.bin");
  auto older =
      arxivc(dir, {"train", "--input", "ds", "--output", "victim", "--epochs", "1", "training.seed=7"});
  ASSERT_EQ(older.exit_code, 0) << older.err;
  const auto old_model = tree_bytes(dir / "victim");

  for (const auto delay : kill_points(duration, 6)) {
    // Replacing a model: killed anywhere, the output holds the old model or the new one, whole.
    run_and_kill(dir, with({"train", "--output", "victim"}), delay);
    const auto now = tree_bytes(dir / "victim");
    if (now != old_model) {
      EXPECT_TRUE(read_all(dir / "victim" / "model.bin") == reference_model)
          << "killed after " << delay.count() << " ms: neither the old model nor the new one";
      ASSERT_EQ(
          arxivc(dir, {"train", "--input", "ds", "--output", "victim", "--epochs", "1", "training.seed=7"})
              .exit_code,
          0);
    }
    auto loads = arxivc(dir, {"predict", "--model", "victim", "--input", sample, "--output", "/dev/null"});
    EXPECT_EQ(loads.exit_code, 0) << loads.err;

    // A new model: killed anywhere, --resume finishes with the bytes of an uninterrupted run.
    std::filesystem::remove_all(dir / "fresh");
    run_and_kill(dir, with({"train", "--output", "fresh"}), delay);
    auto resumed = arxivc(dir, with({"train", "--output", "fresh", "--resume"}));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_TRUE(read_all(dir / "fresh" / "model.bin") == reference_model)
        << "killed after " << delay.count() << " ms, then resumed: not the bytes of an uninterrupted run";
  }
  // A killed run's staging directory stays for --resume; the next run without --resume removes it.
  auto replaced = arxivc(dir, with({"train", "--output", "victim"}));
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_TRUE(read_all(dir / "victim" / "model.bin") == reference_model);
  EXPECT_TRUE(leftovers(dir).empty()) << leftovers(dir).front();
}

// A tmpfs of `bytes` at `dir`, unmounted when destroyed. Needs root (CI runs as root).
class SmallDisk {
 public:
  SmallDisk(std::filesystem::path dir, std::size_t bytes) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    const auto options = "size=" + std::to_string(bytes);
    mounted_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
};

#define REQUIRE_SMALL_DISK(disk)                                                                 \
  if (!(disk).mounted()) {                                                                       \
    if (std::getenv("ARXIVC_REQUIRE_CLIENT_TESTS") != nullptr) FAIL() << "cannot mount a tmpfs"; \
    GTEST_SKIP() << "cannot mount a tmpfs here (not root?)";                                     \
  }

TEST(FaultInjection, AFullDiskDuringPrepareKeepsTheOldDataset) {
  const auto dir = fresh_test_dir("fault-disk-prepare");
  SmallDisk disk(dir / "small", 2 << 20);
  REQUIRE_SMALL_DISK(disk);
  ASSERT_EQ(arxivc(dir, {"prepare", "--output", "small/ds", "prepare.sampling.max_samples=300"}).exit_code,
            0);
  const auto old_dataset = tree_bytes(dir / "small" / "ds");
  auto run = arxivc(dir, {"prepare", "--output", "small/ds"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("No space left on device"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("small/"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("internal error"), std::string::npos) << run.err;
  EXPECT_TRUE(tree_bytes(dir / "small" / "ds") == old_dataset);
  EXPECT_TRUE(leftovers(dir / "small").empty()) << leftovers(dir / "small").front();
}

TEST(FaultInjection, AFullDiskDuringTrainingKeepsTheOldModel) {
  const auto dir = fresh_test_dir("fault-disk-train");
  ASSERT_EQ(arxivc(dir, {"prepare", "--output", "ds"}).exit_code, 0);
  SmallDisk disk(dir / "small", 64 << 20);
  REQUIRE_SMALL_DISK(disk);
  auto older =
      arxivc(dir, {"train", "--input", "ds", "--output", "small/model", "--epochs", "1", "training.seed=7"});
  ASSERT_EQ(older.exit_code, 0) << older.err;
  const auto old_model = tree_bytes(dir / "small" / "model");
  auto run = arxivc(dir, {"train", "--input", "ds", "--output", "small/model", "--epochs", "4"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("No space left on device"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("internal error"), std::string::npos) << run.err;
  EXPECT_TRUE(tree_bytes(dir / "small" / "model") == old_model);
  auto loads = arxivc(dir, {"predict", "--model", "small/model", "--input", sample, "--output", "/dev/null"});
  EXPECT_EQ(loads.exit_code, 0) << loads.err;
}

TEST(FaultInjection, AFullDiskDuringPredictLeavesNoPartialFile) {
  const auto dir = fresh_test_dir("fault-disk-predict");
  ASSERT_EQ(arxivc(dir, {"prepare", "--output", "ds"}).exit_code, 0);
  ASSERT_EQ(arxivc(dir, {"train", "--input", "ds", "--output", "model", "--epochs", "1"}).exit_code, 0);
  SmallDisk disk(dir / "small", 64 << 10);
  REQUIRE_SMALL_DISK(disk);
  auto run = arxivc(dir, {"predict", "--model", "model", "--input", sample, "--output", "small/p.jsonl"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("small/p.jsonl"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("No space left on device"), std::string::npos) << run.err;
  EXPECT_TRUE(std::filesystem::is_empty(dir / "small"));
}

}  // namespace
}  // namespace arxivc::testing
