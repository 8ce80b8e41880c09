// `arxivc export` through the real binary: the 5k sample prepared, then its splits written as JSON Lines.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "arxivc/dataset/dataset.hpp"
#include "arxivc/train/training_data.hpp"
#include "run_process.hpp"

namespace arxivc::testing {
namespace {

class ExportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(fresh_test_dir("export"));
    auto prepared = arxivc({"prepare", "--output", "ds", "run.dir=runs/prepare"});
    ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  static ProcessResult arxivc(const std::vector<std::string>& args) {
    return run_process(ARXIVC_BINARY, args, *dir_,
                       {"ARXIVC_DATA_DIR=" + shared_data_dir().string(),
                        "ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()});
  }
  static std::vector<nlohmann::json> parse_lines(const std::string& text) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  static std::filesystem::path* dir_;
};

std::filesystem::path* ExportTest::dir_ = nullptr;

TEST_F(ExportTest, WritesEveryPaperOfTheSplitWithItsLabelCodes) {
  auto run = arxivc({"export", "--input", "ds", "--split", "test", "--output", "test.jsonl"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto lines = parse_lines(read_all(*dir_ / "test.jsonl"));
  const auto dataset = dataset::Dataset::open(*dir_ / "ds");
  const auto& split = dataset.split("test");
  ASSERT_GT(split.size(), 100u);
  ASSERT_EQ(lines.size(), split.size());
  for (std::size_t i = 0; i < split.size(); ++i) {
    const auto example = split[i];
    const auto& line = lines[i];
    ASSERT_EQ(line.size(), 4u) << line.dump();
    EXPECT_EQ(line.at("id"), example.id);
    EXPECT_EQ(line.at("title"), example.title);
    EXPECT_EQ(line.at("abstract"), example.abstract);
    std::vector<std::string> codes;
    for (const auto label : example.labels) codes.push_back(dataset.labels()[label]);
    EXPECT_EQ(line.at("labels").get<std::vector<std::string>>(), codes) << example.id;
  }
}

TEST_F(ExportTest, OneKnownPaperKeepsItsPrimaryCategoryFirst) {
  // 1511.08407 of the sample: "The Mechanism of Additive Composition", categories "cs.CL cs.LG"; whichever
  // split it landed in, its record reads the same, primary category first.
  const auto dataset = dataset::Dataset::open(*dir_ / "ds");
  int found = 0;
  for (const auto& name : dataset.split_names()) {
    auto run = arxivc({"export", "--input", "ds", "--split", name, "--output", "-"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto lines = parse_lines(run.out);
    EXPECT_EQ(lines.size(), dataset.split(name).size()) << name;
    for (const auto& line : lines) {
      if (line.at("id") != "1511.08407") continue;
      ++found;
      EXPECT_EQ(line.at("title"), "The Mechanism of Additive Composition");
      EXPECT_EQ(line.at("abstract").get<std::string>().rfind("Additive composition (Foltz et al, 1998;", 0),
                0u)
          << line;
      EXPECT_EQ(line.at("labels"), nlohmann::json::array({"cs.CL", "cs.LG"})) << line;
    }
  }
  EXPECT_EQ(found, 1);
}

TEST_F(ExportTest, MaxSamplesWritesTheSubsetTrainingUses) {
  // The same seeded choice as `train --max-samples` (train::sample_indices), in split order.
  auto run = arxivc({"export", "--input", "ds", "--split", "train", "--max-samples", "100", "--output", "-"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto lines = parse_lines(run.out);
  const auto dataset = dataset::Dataset::open(*dir_ / "ds");
  const auto& split = dataset.split("train");
  const auto indices = train::sample_indices(split.size(), 100, 42);
  ASSERT_EQ(lines.size(), 100u);
  for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i].at("id"), split[indices[i]].id) << i;
  auto other_seed = arxivc({"export", "--input", "ds", "--split", "train", "--max-samples", "100", "--seed",
                            "7", "--output", "-"});
  ASSERT_EQ(other_seed.exit_code, 0) << other_seed.err;
  EXPECT_NE(other_seed.out, run.out);
}

TEST_F(ExportTest, BadInputIsAUsageErrorAndLeavesNoFile) {
  auto unknown_split = arxivc({"export", "--input", "ds", "--split", "dev", "--output", "dev.jsonl"});
  EXPECT_EQ(unknown_split.exit_code, 2);
  EXPECT_NE(unknown_split.err.find("no split 'dev'"), std::string::npos) << unknown_split.err;
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "dev.jsonl"));

  auto not_a_dataset = arxivc({"export", "--input", "runs", "--output", "x.jsonl"});
  EXPECT_EQ(not_a_dataset.exit_code, 2);
  EXPECT_NE(not_a_dataset.err.find("not a prepared dataset"), std::string::npos) << not_a_dataset.err;
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "x.jsonl"));
}

}  // namespace
}  // namespace arxivc::testing
