// The whole chain on the 5k sample through the real binary: prepare, train, evaluate, predict.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "run_process.hpp"

namespace arxivc::testing {
namespace {

class TrainChainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(fresh_test_dir("train-chain"));
    auto prepared =
        arxivc({"prepare", "--output", "ds", "run.dir=runs/prepare", "prepare.selection.min_papers=30"});
    ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
    auto trained =
        arxivc({"train", "--input", "ds", "--output", "model", "--epochs", "4", "run.dir=runs/train"});
    ASSERT_EQ(trained.exit_code, 0) << trained.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  static ProcessResult arxivc(const std::vector<std::string>& args,
                              const std::filesystem::path& stdin_file = {}) {
    return run_process(ARXIVC_BINARY, args, *dir_,
                       {"ARXIVC_DATA_DIR=" + shared_data_dir().string(),
                        "ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()},
                       stdin_file);
  }
  static nlohmann::json read_json(const std::filesystem::path& file) {
    return nlohmann::json::parse(read_all(file));
  }

  static std::filesystem::path* dir_;
};

std::filesystem::path* TrainChainTest::dir_ = nullptr;

TEST_F(TrainChainTest, ModelDirectoryHoldsEverything) {
  for (const char* file : {"model.bin", "labels.json", "featurisation.json", "config.yaml", "metrics.json",
                           "training_log.jsonl", "checkpoints/last.json"}) {
    EXPECT_TRUE(std::filesystem::exists(*dir_ / "model" / file)) << file;
  }
  const auto labels = read_json(*dir_ / "model" / "labels.json");
  ASSERT_GT(labels.size(), 10u);
  EXPECT_FALSE(labels[0]["name"].get<std::string>().empty());
  // The card and its figures belong to the model and to its run, not to a shared reports/ folder.
  EXPECT_TRUE(std::filesystem::exists(*dir_ / "model" / "model_card.md"));
  EXPECT_TRUE(std::filesystem::exists(*dir_ / "model" / "figures" / "training_curves.png"));
  EXPECT_TRUE(std::filesystem::exists(*dir_ / "runs" / "train" / "model_card.md"));
  EXPECT_TRUE(std::filesystem::exists(*dir_ / "runs" / "train" / "figures" / "training_curves.png"));
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "reports" / "tfidf_linear" / "model_card.md"));
  const auto card = read_all(*dir_ / "model" / "model_card.md");
  EXPECT_NE(card.find("](figures/training_curves.png)"), std::string::npos);
  // Nothing of the build is left beside the model.
  EXPECT_FALSE(std::filesystem::exists(*dir_ / ".model.partial"));
}

