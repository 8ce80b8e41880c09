#include "arxivc/app/prediction_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/core/error.hpp"
#include "dataset_test_support.hpp"

namespace arxivc::app {
namespace {

using dataset::testing::TempDir;

const std::vector<std::string> kCodes = {"cs.LG", "math.ST", "hep-th"};
const std::vector<std::string_view> kIds = {"p1", "p2", "p3"};

class PredictionFileTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) {
    const auto file = dir_.path() / "predictions.jsonl";
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  PredictionFileContents read(const std::string& text, bool archive_mode = false) {
    return read_prediction_file(write(text), kIds, kCodes, archive_mode, "test");
  }
  // The message of the error reading `text` throws (fails the test when it does not throw).
  std::string error_of(const std::string& text) {
    try {
      read(text);
    } catch (const InputError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error for:\n" << text;
    return "";
  }

  TempDir dir_{"prediction-file"};
};

const std::string kValid =
    R"({"id": "p2", "predicted": ["math.ST"], "top": [["math.ST", 0.9], ["cs.LG", 0.2]]})"
    "\n"
    R"({"id": "p1", "predicted": ["cs.LG", "math.ST"], "top": [["cs.LG", 0.8], ["math.ST", 0.6], ["hep-th", 0.1]]})"
    "\n\n"
    R"({"id": "p3", "predicted": ["hep-th"], "top": [["hep-th", 0.7]]})"
    "\n";

TEST_F(PredictionFileTest, AlignsLinesToThePapersById) {
  const auto contents = read(kValid);
  EXPECT_EQ(contents.lines, 3u);
  EXPECT_EQ(contents.codes, kCodes);
  EXPECT_EQ(contents.known_labels, 3u);
  EXPECT_EQ(contents.unknown_code_entries, 0u);
  const std::vector<float> expected = {0.8F, 0.6F, 0.1F,  //
                                       0.2F, 0.9F, 0.0F,  //
                                       0.0F, 0.0F, 0.7F};
  EXPECT_EQ(contents.probabilities, expected);
  const std::vector<eval::GoldLabels> predicted = {{0, 1}, {1}, {2}};
  EXPECT_EQ(contents.predicted, predicted);
}

TEST_F(PredictionFileTest, AliasesMapToCanonicalCodesAndUnknownCodesGetTheirOwnLabels) {
  // math.MP is an alias of math-ph, which is not in the label space; cs.XX is no code at all; math.IT is an
  // alias of cs.IT, also outside. Each gets a label after the known ones: it can only be a miss.
  const auto contents =
      read(R"({"id": "p1", "predicted": ["cs.XX"], "top": [["cs.XX", 0.9], ["cs.LG", 0.5]]})"
           "\n"
           R"({"id": "p2", "predicted": ["math.MP"], "top": [["math.MP", 0.5]]})"
           "\n"
           R"({"id": "p3", "predicted": ["cs.XX"], "top": [["cs.XX", 0.5]]})"
           "\n");
  ASSERT_EQ(contents.codes.size(), 5u);
  EXPECT_EQ(contents.known_labels, 3u);
  EXPECT_EQ(contents.codes[3], "cs.XX");
  EXPECT_EQ(contents.codes[4], "math-ph");
  EXPECT_EQ(contents.unknown_code_entries, 6u);
  EXPECT_EQ(contents.predicted[0], eval::GoldLabels({3}));
  EXPECT_EQ(contents.predicted[1], eval::GoldLabels({4}));
  EXPECT_FLOAT_EQ(contents.probabilities[0 * 5 + 3], 0.9F);
  EXPECT_FLOAT_EQ(contents.probabilities[0 * 5 + 0], 0.5F);
}

TEST_F(PredictionFileTest, ArchiveModeMapsCategoriesToTheirArchive) {
  const std::vector<std::string> archives = {"cs", "math"};
  const auto contents =
      read_prediction_file(write(R"({"id": "p1", "predicted": ["math.ST"], "top": [["math.ST", 1]]})"
                                 "\n"),
                           std::vector<std::string_view>{"p1"}, archives, true, "test");
  EXPECT_EQ(contents.predicted[0], eval::GoldLabels({1}));
  EXPECT_EQ(contents.unknown_code_entries, 0u);
}

TEST_F(PredictionFileTest, TiesKeepTheFilesOrder) {
  // hep-th is listed first with the same probability as cs.LG: it must stay ranked first, so its stored
  // probability is the higher one.
  const auto contents = read(
      R"({"id": "p1", "predicted": ["hep-th"], "top": [["hep-th", 0.5], ["cs.LG", 0.5], ["math.ST", 0.5]]})"
      "\n"
      R"({"id": "p2", "predicted": ["math.ST"], "top": [["math.ST", 0.9]]})"
      "\n"
      R"({"id": "p3", "predicted": ["hep-th"], "top": [["hep-th", 0.7]]})"
      "\n");
  EXPECT_FLOAT_EQ(contents.probabilities[2], 0.5F);
  EXPECT_GT(contents.probabilities[2], contents.probabilities[0]);
  EXPECT_GT(contents.probabilities[0], contents.probabilities[1]);
}

TEST_F(PredictionFileTest, ABadLineIsNamedWithFileLineAndField) {
  const std::string p1 = R"({"id": "p1", "predicted": ["cs.LG"], "top": [["cs.LG", 0.8]]})"
                         "\n";
  const std::string p3 = R"({"id": "p3", "predicted": ["hep-th"], "top": [["hep-th", 0.7]]})"
                         "\n";
  auto expect_error = [&](const std::string& bad_line, const std::string& expected) {
    const auto message = error_of(p1 + bad_line + "\n" + p3);
    EXPECT_NE(message.find("predictions.jsonl:2: "), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << message;
  };
  expect_error(R"({"id": "p2", "predicted": ["math.ST"], "top": [["math.ST", 0.9])", "not valid JSON");
  expect_error(R"(["p2"])", "expected a JSON object");
  expect_error(R"({"predicted": [], "top": [["math.ST", 0.9]]})", "field \"id\": missing");
  expect_error(R"({"id": 2, "predicted": [], "top": [["math.ST", 0.9]]})", "field \"id\": expected a string");
  expect_error(R"({"id": "p2", "predicted": ["math.ST"]})", "field \"top\": missing");
  expect_error(R"({"id": "p2", "predicted": ["math.ST"], "top": []})", "field \"top\": expected a non-empty");
  expect_error(R"({"id": "p2", "predicted": ["math.ST"], "top": [["math.ST"]]})", "field \"top\"[0]");
  expect_error(R"({"id": "p2", "predicted": ["math.ST"], "top": [["math.ST", 1.5]]})", "outside [0, 1]");
  expect_error(R"({"id": "p2", "predicted": ["math.ST"], "top": [["math.ST", 0.2], ["cs.LG", 0.3]]})",
               "field \"top\"[1]: probability 0.3 is higher");
  expect_error(R"({"id": "p2", "predicted": ["math.ST"], "top": [["math.ST", 0.3], ["math.ST", 0.2]]})",
               "listed twice");
  expect_error(R"({"id": "p2", "top": [["math.ST", 0.3]]})", "field \"predicted\": missing");
  expect_error(R"({"id": "p2", "predicted": [3], "top": [["math.ST", 0.3]]})", "field \"predicted\"[0]");
  expect_error(R"({"id": "p2", "predicted": ["math.ST", "math.ST"], "top": [["math.ST", 0.3]]})",
               "field \"predicted\"[1]: category \"math.ST\" is listed twice");
  expect_error(R"({"line": 7, "error": "invalid JSON"})", "field \"error\"");
  expect_error(R"({"id": "p9", "predicted": ["math.ST"], "top": [["math.ST", 0.3]]})",
               "field \"id\": paper 'p9' is not in split 'test'");
  expect_error(p1, "paper 'p1' was already predicted on line 1");
}

TEST_F(PredictionFileTest, PapersWithoutAPredictionLineAreAnError) {
  const auto message = error_of(R"({"id": "p2", "predicted": ["math.ST"], "top": [["math.ST", 0.9]]})"
                                "\n");
  EXPECT_NE(
      message.find("predictions.jsonl: 2 of the 3 papers of split 'test' have no prediction line (first: p1, "
                   "p3)"),
      std::string::npos)
      << message;
}

TEST_F(PredictionFileTest, AMissingFileIsNamed) {
  try {
    read_prediction_file(dir_.path() / "absent.jsonl", kIds, kCodes, false, "test");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("absent.jsonl"), std::string::npos);
  }
}

}  // namespace
}  // namespace arxivc::app
