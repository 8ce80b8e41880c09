// The real arxivc binary: help, version, exit codes, configuration printing and overrides, run
// directories, and prepare on the 5k sample.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "run_process.hpp"

namespace arxivc::testing {
namespace {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_test_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }

  ProcessResult arxivc(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> all_env = {"ARXIVC_DATA_DIR=" + shared_data_dir().string(),
                                        "ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()};
    all_env.insert(all_env.end(), env.begin(), env.end());
    return run_process(ARXIVC_BINARY, args, dir_, all_env);
  }

  std::filesystem::path dir_;
};

TEST_F(CliTest, VersionAndHelp) {
  auto version = arxivc({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("arxivc 0."), std::string::npos) << version.out;

  auto help = arxivc({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"prepare", "train", "evaluate", "predict", "config"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command;
  }
  auto prepare_help = arxivc({"prepare", "--help"});
  EXPECT_EQ(prepare_help.exit_code, 0);
  EXPECT_NE(prepare_help.out.find("--input"), std::string::npos);
  EXPECT_NE(prepare_help.out.find("--strict"), std::string::npos);
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(arxivc({}).exit_code, 2);
  EXPECT_EQ(arxivc({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(arxivc({"prepare", "--no-such-option"}).exit_code, 2);
  auto level = arxivc({"--log-level", "loud", "config"});
  EXPECT_EQ(level.exit_code, 2);
  EXPECT_NE(level.err.find("loud"), std::string::npos) << level.err;
}

TEST_F(CliTest, JsonLogFormatWritesOneCloudLoggingObjectPerLine) {
  // An error, as a container platform would collect it: one JSON object with severity and message.
  auto failed = arxivc({"config", "no.such.key=1"}, {"ARXIVC_LOG_FORMAT=json"});
  EXPECT_EQ(failed.exit_code, 2);
  ASSERT_FALSE(failed.err.empty());
  std::size_t lines = 0;
  std::size_t start = 0;
  while (start < failed.err.size()) {
    const auto end = failed.err.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "every line ends with a newline: " << failed.err;
    const auto line = nlohmann::json::parse(failed.err.substr(start, end - start));
    EXPECT_TRUE(line["severity"].is_string()) << line;
    EXPECT_TRUE(line["time"].is_string()) << line;
    if (line["severity"] == "ERROR") {
      EXPECT_NE(line["message"].get<std::string>().find("no.such.key"), std::string::npos);
    }
    ++lines;
    start = end + 1;
  }
  EXPECT_GE(lines, 1u);
  EXPECT_NE(failed.err.find(R"("severity":"ERROR")"), std::string::npos) << failed.err;

  // The option wins over the environment; an unknown format is a usage error that names it.
  auto text = arxivc({"--log-format", "text", "config", "no.such.key=1"}, {"ARXIVC_LOG_FORMAT=json"});
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_EQ(text.err.find("\"severity\""), std::string::npos) << text.err;
  auto unknown = arxivc({"--log-format", "xml", "config"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("xml"), std::string::npos) << unknown.err;
}

// Every option the project ships composes: a group file that extends another (`- default`) included.
TEST_F(CliTest, EveryShippedConfigOptionComposes) {
  std::size_t options = 0;
  for (const auto& group : std::filesystem::directory_iterator(source_dir() / "configs")) {
    if (!group.is_directory()) continue;
    for (const auto& file : std::filesystem::directory_iterator(group.path())) {
      if (file.path().extension() != ".yaml") continue;
      const std::string choice = group.path().filename().string() + "=" + file.path().stem().string();
      const auto result = arxivc({"config", choice});
      EXPECT_EQ(result.exit_code, 0) << choice << ": " << result.err;
      ++options;
    }
  }
  EXPECT_GE(options, 8u);
}

TEST_F(CliTest, ConfigPrintsTheComposedConfiguration) {
  auto base = arxivc({"config"});
  ASSERT_EQ(base.exit_code, 0) << base.err;
  EXPECT_NE(base.out.find("prepare:"), std::string::npos);
  EXPECT_NE(base.out.find("arxiv-metadata-5k.json"), std::string::npos) << "data=sample by default";
  EXPECT_EQ(base.out.find("${"), std::string::npos) << "interpolations are resolved";

  auto changed = arxivc({"config", "data=arxiv_500k", "prepare.split.seed=7"});
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_NE(changed.out.find("arxiv-metadata-500k.jsonl.zst"), std::string::npos);
  EXPECT_NE(changed.out.find("seed: 7"), std::string::npos);
}

TEST_F(CliTest, UnknownKeyOrOptionIsAConfigErrorWithASuggestion) {
  auto key = arxivc({"config", "prepare.split.sed=7"});
  EXPECT_EQ(key.exit_code, 2);
  EXPECT_NE(key.err.find("prepare.split.sed"), std::string::npos) << key.err;
  EXPECT_NE(key.err.find("seed"), std::string::npos) << "suggests the closest key: " << key.err;

  auto option = arxivc({"config", "data=sampel"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("sample"), std::string::npos) << option.err;
}

TEST_F(CliTest, PrepareWritesADatasetAndARunDirectory) {
  auto run = arxivc({"prepare", "--input", (shared_data_dir() / "arxiv-metadata-5k.json").string(),
                     "--output", "ds", "run.dir=run", "prepare.selection.min_papers=20"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("5000"), std::string::npos) << "the summary counts the papers read: " << run.out;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "ds" / "manifest.json"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "ds" / "train.bin"));
  const auto config = read_all(dir_ / "run" / ".hydra" / "config.yaml");
  EXPECT_NE(config.find("min_papers: 20"), std::string::npos) << config;
  const auto overrides = read_all(dir_ / "run" / ".hydra" / "overrides.yaml");
  EXPECT_NE(overrides.find("prepare.selection.min_papers=20"), std::string::npos) << overrides;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "run" / "prepare.log"));

  // The run can be repeated from its folder and gives the same dataset.
  auto again = arxivc(
      {"prepare", "--config-dir", (dir_ / "run" / ".hydra").string(), "prepare.output=ds2", "run.dir=run2"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_all(dir_ / "ds" / "train.bin"), read_all(dir_ / "ds2" / "train.bin"));
}

TEST_F(CliTest, PrepareFailuresNameTheProblem) {
  auto missing = arxivc({"prepare", "--input", "no-such-file.jsonl", "--output", "ds", "run.dir=run"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no-such-file.jsonl"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "ds"));

  {
    std::ofstream bad(dir_ / "bad.jsonl");
    bad << R"({"id": "1", "title": "t", "abstract": "a", "categories": "cs.LG"})"
        << "\n"
        << "this is not json\n";
  }
  auto strict = arxivc({"prepare", "--input", "bad.jsonl", "--output", "ds", "--strict", "run.dir=run2"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("bad.jsonl:2"), std::string::npos) << strict.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "ds"));
}

}  // namespace
}  // namespace arxivc::testing