TEST_F(TrainChainTest, EvaluationIsFarAboveChance) {
  auto run =
      arxivc({"evaluate", "--model", "model", "--input", "ds", "--output", "eval", "run.dir=runs/eval"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto metrics = read_json(*dir_ / "eval" / "evaluation_test.json");
  const auto labels = read_json(*dir_ / "model" / "labels.json").size();
  // Chance is 1/labels for the primary category; a sanity bound, not a tuned-quality bound.
  EXPECT_GT(metrics["primary_accuracy"].get<double>(), 5.0 / static_cast<double>(labels));
  EXPECT_GT(metrics["micro"]["f1"].get<double>(), 0.25);
  const auto report = read_all(*dir_ / "eval" / "evaluation_test.md");
  EXPECT_NE(report.find("biases"), std::string::npos);

  auto raw = arxivc({"evaluate", "--model", "model", "--input",
                     (shared_data_dir() / "arxiv-metadata-5k.json").string(), "--output", "eval-raw",
                     "run.dir=runs/eval-raw"});
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_TRUE(std::filesystem::exists(*dir_ / "eval-raw" / "evaluation_arxiv-metadata-5k.json"));
}

TEST_F(TrainChainTest, PredictWritesOneLinePerPaperInOrder) {
  {
    std::ofstream in(*dir_ / "papers.jsonl");
    in << R"({"id": "a1", "title": "Deep neural networks for image classification", "abstract": "We train convolutional networks.", "categories": "cs.CV"})"
       << "\n{not json\n"
       << R"({"id": "a3", "title": "Quantum field theory", "abstract": "Gauge symmetry and anomalies in string theory.", "categories": "hep-th"})"
       << "\n"
       // A new paper has no categories yet.
       << R"({"id": "a4", "title": "Sharp bounds for elliptic equations", "abstract": "We prove regularity of weak solutions."})"
       << "\n";
  }
  auto run = arxivc(
      {"predict", "--model", "model", "--input", "papers.jsonl", "--output", "out.jsonl", "--top-k", "12"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream out(*dir_ / "out.jsonl");
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(out, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["id"], "a1");
  EXPECT_EQ(lines[3]["id"], "a4");
  EXPECT_FALSE(lines[3].contains("error")) << lines[3].dump();
  EXPECT_FALSE(lines[3]["predicted"].empty());
  EXPECT_TRUE(lines[1].contains("error"));
  EXPECT_EQ(lines[1]["line"], 2);
  EXPECT_EQ(lines[2]["id"], "a3");
  const auto& top = lines[0]["top"];
  ASSERT_EQ(top.size(), 12u);
  for (std::size_t i = 1; i < top.size(); ++i)
    EXPECT_GE(top[i - 1][1].get<double>(), top[i][1].get<double>());
  ASSERT_FALSE(lines[0]["predicted"].empty());
  EXPECT_EQ(lines[0]["predicted"][0], top[0][0]) << "the primary guess is the top-ranked category";

  auto from_stdin =
      arxivc({"predict", "--model", "model", "--input", "-", "--top-k", "12"}, *dir_ / "papers.jsonl");
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(from_stdin.out, read_all(*dir_ / "out.jsonl"));
  EXPECT_NE(from_stdin.out.find("\"id\": \"a3\""), std::string::npos);
}

TEST_F(TrainChainTest, TrainingIsDeterministic) {
  auto again =
      arxivc({"train", "--input", "ds", "--output", "model-again", "--epochs", "4", "run.dir=runs/again"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_all(*dir_ / "model" / "model.bin"), read_all(*dir_ / "model-again" / "model.bin"));
}

TEST_F(TrainChainTest, ResumeContinuesFromTheLastCheckpoint) {
  auto first = arxivc({"train", "--input", "ds", "--output", "model-resume", "--epochs", "2",
                       "training.patience=0", "run.dir=runs/resume1"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto resumed = arxivc({"train", "--input", "ds", "--output", "model-resume", "--epochs", "4", "--resume",
                         "training.patience=0", "run.dir=runs/resume2"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming after epoch 2"), std::string::npos) << resumed.err;
  std::ifstream log(*dir_ / "model-resume" / "training_log.jsonl");
  int lines = 0;
  for (std::string line; std::getline(log, line);) ++lines;
  EXPECT_EQ(lines, 4);
}

TEST_F(TrainChainTest, DamagedModelIsRejectedWithAReason) {
  std::filesystem::create_directories(*dir_ / "broken");
  for (const char* file : {"labels.json", "featurisation.json", "config.yaml", "metrics.json"}) {
    std::filesystem::copy_file(*dir_ / "model" / file, *dir_ / "broken" / file,
                               std::filesystem::copy_options::overwrite_existing);
  }
  auto bytes = read_all(*dir_ / "model" / "model.bin");
  bytes[bytes.size() / 2] ^= 0x5a;
  std::ofstream(*dir_ / "broken" / "model.bin", std::ios::binary) << bytes;
  auto run = arxivc({"predict", "--model", "broken", "--input",
                     (shared_data_dir() / "arxiv-metadata-5k.json").string(), "--output", "never.jsonl"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("checksum"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "never.jsonl"));
}

}  // namespace
}  // namespace arxivc::testing
