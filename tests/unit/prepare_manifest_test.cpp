#include <gtest/gtest.h>

#include "arxivc/core/version.hpp"
#include "arxivc/prepare/manifest.hpp"

namespace arxivc::prepare {
namespace {

ManifestContent content() {
  ManifestContent c;
  c.config = {{"prepare", {{"input", "a.jsonl"}}}};
  c.source = "a.jsonl";
  c.read.lines = 12;
  c.read.skipped = 2;
  c.read.skipped_by_reason = {{ingest::SkipReason::invalid_json, 2}};
  c.read.first_skipped = {{3, ingest::SkipReason::invalid_json, "unexpected character"},
                          {9, ingest::SkipReason::invalid_json, "truncated"}};
  c.read.source_size = 1234;
  c.read.source_sha256 = "feed";
  c.read.format = "jsonl";
  c.papers = 10;
  c.duplicates = 1;
  c.dropped[static_cast<std::size_t>(DropReason::not_selected)] = 2;
  c.kept = 7;
  c.unknown_categories = {{"foo.BAR", 1}, {"baz", 3}};
  c.papers_with_unknown = 3;
  c.label_mode = LabelMode::all;
  c.labels = {{"cs.LG", "Machine Learning", "cs", "Computer Science"},
              {"hep-th", "High Energy Physics - Theory", "hep-th", "Physics"}};
  c.splits = {{"train", "train.bin", "aa", 100, 5, {4, 2}, {{"cs.LG", {"Machine Learning", 3}}}},
              {"validation", "validation.bin", "bb", 100, 2, {1, 1}, {}},
              {"test", "test.bin", "cc", 96, 0, {0, 0}, {}}};
  return c;
}

TEST(PrepareManifest, Contents) {
  const auto manifest = build_manifest(content());
  EXPECT_EQ(manifest.at("format_version"), kDatasetFormatVersion);
  EXPECT_EQ(manifest.at("created_by"), "arxivc " + std::string(version()));
  EXPECT_EQ(manifest.at("source").at("sha256"), "feed");
  const auto& counts = manifest.at("counts");
  EXPECT_EQ(counts.at("read"), 12);
  EXPECT_EQ(counts.at("skipped").at("by_reason").at("invalid_json"), 2);
  EXPECT_EQ(counts.at("skipped").at("first")[1].at("line"), 9);
  EXPECT_EQ(counts.at("dropped").at("total"), 2);
  EXPECT_EQ(counts.at("dropped").at("by_reason"), (nlohmann::json{{"not_selected", 2}}));
  EXPECT_EQ(counts.at("unknown_categories").at("most_frequent")[0].at("code"), "baz");
  EXPECT_EQ(manifest.at("labels")[1].at("group"), "Physics");
  EXPECT_EQ(manifest.at("splits")[0].at("label_counts")[0],
            (nlohmann::json{{"code", "cs.LG"}, {"name", "Machine Learning"}, {"count", 4}}));
  EXPECT_EQ(manifest.at("empty_splits"), nlohmann::json{"test"});
  EXPECT_EQ(manifest.at("content_hash"), content_hash(manifest));
  EXPECT_EQ(manifest_text(manifest), manifest_text(build_manifest(content())));
  EXPECT_EQ(manifest_text(manifest).back(), '\n');
}

TEST(PrepareManifest, ArchiveLabelsHaveNoArchiveField) {
  auto c = content();
  c.label_mode = LabelMode::archive;
  c.labels = {{"cs", "Computer Science", "cs", "Computer Science"}};
  c.splits = {{"train", "train.bin", "aa", 100, 1, {1}, {}}};
  const auto manifest = build_manifest(c);
  EXPECT_EQ(manifest.at("labels")[0],
            (nlohmann::json{{"code", "cs"}, {"name", "Computer Science"}, {"group", "Computer Science"}}));
}

TEST(PrepareManifest, ContentHashIgnoresWhereAndHowButNotWhat) {
  const auto base = build_manifest(content()).at("content_hash");
  auto moved = content();
  moved.source = "/elsewhere/a.jsonl";
  moved.config = {{"prepare", {{"threads", 8}}}};
  moved.read.first_skipped.clear();
  EXPECT_EQ(build_manifest(moved).at("content_hash"), base);
  auto relabelled = content();
  relabelled.labels[1].code = "hep-ph";
  EXPECT_NE(build_manifest(relabelled).at("content_hash"), base);
  auto rewritten = content();
  rewritten.splits[2].sha256 = "cd";
  EXPECT_NE(build_manifest(rewritten).at("content_hash"), base);
  auto primary = content();
  primary.label_mode = LabelMode::primary;
  EXPECT_NE(build_manifest(primary).at("content_hash"), base);
}

TEST(PrepareManifest, Summary) {
  const auto summary = format_summary(build_manifest(content()));
  EXPECT_NE(summary.find("12 lines, 10 papers"), std::string::npos) << summary;
  EXPECT_NE(summary.find("invalid_json 2"), std::string::npos) << summary;
  EXPECT_NE(summary.find("line 3: invalid_json unexpected character"), std::string::npos) << summary;
  EXPECT_NE(summary.find("not_selected 2"), std::string::npos) << summary;
  EXPECT_NE(summary.find("train 5, validation 2, test 0"), std::string::npos) << summary;
  EXPECT_NE(summary.find("warning: split test is empty"), std::string::npos) << summary;
  // cs.LG (5 examples) before hep-th (3).
  const auto lg = summary.find("cs.LG");
  const auto th = summary.find("hep-th");
  ASSERT_NE(lg, std::string::npos);
  ASSERT_NE(th, std::string::npos);
  EXPECT_LT(lg, th);
  EXPECT_NE(summary.find("Machine Learning"), std::string::npos);
}

}  // namespace
}  // namespace arxivc::prepare
