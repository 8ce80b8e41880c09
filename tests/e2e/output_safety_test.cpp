// Issue 8's findings, through the real binary: no command destroys data it was not asked to replace,
// --resume refuses another run's checkpoints, secrets never reach a file, and command-line values are
// range-checked like overrides.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "run_process.hpp"

namespace arxivc::testing {
namespace {

class OutputSafetyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(fresh_test_dir("output-safety"));
    // Small (1,000 papers, one epoch): every test of the suite runs this set-up in its own process.
    auto prepared =
        arxivc({"prepare", "--output", "ds", "prepare.sampling.max_samples=1000", "run.dir=runs/prepare"});
    ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
    auto trained =
        arxivc({"train", "--input", "ds", "--output", "model", "--epochs", "1", "run.dir=runs/train"});
    ASSERT_EQ(trained.exit_code, 0) << trained.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  static ProcessResult arxivc(const std::vector<std::string>& args,
                              const std::vector<std::string>& env = {}) {
    std::vector<std::string> environment = {"ARXIVC_DATA_DIR=" + shared_data_dir().string(),
                                            "ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()};
    environment.insert(environment.end(), env.begin(), env.end());
    return run_process(ARXIVC_BINARY, args, *dir_, environment);
  }
  static std::filesystem::path path(const std::string& relative) { return *dir_ / relative; }
  static void write(const std::string& relative, const std::string& text) {
    std::filesystem::create_directories(path(relative).parent_path());
    std::ofstream(path(relative), std::ios::binary) << text;
  }
  static std::string sample() { return (shared_data_dir() / "arxiv-metadata-5k.json").string(); }

  static std::filesystem::path* dir_;
};

std::filesystem::path* OutputSafetyTest::dir_ = nullptr;

TEST_F(OutputSafetyTest, PrepareRefusesADirectoryOfOtherFiles) {
  write("notes/keep.txt", "mine");
  auto run = arxivc({"prepare", "--output", "notes", "run.dir=runs/p1"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("keep.txt"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--force"), std::string::npos) << run.err;
  EXPECT_EQ(read_all(path("notes/keep.txt")), "mine");

  auto forced = arxivc({"prepare", "--output", "notes", "--force", "run.dir=runs/p2"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_TRUE(std::filesystem::exists(path("notes/manifest.json")));
}

TEST_F(OutputSafetyTest, PrepareRefusesAFileAndReplacesAnEarlierDataset) {
  write("single.txt", "mine");
  auto run = arxivc({"prepare", "--output", "single.txt", "--force", "run.dir=runs/p3"});
  EXPECT_EQ(run.exit_code, 2) << run.err;  // a file where a directory goes: even --force refuses
  EXPECT_EQ(read_all(path("single.txt")), "mine");

  auto again = arxivc({"prepare", "--output", "ds", "run.dir=runs/p4"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

TEST_F(OutputSafetyTest, PrepareNeverDeletesItsInput) {
  // The finding: `prepare --input x/data.json --output x` deleted x/data.json.
  std::filesystem::create_directories(path("x"));
  std::filesystem::copy_file(sample(), path("x/data.json"));
  const auto before = read_all(path("x/data.json"));
  for (const auto& output : {"x", "x/data.json", "."}) {
    auto run =
        arxivc({"prepare", "--input", "x/data.json", "--output", output, "--force", "run.dir=runs/p5"});
    EXPECT_EQ(run.exit_code, 2) << output << ": " << run.err;
    EXPECT_NE(run.err.find("input"), std::string::npos) << run.err;
  }
  EXPECT_EQ(read_all(path("x/data.json")), before);
}

TEST_F(OutputSafetyTest, TrainRefusesItsDatasetAndOtherDirectories) {
  auto into_dataset =
      arxivc({"train", "--input", "ds", "--output", "ds/model", "--epochs", "1", "run.dir=runs/t1"});
  EXPECT_EQ(into_dataset.exit_code, 2) << into_dataset.err;
  EXPECT_NE(into_dataset.err.find("inside the input"), std::string::npos) << into_dataset.err;
  EXPECT_FALSE(std::filesystem::exists(path("ds/model")));

  write("work/report.txt", "mine");
  auto over_other =
      arxivc({"train", "--input", "ds", "--output", "work", "--epochs", "1", "run.dir=runs/t2"});
  EXPECT_EQ(over_other.exit_code, 2) << over_other.err;
  EXPECT_NE(over_other.err.find("not a model directory"), std::string::npos) << over_other.err;
  EXPECT_EQ(read_all(path("work/report.txt")), "mine");

  // --force replaces it as one step; it never overrides the input check.
  auto forced =
      arxivc({"train", "--input", "ds", "--output", "work", "--epochs", "1", "--force", "run.dir=runs/t3"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_TRUE(std::filesystem::exists(path("work/model.bin")));
  EXPECT_FALSE(std::filesystem::exists(path("work/report.txt")));
  auto forced_into_input =
      arxivc({"train", "--input", "ds", "--output", "ds", "--epochs", "1", "--force", "run.dir=runs/t4"});
  EXPECT_EQ(forced_into_input.exit_code, 2) << forced_into_input.err;
  EXPECT_TRUE(std::filesystem::exists(path("ds/manifest.json")));
}

TEST_F(OutputSafetyTest, ResumeRefusesAnotherExperimentOrDataset) {
  auto other_experiment = arxivc({"train", "--input", "ds", "--output", "model", "--epochs", "3", "--resume",
                                  "--experiment", "fasttext", "run.dir=runs/r1"});
  EXPECT_EQ(other_experiment.exit_code, 2) << other_experiment.err;
  EXPECT_NE(other_experiment.err.find("experiment is 'tfidf_linear', this run's is 'fasttext'"),
            std::string::npos)
      << other_experiment.err;

  auto other =
      arxivc({"prepare", "--output", "ds-other", "prepare.selection.archives=[math]", "run.dir=runs/r2"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  auto other_dataset = arxivc(
      {"train", "--input", "ds-other", "--output", "model", "--epochs", "3", "--resume", "run.dir=runs/r3"});
  EXPECT_EQ(other_dataset.exit_code, 2) << other_dataset.err;
  EXPECT_NE(other_dataset.err.find("dataset"), std::string::npos) << other_dataset.err;
  // The model is untouched by the refused runs.
  auto predicted = arxivc({"predict", "--model", "model", "--input", sample(), "--output", "p.jsonl"});
  EXPECT_EQ(predicted.exit_code, 0) << predicted.err;
}

TEST_F(OutputSafetyTest, ASingleLabelDatasetIsRefusedForTraining) {
  auto prepared =
      arxivc({"prepare", "--output", "ds-one", "prepare.selection.categories=[math.AP]",
              "prepare.selection.min_papers=1", "prepare.labels.mode=primary", "run.dir=runs/s1"});
  ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
  auto run = arxivc({"train", "--input", "ds-one", "--output", "model-one", "run.dir=runs/s2"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("1 label (math.AP)"), std::string::npos) << run.err;
}

TEST_F(OutputSafetyTest, PredictAndExportNeverReplaceTheirInput) {
  std::filesystem::copy_file(sample(), path("papers.json"),
                             std::filesystem::copy_options::overwrite_existing);
  const auto before = read_all(path("papers.json"));
  auto predict =
      arxivc({"predict", "--model", "model", "--input", "papers.json", "--output", "papers.json", "--force"});
  EXPECT_EQ(predict.exit_code, 2) << predict.err;
  EXPECT_EQ(read_all(path("papers.json")), before);

  auto into_model =
      arxivc({"predict", "--model", "model", "--input", "papers.json", "--output", "model/p.jsonl"});
  EXPECT_EQ(into_model.exit_code, 2) << into_model.err;

  write("mine.jsonl", "{\"not\": \"a prediction\"}\n");
  auto over_other =
      arxivc({"predict", "--model", "model", "--input", "papers.json", "--output", "mine.jsonl"});
  EXPECT_EQ(over_other.exit_code, 2) << over_other.err;
  EXPECT_NE(over_other.err.find("--force"), std::string::npos) << over_other.err;
  auto first = arxivc({"predict", "--model", "model", "--input", "papers.json", "--output", "out.jsonl"});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  auto again = arxivc({"predict", "--model", "model", "--input", "papers.json", "--output", "out.jsonl"});
  EXPECT_EQ(again.exit_code, 0) << again.err;

  auto export_into = arxivc({"export", "--input", "ds", "--output", "ds/train.jsonl"});
  EXPECT_EQ(export_into.exit_code, 2) << export_into.err;
  auto export_over = arxivc({"export", "--input", "ds", "--output", "papers.json"});
  EXPECT_EQ(export_over.exit_code, 2) << export_over.err;
  EXPECT_EQ(read_all(path("papers.json")), before);
  auto export_bad = arxivc({"export", "--input", "ds", "--max-samples", "-5"});
  EXPECT_EQ(export_bad.exit_code, 2) << export_bad.err;
}

TEST_F(OutputSafetyTest, AHugeFileWithoutLinesIsNotTakenForAnEarlierOutput) {
  // Only the first MB is looked at: a multi-GB file without a newline is neither read whole nor replaced.
  write("blob.bin", std::string(3 << 20, 'x'));
  auto run = arxivc({"predict", "--model", "model", "--input", sample(), "--output", "blob.bin"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("a file of 3145728 bytes"), std::string::npos) << run.err;
  EXPECT_EQ(std::filesystem::file_size(path("blob.bin")), 3u << 20);
}

TEST_F(OutputSafetyTest, CommandLineValuesAreRangeChecked) {
  const std::vector<std::vector<std::string>> refused = {
      {"train", "--input", "ds", "--output", "m0", "--epochs", "0"},
      {"train", "--input", "ds", "--output", "m0", "--max-samples", "-5"},
      {"train", "--input", "ds", "--output", "m0", "training.threads=-1"},
      {"prepare", "--output", "d0", "--threads", "-1"},
      {"predict", "--model", "model", "--input", "papers.json", "--top-k", "0"},
  };
  for (const auto& args : refused) {
    auto run = arxivc(args);
    EXPECT_EQ(run.exit_code, 2) << args[1] << " ... " << args.back() << ": " << run.err;
    EXPECT_NE(run.err.find("out of range"), std::string::npos) << run.err;
  }
  auto top_k = arxivc({"predict", "--model", "model", "--input", "papers.json", "--top-k", "0"});
  EXPECT_NE(top_k.err.find("must be at least 1"), std::string::npos) << top_k.err;
  EXPECT_FALSE(std::filesystem::exists(path("m0")));
}

TEST_F(OutputSafetyTest, AFailedWriteToStandardOutputIsAFailure) {
  auto run = run_process("/bin/sh", {"-c", std::string(ARXIVC_BINARY) + " config > /dev/full"}, *dir_,
                         {"ARXIVC_CONFIG_DIR=" + (source_dir() / "configs").string()});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("cannot write standard output"), std::string::npos) << run.err;
}

TEST_F(OutputSafetyTest, TheApiKeyReachesNoFile) {
  const std::string key = "k3y-that-must-not-leak-0123456789";
  const std::vector<std::string> env = {"ARXIVC_API_KEY=" + key};
  auto prepared = arxivc({"prepare", "--output", "ds-secret", "prepare.sampling.max_samples=1000",
                          "run.dir=runs/secret-prepare"},
                         env);
  ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
  auto trained = arxivc({"train", "--input", "ds-secret", "--output", "model-secret", "--epochs", "1",
                         "serve.api_key=" + key, "run.dir=runs/secret-train"},
                        env);
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  auto shown = arxivc({"config"}, env);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.out.find(key), std::string::npos);
  EXPECT_NE(shown.out.find("api_key: \"***\""), std::string::npos) << shown.out;
  for (const auto* output : {&prepared, &trained}) {
    EXPECT_EQ(output->out.find(key), std::string::npos);
    EXPECT_EQ(output->err.find(key), std::string::npos);
  }
  std::size_t files = 0;
  for (const auto* root : {"ds-secret", "model-secret", "runs/secret-prepare", "runs/secret-train"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path(root))) {
      if (!entry.is_regular_file()) continue;
      ++files;
      EXPECT_EQ(read_all(entry.path()).find(key), std::string::npos) << entry.path();
    }
  }
  EXPECT_GT(files, 10u);
  EXPECT_NE(read_all(path("model-secret/config.yaml")).find("api_key: \"***\""), std::string::npos);
}

}  // namespace
}  // namespace arxivc::testing
