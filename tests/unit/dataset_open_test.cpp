#include <gtest/gtest.h>

#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/dataset/dataset.hpp"
#include "dataset_test_support.hpp"

namespace arxivc::dataset {
namespace {

using testing::read_bytes;
using testing::TempDir;
using testing::write_bytes;

// A small dataset directory written by hand: two labels, a train and a test split.
nlohmann::json write_dataset(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const std::vector<ExampleRecord> train = {{"1", "t1", "a1", {0}, 202001},
                                            {"2", "t2", "a2", {1, 0}, 202002}};
  const std::vector<ExampleRecord> test = {{"3", "t3", "a3", {1}, 202003}};
  nlohmann::json manifest = {
      {"format_version", 1},
      {"label_mode", "all"},
      {"labels", {{{"code", "cs.LG"}, {"name", "Machine Learning"}}, {{"code", "hep-th"}, {"name", "HEP"}}}},
      {"splits",
       {{{"name", "train"},
         {"file", "train.bin"},
         {"sha256", write_split(dir / "train.bin", train)},
         {"examples", 2}},
        {{"name", "test"},
         {"file", "test.bin"},
         {"sha256", write_split(dir / "test.bin", test)},
         {"examples", 1}}}},
      {"content_hash", "abc"},
  };
  write_file_atomic(dir / "manifest.json", manifest.dump(2));
  return manifest;
}

std::string open_error(const std::filesystem::path& dir) {
  try {
    Dataset::open(dir);
    return "";
  } catch (const Error& e) {
    return e.what();
  }
}

TEST(DatasetOpen, OpensWhatTheManifestLists) {
  TempDir tmp("dataset-open");
  const auto dir = tmp.path() / "ds";
  write_dataset(dir);
  EXPECT_TRUE(is_dataset_dir(dir));
  const auto dataset = Dataset::open(dir);
  EXPECT_EQ(dataset.labels(), (std::vector<std::string>{"cs.LG", "hep-th"}));
  EXPECT_EQ(dataset.label_mode(), "all");
  EXPECT_EQ(dataset.content_hash(), "abc");
  EXPECT_EQ(dataset.split_names(), (std::vector<std::string>{"train", "test"}));
  EXPECT_TRUE(dataset.has_split("train"));
  EXPECT_FALSE(dataset.has_split("validation"));
  EXPECT_THROW(dataset.split("validation"), Error);
  const auto& train = dataset.split("train");
  ASSERT_EQ(train.size(), 2u);
  EXPECT_EQ(train[1].title, "t2");
  EXPECT_EQ(train[1].labels.size(), 2u);
  EXPECT_EQ(dataset.split("test")[0].id, "3");
}

TEST(DatasetOpen, DetectsAChangedSplitFile) {
  TempDir tmp("dataset-open");
  const auto dir = tmp.path() / "ds";
  write_dataset(dir);
  // Another valid split file in place of test.bin: it opens, but its hash is not the manifest's.
  write_split(dir / "test.bin", {{"3", "t3", "a3", {0}, 202003}});
  const auto error = open_error(dir);
  EXPECT_NE(error.find("test.bin"), std::string::npos) << error;
  EXPECT_NE(error.find("SHA-256"), std::string::npos) << error;
}

TEST(DatasetOpen, DetectsADamagedSplitFile) {
  TempDir tmp("dataset-open");
  const auto dir = tmp.path() / "ds";
  write_dataset(dir);
  auto bytes = read_bytes(dir / "train.bin");
  bytes[bytes.size() - 9] ^= 1;  // a byte of the text
  write_bytes(dir / "train.bin", bytes);
  EXPECT_NE(open_error(dir).find("train.bin"), std::string::npos);
  std::filesystem::remove(dir / "train.bin");
  EXPECT_NE(open_error(dir).find("train.bin"), std::string::npos);
}

TEST(DatasetOpen, ManifestProblems) {
  TempDir tmp("dataset-open");
  const auto dir = tmp.path() / "ds";
  auto manifest = write_dataset(dir);
  const auto with = [&](const nlohmann::json& changed) {
    write_file_atomic(dir / "manifest.json", changed.dump());
    return open_error(dir);
  };
  auto wrong_version = manifest;
  wrong_version["format_version"] = 9;
  EXPECT_NE(with(wrong_version).find("format version 9"), std::string::npos);
  auto no_labels = manifest;
  no_labels.erase("labels");
  EXPECT_NE(with(no_labels).find("'labels'"), std::string::npos);
  auto escaping = manifest;
  escaping["splits"][0]["file"] = "../train.bin";
  EXPECT_NE(with(escaping).find("../train.bin"), std::string::npos);
  auto miscounted = manifest;
  miscounted["splits"][0]["examples"] = 3;
  EXPECT_NE(with(miscounted).find("the manifest says 3"), std::string::npos);
  auto one_label = manifest;  // label ids 1 now out of range
  one_label["labels"].erase(1);
  EXPECT_NE(with(one_label).find("out of range"), std::string::npos);
  write_file_atomic(dir / "manifest.json", "{ not json");
  EXPECT_NE(open_error(dir).find("not valid JSON"), std::string::npos);
  std::filesystem::remove(dir / "manifest.json");
  EXPECT_FALSE(is_dataset_dir(dir));
  EXPECT_NE(open_error(dir).find("no manifest.json"), std::string::npos);
  EXPECT_NE(open_error(tmp.path() / "absent").find("no such dataset directory"), std::string::npos);
}

}  // namespace
}  // namespace arxivc::dataset
