// run_prepare end to end on real arXiv metadata (the 5,000-paper sample) and on small hand-written files.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "arxivc/core/error.hpp"
#include "arxivc/dataset/dataset.hpp"
#include "arxivc/prepare/prepare.hpp"

namespace arxivc::prepare {
namespace {

std::filesystem::path data_dir() {
  if (const char* env = std::getenv("ARXIVC_DATA_DIR")) return env;
  return ARXIVC_SHARED_DATA_DEFAULT;
}

std::filesystem::path sample_file() { return data_dir() / "arxiv-metadata-5k.json"; }

class TempDir {
 public:
  TempDir() {
    const char* root = std::getenv("ARXIVC_TEST_TMP");
    static int counter = 0;
    path_ = std::filesystem::path(root != nullptr ? root : std::filesystem::temp_directory_path().string()) /
            ("prepare-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::map<std::string, std::string> directory_bytes(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes(std::filesystem::file_size(entry.path()), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    files[entry.path().filename().string()] = std::move(bytes);
  }
  return files;
}

std::uint64_t count(const nlohmann::json& manifest, const char* key) {
  return manifest.at("counts").at(key).get<std::uint64_t>();
}

// Every paper read is accounted for exactly once.
void expect_consistent_counts(const nlohmann::json& manifest) {
  const auto& counts = manifest.at("counts");
  const auto skipped = counts.at("skipped").at("total").get<std::uint64_t>();
  const auto dropped = counts.at("dropped").at("total").get<std::uint64_t>();
  EXPECT_EQ(count(manifest, "read"), skipped + count(manifest, "papers"));
  EXPECT_EQ(count(manifest, "papers"), count(manifest, "kept") + dropped + count(manifest, "duplicates"));
  std::uint64_t by_reason = 0;
  for (const auto& [reason, n] : counts.at("dropped").at("by_reason").items())
    by_reason += n.get<std::uint64_t>();
  EXPECT_EQ(by_reason, dropped);
  std::uint64_t in_splits = 0;
  for (const auto& split : manifest.at("splits")) in_splits += split.at("examples").get<std::uint64_t>();
  EXPECT_EQ(in_splits, count(manifest, "kept"));
}

// The label counts of the manifest are those of the split files.
void expect_manifest_matches_files(const std::filesystem::path& dir) {
  const auto dataset = dataset::Dataset::open(dir);
  const auto& manifest = dataset.manifest();
  ASSERT_EQ(dataset.split_names(), (std::vector<std::string>{"train", "validation", "test"}));
  for (const auto& entry : manifest.at("splits")) {
    const auto& split = dataset.split(entry.at("name").get<std::string>());
    std::vector<std::uint64_t> label_counts(dataset.labels().size(), 0);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < split.size(); ++i) {
      const auto example = split[i];
      ASSERT_FALSE(example.labels.empty());
      for (const auto label : example.labels) ++label_counts[label];
      ids.emplace(example.id);
      EXPECT_EQ(example.title.find("  "), std::string_view::npos);
      EXPECT_EQ(example.abstract.find('\n'), std::string_view::npos);
    }
    EXPECT_EQ(ids.size(), split.size());
    const auto& listed = entry.at("label_counts");
    ASSERT_EQ(listed.size(), dataset.labels().size());
    for (std::size_t l = 0; l < listed.size(); ++l) {
      EXPECT_EQ(listed[l].at("code").get<std::string>(), dataset.labels()[l]);
      EXPECT_EQ(listed[l].at("count").get<std::uint64_t>(), label_counts[l]) << dataset.labels()[l];
    }
  }
}

PrepareOptions sample_options(const std::filesystem::path& output) {
  PrepareOptions options;
  options.input = sample_file();
  options.output = output;
  options.config = {{"prepare", {{"note", "test"}}}};
  return options;
}

class PrepareEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(sample_file())) GTEST_SKIP() << "no " << sample_file();
  }
  TempDir tmp_;
};

