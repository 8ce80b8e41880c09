#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "arxivc/core/error.hpp"
#include "arxivc/core/sha256.hpp"
#include "arxivc/dataset/dataset.hpp"
#include "dataset_test_support.hpp"

namespace arxivc::dataset {
namespace {

using testing::read_bytes;
using testing::TempDir;
using testing::write_bytes;

std::vector<ExampleRecord> records() {
  return {
      {"0704.0001",
       "Calculation of prompt diphoton production",
       "A fully differential calculation.",
       {0, 2},
       200704},
      {"hep-th/9110025", "On strings", "", {1}, 199110},
      {"2601.05286", "Sch\u00f6n", "Abstract with \u00e9 and \u03b1.", {}, 202601},
      {"x", "", "no title", {2, 1, 0}, 0},
  };
}

void expect_equal(const Example& example, const ExampleRecord& record) {
  EXPECT_EQ(example.id, record.id);
  EXPECT_EQ(example.title, record.title);
  EXPECT_EQ(example.abstract, record.abstract);
  EXPECT_EQ(std::vector<std::uint32_t>(example.labels.begin(), example.labels.end()), record.labels);
  EXPECT_EQ(example.month, record.month);
}

// The error of opening `bytes` as a split file, or "" when it opens.
std::string open_error(const std::filesystem::path& file, const std::string& bytes,
                       std::size_t label_count = 3) {
  write_bytes(file, bytes);
  try {
    Split::open(file, "train", label_count);
    return "";
  } catch (const Error& e) {
    return e.what();
  }
}

template <typename T>
void poke(std::string& bytes, std::size_t at, T value) {
  std::memcpy(bytes.data() + at, &value, sizeof value);
}

TEST(DatasetSplit, RoundTrip) {
  TempDir dir("dataset-split");
  const auto file = dir.path() / "train.bin";
  const auto hash = write_split(file, records());
  EXPECT_EQ(hash, sha256_file(file));
  EXPECT_EQ(std::filesystem::file_size(file) % 8, 0u);
  const auto split = Split::open(file, "train", 3);
  EXPECT_EQ(split->name(), "train");
  ASSERT_EQ(split->size(), records().size());
  for (std::size_t i = 0; i < split->size(); ++i) expect_equal((*split)[i], records()[i]);
  EXPECT_THROW((*split)[4], Error);
  EXPECT_EQ(sha256_hex(split->bytes()), hash);
}

TEST(DatasetSplit, WritingIsDeterministic) {
  TempDir dir("dataset-split");
  const auto a = write_split(dir.path() / "a.bin", records());
  const auto b = write_split(dir.path() / "b.bin", records());
  EXPECT_EQ(a, b);
  EXPECT_EQ(read_bytes(dir.path() / "a.bin"), read_bytes(dir.path() / "b.bin"));
  auto changed = records();
  changed[1].labels = {2};
  EXPECT_NE(write_split(dir.path() / "c.bin", changed), a);
}

TEST(DatasetSplit, EmptySplit) {
  TempDir dir("dataset-split");
  const auto file = dir.path() / "test.bin";
  write_split(file, {});
  const auto split = Split::open(file, "test", 0);
  EXPECT_EQ(split->size(), 0u);
}

TEST(DatasetSplit, DamagedFilesAreErrorsNamingFileAndProblem) {
  TempDir dir("dataset-split");
  const auto file = dir.path() / "train.bin";
  write_split(file, records());
  const auto good = read_bytes(file);
  const auto expect_error = [&](const std::string& bytes, const std::string& problem,
                                std::size_t labels = 3) {
    const auto error = open_error(file, bytes, labels);
    EXPECT_NE(error.find(file.string()), std::string::npos) << error;
    EXPECT_NE(error.find(problem), std::string::npos) << error;
  };
  EXPECT_EQ(open_error(file, good), "");

  auto bad_magic = good;
  bad_magic[0] = 'X';
  expect_error(bad_magic, "bad magic");

  auto wrong_version = good;
  poke<std::uint32_t>(wrong_version, 8, 2);
  expect_error(wrong_version, "format version 2");

  expect_error(good.substr(0, good.size() - 8), "truncated");
  expect_error(good.substr(0, 40), "truncated");
  expect_error("", "truncated");

  expect_error(good, "label id 2 out of range", 2);

  auto huge_count = good;
  poke<std::uint64_t>(huge_count, 16, std::uint64_t{1} << 62);
  expect_error(huge_count, "do not match");

  // The second text offset (end of the first id) moved past the third: offsets go backwards.
  auto backwards = good;
  std::uint64_t text_offsets_at = 0;
  std::memcpy(&text_offsets_at, good.data() + 40, 8);
  poke<std::uint64_t>(backwards, text_offsets_at + 8, 1000);
  expect_error(backwards, "goes backwards");
}

TEST(DatasetSplit, MissingFileIsAnError) {
  TempDir dir("dataset-split");
  EXPECT_THROW(Split::open(dir.path() / "absent.bin", "train", 1), Error);
  EXPECT_THROW(Split::open(dir.path(), "train", 1), Error);  // a directory
}

// Flipped bytes and truncations anywhere: either a clean error or a split whose every example can be read.
TEST(DatasetSplit, FuzzedFilesNeverCrash) {
  TempDir dir("dataset-split");
  const auto file = dir.path() / "train.bin";
  write_split(file, records());
  const auto good = read_bytes(file);
  std::mt19937_64 rng(3);
  for (int round = 0; round < 300; ++round) {
    auto bytes = good;
    if (round % 3 == 0) {
      bytes.resize(rng() % bytes.size());
    } else {
      for (int flips = 1 + static_cast<int>(rng() % 4); flips > 0; --flips) {
        bytes[rng() % bytes.size()] = static_cast<char>(rng());
      }
    }
    write_bytes(file, bytes);
    try {
      const auto split = Split::open(file, "train", 3);
      for (std::size_t i = 0; i < split->size(); ++i) {
        const auto example = (*split)[i];
        for (const auto label : example.labels) ASSERT_LT(label, 3u);
        ASSERT_LE(example.id.size() + example.title.size() + example.abstract.size(), bytes.size());
      }
    } catch (const Error&) {
    }
  }
}

}  // namespace
}  // namespace arxivc::dataset
