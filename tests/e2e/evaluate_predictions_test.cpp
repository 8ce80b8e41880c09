// `arxivc evaluate --predictions` through the real binary: predictions written by `arxivc predict` for a
// split, read back as if another tool had made them, give the same metrics as `evaluate --model`; bad
// prediction files are rejected naming the file, line and field.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "run_process.hpp"

namespace arxivc::testing {
namespace {

class EvaluatePredictionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(fresh_test_dir("evaluate-predictions"));
    auto prepared =
        arxivc({"prepare", "--output", "ds", "run.dir=runs/prepare", "prepare.selection.min_papers=30"});
    ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
    auto trained =
        arxivc({"train", "--input", "ds", "--output", "model", "--epochs", "2", "run.dir=runs/train"});
    ASSERT_EQ(trained.exit_code, 0) << trained.err;
    auto exported = arxivc({"export", "--input", "ds", "--split", "test", "--output", "test.jsonl"});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    // predict reads metadata: the exported labels become the "categories" field.
    std::ifstream in(*dir_ / "test.jsonl");
    std::ofstream out(*dir_ / "test-papers.jsonl");
    for (std::string line; std::getline(in, line);) {
      auto paper = nlohmann::json::parse(line);
      std::string categories;
      for (const auto& code : paper["labels"]) {
        if (!categories.empty()) categories += ' ';
        categories += code.get_ref<const std::string&>();
      }
      paper["categories"] = categories;
      out << paper.dump() << '\n';
      ids_.push_back(paper["id"].get<std::string>());
    }
    out.close();
    auto predicted = arxivc({"predict", "--model", "model", "--input", "test-papers.jsonl", "--output",
                             "predictions.jsonl", "--top-k", "10"});
    ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  static ProcessResult arxivc(const std::vector<std::string>& args) {
    return run_process(ARXIVC_BINARY, args, *dir_,
                       {"ARXIVC_DATA_DIR=" + shared_data_dir().string(),
                        "ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()});
  }
  static std::vector<std::string> prediction_lines() {
    std::vector<std::string> lines;
    std::istringstream in(read_all(*dir_ / "predictions.jsonl"));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  static void write_lines(const std::string& file, const std::vector<std::string>& lines) {
    std::ofstream out(*dir_ / file);
    for (const auto& line : lines) out << line << '\n';
  }

  static std::filesystem::path* dir_;
  static std::vector<std::string> ids_;
};

std::filesystem::path* EvaluatePredictionsTest::dir_ = nullptr;
std::vector<std::string> EvaluatePredictionsTest::ids_;

TEST_F(EvaluatePredictionsTest, PredictionsOfTheModelScoreLikeTheModel) {
  auto by_model = arxivc({"evaluate", "--model", "model", "--input", "ds", "--split", "test", "--output",
                          "eval-model", "run.dir=runs/eval-model"});
  ASSERT_EQ(by_model.exit_code, 0) << by_model.err;
  auto by_file = arxivc({"evaluate", "--predictions", "predictions.jsonl", "--input", "ds", "--split", "test",
                         "--output-dir", "eval-file", "--name", "arxivc-predict", "run.dir=runs/eval-file"});
  ASSERT_EQ(by_file.exit_code, 0) << by_file.err;
  EXPECT_NE(by_file.out.find("primary accuracy"), std::string::npos) << by_file.out;

  const auto model = nlohmann::json::parse(read_all(*dir_ / "eval-model" / "evaluation_test.json"));
  const auto file = nlohmann::json::parse(read_all(*dir_ / "eval-file" / "evaluation_test.json"));
  EXPECT_EQ(file["papers"], model["papers"]);
  EXPECT_EQ(file["papers"].get<std::size_t>(), ids_.size());
  // Same decisions and the same ranking: the set and ranking metrics agree exactly; calibration may differ
  // in the last digits (predict prints 4 significant digits).
  for (const char* key : {"primary_accuracy", "primary_in_top_5", "archive_accuracy", "precision_at_1",
                          "precision_at_3", "precision_at_5", "ndcg_at_5"}) {
    EXPECT_DOUBLE_EQ(file[key].get<double>(), model[key].get<double>()) << key;
  }
  for (const char* average : {"micro", "macro", "samples"}) {
    for (const char* score : {"precision", "recall", "f1"}) {
      EXPECT_DOUBLE_EQ(file[average][score].get<double>(), model[average][score].get<double>())
          << average << " " << score;
    }
  }
  EXPECT_EQ(file["model"]["name"], "arxivc-predict");
  const auto report = read_all(*dir_ / "eval-file" / "evaluation_test.md");
  EXPECT_NE(report.find("Evaluation of arxivc-predict on test"), std::string::npos);
  EXPECT_NE(report.find("Predictions: `predictions.jsonl`"), std::string::npos);
  EXPECT_NE(report.find("biases"), std::string::npos);
}

TEST_F(EvaluatePredictionsTest, UnknownCodesAreMisses) {
  // Every paper's primary guess replaced by a code outside the label space: primary accuracy drops to 0,
  // and the run says how many such entries there were.
  auto lines = prediction_lines();
  for (auto& line : lines) {
    auto json = nlohmann::json::parse(line);
    json["predicted"] = {"xx.UNKNOWN"};
    json["top"].insert(json["top"].begin(), nlohmann::json::array({"xx.UNKNOWN", 1.0}));
    line = json.dump();
  }
  write_lines("unknown.jsonl", lines);
  auto run = arxivc({"evaluate", "--predictions", "unknown.jsonl", "--input", "ds", "--output",
                     "eval-unknown", "run.dir=runs/eval-unknown"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto metrics = nlohmann::json::parse(read_all(*dir_ / "eval-unknown" / "evaluation_test.json"));
  EXPECT_EQ(metrics["primary_accuracy"].get<double>(), 0.0);
  EXPECT_EQ(metrics["micro"]["f1"].get<double>(), 0.0);
  EXPECT_GT(metrics["primary_in_top_5"].get<double>(), 0.0);
  const auto report = read_all(*dir_ / "eval-unknown" / "evaluation_test.md");
  EXPECT_NE(report.find(std::to_string(2 * lines.size()) + " entries) count as misses"), std::string::npos);
}

TEST_F(EvaluatePredictionsTest, ABadLineIsAnErrorNamingFileLineAndField) {
  auto lines = prediction_lines();
  ASSERT_GT(lines.size(), 3u);
  auto json = nlohmann::json::parse(lines[2]);
  json["top"][0][1] = "high";
  lines[2] = json.dump();
  write_lines("bad.jsonl", lines);
  auto run = arxivc({"evaluate", "--predictions", "bad.jsonl", "--input", "ds", "run.dir=runs/eval-bad"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("bad.jsonl:3: field \"top\"[0]: expected [code, probability]"), std::string::npos)
      << run.err;
}

TEST_F(EvaluatePredictionsTest, AMissingPaperIsAnErrorNamingIt) {
  auto lines = prediction_lines();
  const auto missing = nlohmann::json::parse(lines[1])["id"].get<std::string>();
  lines.erase(lines.begin() + 1);
  write_lines("missing.jsonl", lines);
  auto run =
      arxivc({"evaluate", "--predictions", "missing.jsonl", "--input", "ds", "run.dir=runs/eval-missing"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("missing.jsonl: 1 of the " + std::to_string(ids_.size()) +
                         " papers of split 'test' have no prediction line (first: " + missing + ")"),
            std::string::npos)
      << run.err;
}

TEST_F(EvaluatePredictionsTest, ModelAndPredictionsExcludeEachOtherAndNeedADataset) {
  auto both = arxivc({"evaluate", "--model", "model", "--predictions", "predictions.jsonl", "--input", "ds"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  auto neither = arxivc({"evaluate", "--input", "ds", "run.dir=runs/eval-neither"});
  EXPECT_EQ(neither.exit_code, 2) << neither.err;
  auto raw = arxivc({"evaluate", "--predictions", "predictions.jsonl", "--input", "test-papers.jsonl",
                     "run.dir=runs/eval-raw"});
  EXPECT_EQ(raw.exit_code, 2) << raw.err;
  EXPECT_NE(raw.err.find("prepared dataset directory"), std::string::npos) << raw.err;
}

}  // namespace
}  // namespace arxivc::testing