TEST_F(PrepareEndToEnd, DefaultPreparationOfTheSample) {
  const auto output = tmp_.path() / "ds";
  const auto result = run_prepare(sample_options(output));
  EXPECT_EQ(result.dataset_dir, output);
  const auto& manifest = result.manifest;
  EXPECT_EQ(count(manifest, "read"), 5000u);
  EXPECT_GT(count(manifest, "kept"), 4900u);
  expect_consistent_counts(manifest);
  expect_manifest_matches_files(output);
  EXPECT_EQ(manifest.at("label_mode"), "all");
  EXPECT_EQ(manifest.at("source").at("format"), "jsonl");
  EXPECT_EQ(manifest.at("source").at("size"), std::filesystem::file_size(sample_file()));
  EXPECT_EQ(manifest.at("config").at("prepare").at("note"), "test");
  const auto dataset = dataset::Dataset::open(output);
  EXPECT_EQ(dataset.content_hash(), manifest.at("content_hash"));
  // 80/10/10 by category: train holds about 80%.
  const double train = static_cast<double>(dataset.split("train").size()) / count(manifest, "kept");
  EXPECT_NEAR(train, 0.8, 0.02);
  // The dataset directory holds exactly the three splits and the manifest (no staging leftovers beside it).
  EXPECT_EQ(directory_bytes(output).size(), 4u);
  for (const auto& entry : std::filesystem::directory_iterator(tmp_.path())) {
    EXPECT_EQ(entry.path().filename(), "ds");
  }
  const auto summary = format_summary(manifest);
  EXPECT_NE(summary.find("kept"), std::string::npos);
  EXPECT_NE(summary.find("train"), std::string::npos);
}

TEST_F(PrepareEndToEnd, TwoRunsGiveByteIdenticalDirectories) {
  const auto output = tmp_.path() / "ds";
  auto options = sample_options(output);
  options.latex = LatexMode::simplify;
  options.threads = 2;
  run_prepare(options);
  const auto first = directory_bytes(output);
  options.threads = 1;  // not part of the configuration recorded here, and it must not change the data
  run_prepare(options);
  EXPECT_EQ(directory_bytes(output), first);
}

TEST_F(PrepareEndToEnd, PrimaryLabelsTopNAndTemporalSplit) {
  const auto output = tmp_.path() / "ds";
  auto options = sample_options(output);
  options.label_mode = LabelMode::primary;
  options.top_n = 10;
  options.split = SplitMethod::temporal;
  options.temporal_cutoff = "2025-06";
  const auto manifest = run_prepare(options).manifest;
  expect_consistent_counts(manifest);
  expect_manifest_matches_files(output);
  EXPECT_LE(manifest.at("labels").size(), 10u);
  const auto dataset = dataset::Dataset::open(output);
  for (std::size_t i = 0; i < dataset.split("train").size(); ++i) {
    EXPECT_LT(dataset.split("train")[i].month, 202506u);
    EXPECT_EQ(dataset.split("train")[i].labels.size(), 1u);
  }
  for (const char* later : {"validation", "test"}) {
    for (std::size_t i = 0; i < dataset.split(later).size(); ++i)
      EXPECT_GE(dataset.split(later)[i].month, 202506u);
  }
  EXPECT_GT(dataset.split("validation").size(), 0u);
}

TEST_F(PrepareEndToEnd, ClearBoundariesWithArchiveLabelsAndSampling) {
  const auto output = tmp_.path() / "ds";
  auto options = sample_options(output);
  options.clear_boundaries = true;
  options.label_mode = LabelMode::archive;
  options.per_category_cap = 50;
  options.max_samples = 1000;
  const auto manifest = run_prepare(options).manifest;
  expect_consistent_counts(manifest);
  expect_manifest_matches_files(output);
  EXPECT_EQ(count(manifest, "kept"), 1000u);
  const auto& dropped = manifest.at("counts").at("dropped").at("by_reason");
  EXPECT_GT(dropped.at("no_clear_boundary").get<std::uint64_t>(), 0u);
  EXPECT_GT(dropped.at("per_category_cap").get<std::uint64_t>(), 0u);
  EXPECT_GT(dropped.at("max_samples").get<std::uint64_t>(), 0u);
  const auto dataset = dataset::Dataset::open(output);
  for (const auto& name : dataset.split_names()) {
    for (std::size_t i = 0; i < dataset.split(name).size(); ++i)
      EXPECT_EQ(dataset.split(name)[i].labels.size(), 1u);
  }
  for (const auto& label : manifest.at("labels"))
    EXPECT_EQ(label.at("code").get<std::string>().find('.'), std::string::npos);
}

TEST_F(PrepareEndToEnd, SelectionByArchive) {
  const auto output = tmp_.path() / "ds";
  auto options = sample_options(output);
  options.archives = {"cs"};
  const auto manifest = run_prepare(options).manifest;
  expect_consistent_counts(manifest);
  for (const auto& label : manifest.at("labels")) EXPECT_EQ(label.at("archive"), "cs");
  EXPECT_GT(manifest.at("counts").at("dropped").at("by_reason").at("not_selected").get<std::uint64_t>(), 0u);
}

// A hand-written file: duplicates, unknown codes, aliases, bad lines.
TEST(PrepareEndToEndSmall, DuplicatesUnknownCodesAndBadLines) {
  TempDir tmp;
  const auto input = tmp.path() / "papers.jsonl";
  {
    std::ofstream out(input);
    const auto line = [&](const std::string& id, const std::string& title, const std::string& categories,
                          const std::string& date) {
      out << R"({"id": ")" << id << R"(", "title": ")" << title << R"(", "abstract": "An  abstract\nof )"
          << id << R"(.", "categories": ")" << categories << R"(", "update_date": ")" << date << "\"}\n";
    };
    line("0704.0001", "Old title", "cs.LG", "2007-04-02");
    line("0704.0002", "Second", "math.IT foo.BAR", "2007-04-02");   // alias of cs.IT, plus an unknown code
    line("0704.0001", "New title", "cs.LG stat.ML", "2009-01-01");  // replaces the first line
    line("0704.0003", "Unknown only", "foo.BAR baz.QUX", "2007-04-03");
    out << "{ this is not json\n";
    line("0704.0004", "Fourth", "cs.LG", "2007-04-04");
    line("0704.0001", "Stale copy", "hep-th", "2008-01-01");  // older than the kept record
  }
  PrepareOptions options;
  options.input = input;
  options.output = tmp.path() / "ds";
  options.train_fraction = 1.0;
  options.validation_fraction = 0.0;
  options.test_fraction = 0.0;
  const auto manifest = run_prepare(options).manifest;
  expect_consistent_counts(manifest);
  EXPECT_EQ(count(manifest, "read"), 7u);
  EXPECT_EQ(manifest.at("counts").at("skipped").at("total"), 1u);
  EXPECT_EQ(count(manifest, "duplicates"), 2u);
  EXPECT_EQ(count(manifest, "kept"), 3u);
  EXPECT_EQ(manifest.at("counts").at("dropped").at("by_reason").at("unknown_category_only"), 1u);
  const auto& unknown = manifest.at("counts").at("unknown_categories");
  EXPECT_EQ(unknown.at("distinct_codes"), 2u);
  EXPECT_EQ(unknown.at("most_frequent")[0].at("code"), "foo.BAR");
  EXPECT_EQ(unknown.at("most_frequent")[0].at("papers"), 2u);
  EXPECT_EQ(manifest.at("empty_splits"), (nlohmann::json{"validation", "test"}));

  const auto dataset = dataset::Dataset::open(options.output);
  const auto& train = dataset.split("train");
  ASSERT_EQ(train.size(), 3u);
  EXPECT_EQ(train[0].id, "0704.0002");
  EXPECT_EQ(dataset.labels()[train[0].labels[0]], "cs.IT");
  EXPECT_EQ(train[0].abstract, "An abstract of 0704.0002.");
  EXPECT_EQ(train[0].month, 200704u);
  EXPECT_EQ(train[1].id, "0704.0001");
  EXPECT_EQ(train[1].title, "New title");
  EXPECT_EQ(train[1].labels.size(), 2u);
}

TEST(PrepareEndToEndSmall, InvalidOptionsAreConfigErrors) {
  PrepareOptions options;
  options.input = "x.json";
  options.output = "out";
  options.train_fraction = 0.9;
  EXPECT_THROW(run_prepare(options), ConfigError);
  options.train_fraction = 0.8;
  options.split = SplitMethod::temporal;
  EXPECT_THROW(run_prepare(options), ConfigError);  // no cutoff
  options.temporal_cutoff = "2025/06";
  EXPECT_THROW(run_prepare(options), ConfigError);
}

TEST(PrepareEndToEndSmall, MissingInputLeavesNoDataset) {
  TempDir tmp;
  PrepareOptions options;
  options.input = tmp.path() / "absent.jsonl";
  options.output = tmp.path() / "ds";
  EXPECT_THROW(run_prepare(options), Error);
  EXPECT_FALSE(std::filesystem::exists(options.output));
  EXPECT_TRUE(std::filesystem::is_empty(tmp.path()));
}

}  // namespace
}  // namespace arxivc::prepare
