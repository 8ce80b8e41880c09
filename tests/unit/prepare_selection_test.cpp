#include <gtest/gtest.h>

#include "arxivc/core/error.hpp"
#include "arxivc/prepare/selection.hpp"
#include "prepare_test_support.hpp"

namespace arxivc::prepare {
namespace {

using testing::codes_of;
using testing::id_of;
using testing::paper;
using testing::test_index;

using Codes = std::vector<std::string>;

std::vector<PaperRecord> sample_papers() {
  std::vector<PaperRecord> papers;
  papers.push_back(paper("p0", {"cs.LG", "stat.ML"}));
  papers.push_back(paper("p1", {"cs.LG"}));
  papers.push_back(paper("p2", {"cs.CL", "cs.LG"}));
  papers.push_back(paper("p3", {"math.ST", "stat.ML"}));
  papers.push_back(paper("p4", {"hep-th", "hep-ph"}));
  papers.push_back(paper("p5", {"hep-th"}));
  papers.push_back(paper("p6", {"stat.ML", "cs.LG", "math.ST"}));
  papers.push_back(paper("p7", {"cs.AI"}));
  return papers;
}

SelectionReport run(std::vector<PaperRecord>& papers, const SelectionOptions& options) {
  return CategorySelector(test_index(), options).select(papers);
}

TEST(PrepareCategoryIndex, ResolvesAliasesLegacyCodesAndUnknowns) {
  const auto& index = test_index();
  EXPECT_EQ(index.resolve("stat.TH"), id_of("math.ST"));
  EXPECT_EQ(index.resolve("cmp-lg"), id_of("cs.CL"));
  EXPECT_FALSE(index.resolve("cs.XX").has_value());
  const auto resolved = index.resolve_list("  cmp-lg cs.CL\tfoo.BAR stat.TH foo.BAR math.ST ");
  EXPECT_EQ(resolved.known, (std::vector<CategoryId>{id_of("cs.CL"), id_of("math.ST")}));
  EXPECT_EQ(resolved.unknown, (std::vector<std::string_view>{"foo.BAR"}));
  EXPECT_TRUE(index.resolve_list("").known.empty());
}

TEST(PrepareCategoryIndex, PackedCategoriesRoundTrip) {
  const auto resolved = test_index().resolve_list("hep-th x.Y cs.LG z");
  const auto packed = pack_categories(resolved, DropReason::not_selected);
  const auto unpacked = unpack_categories(packed);
  EXPECT_EQ(unpacked.early_reason, DropReason::not_selected);
  EXPECT_EQ(unpacked.known, resolved.known);
  EXPECT_EQ(unpacked.unknown, "x.Y z");
  EXPECT_THROW(unpack_categories("\x01\x05"), Error);
}

TEST(PrepareSelection, NoFilterKeepsEverything) {
  auto papers = sample_papers();
  const auto report = run(papers, {});
  for (const auto& p : papers) EXPECT_TRUE(p.kept()) << p.id;
  EXPECT_EQ(report.selected.size(), 7u);  // every category some paper carries
  EXPECT_EQ(report.category_counts[id_of("cs.LG")], 4u);
  EXPECT_EQ(report.category_counts[id_of("stat.ML")], 3u);
  EXPECT_EQ(codes_of(papers[6]), (Codes{"stat.ML", "cs.LG", "math.ST"}));
}

TEST(PrepareSelection, ByArchiveDropsPrimaryOutsideAndStripsSecondaries) {
  auto papers = sample_papers();
  run(papers, {.archives = {"cs"}});
  EXPECT_TRUE(papers[0].kept());
  EXPECT_EQ(codes_of(papers[0]), (Codes{"cs.LG"}));  // stat.ML removed
  EXPECT_EQ(papers[3].dropped, DropReason::not_selected);
  EXPECT_EQ(papers[6].dropped, DropReason::not_selected);  // primary stat.ML
  EXPECT_TRUE(papers[3].title.empty());                    // dropped papers release their text
  EXPECT_TRUE(papers[7].kept());
}

TEST(PrepareSelection, ByGroupIdOrNameAndUnionWithArchives) {
  for (const std::string group : {"grp_physics", "Physics"}) {
    auto papers = sample_papers();
    run(papers, {.groups = {group}});
    EXPECT_TRUE(papers[4].kept());
    EXPECT_EQ(codes_of(papers[4]), (Codes{"hep-th", "hep-ph"}));
    EXPECT_FALSE(papers[0].kept());
  }
  auto papers = sample_papers();
  run(papers, {.archives = {"stat"}, .groups = {"grp_physics"}});
  EXPECT_TRUE(papers[4].kept());
  EXPECT_TRUE(papers[6].kept());
  EXPECT_EQ(codes_of(papers[6]), (Codes{"stat.ML"}));
  EXPECT_FALSE(papers[0].kept());
}

TEST(PrepareSelection, ExplicitCategoriesAcceptAliasesAndIntersectWithArchives) {
  auto papers = sample_papers();
  run(papers, {.categories = {"cs.LG", "stat.TH"}});
  EXPECT_TRUE(papers[0].kept());
  EXPECT_EQ(codes_of(papers[0]), (Codes{"cs.LG"}));
  EXPECT_TRUE(papers[3].kept());  // math.ST via its alias stat.TH
  EXPECT_EQ(papers[2].dropped, DropReason::not_selected);

  papers = sample_papers();
  run(papers, {.archives = {"math"}, .categories = {"cs.LG", "math.ST"}});
  EXPECT_EQ(papers[0].dropped, DropReason::not_selected);  // cs.LG listed, but not in archive math
  EXPECT_TRUE(papers[3].kept());
}

TEST(PrepareSelection, MinPapersCountsEveryPosition) {
  auto papers = sample_papers();
  const auto report = run(papers, {.min_papers = 3});
  // cs.LG: 4 papers, stat.ML: 3 (as primary only once); math.ST: 2, hep-th: 2, the rest 1.
  EXPECT_EQ(report.selected, (std::vector<CategoryId>{id_of("cs.LG"), id_of("stat.ML")}));
  EXPECT_TRUE(papers[0].kept());
  EXPECT_EQ(codes_of(papers[0]), (Codes{"cs.LG", "stat.ML"}));
  EXPECT_EQ(papers[2].dropped, DropReason::below_min_papers);  // primary cs.CL
  EXPECT_EQ(papers[3].dropped, DropReason::below_min_papers);
  EXPECT_EQ(codes_of(papers[6]), (Codes{"stat.ML", "cs.LG"}));
}

TEST(PrepareSelection, TopNBreaksTiesByCode) {
  auto papers = sample_papers();
  const auto report = run(papers, {.top_n = 3});
  // Counts: cs.LG 4, stat.ML 3, then hep-th 2 and math.ST 2: hep-th wins the tie by code.
  EXPECT_EQ(report.selected, (std::vector<CategoryId>{id_of("cs.LG"), id_of("hep-th"), id_of("stat.ML")}));
  EXPECT_EQ(papers[3].dropped, DropReason::outside_top_n);
  EXPECT_TRUE(papers[4].kept());
  EXPECT_EQ(codes_of(papers[4]), (Codes{"hep-th"}));
}

TEST(PrepareSelection, CountsComeAfterTheListFilters) {
  auto papers = sample_papers();
  // Within archive cs, stat.ML is not listed; cs.LG counts 4 papers (p6's primary is outside, so 3).
  const auto report = run(papers, {.archives = {"cs"}, .min_papers = 3});
  EXPECT_EQ(report.category_counts[id_of("cs.LG")], 3u);
  EXPECT_EQ(report.category_counts[id_of("stat.ML")], 0u);
  EXPECT_EQ(report.selected, (std::vector<CategoryId>{id_of("cs.LG")}));
  EXPECT_EQ(papers[7].dropped, DropReason::below_min_papers);
}

TEST(PrepareSelection, ClearBoundariesKeepsSingleArchivePapers) {
  auto papers = sample_papers();
  run(papers, {.clear_boundaries = true});
  EXPECT_EQ(papers[0].dropped, DropReason::no_clear_boundary);  // cs + stat
  EXPECT_TRUE(papers[1].kept());
  EXPECT_TRUE(papers[2].kept());                                // cs.CL cs.LG: one archive
  EXPECT_EQ(papers[4].dropped, DropReason::no_clear_boundary);  // hep-th and hep-ph are two archives
  EXPECT_TRUE(papers[5].kept());
}

TEST(PrepareSelection, CombinedFilters) {
  auto papers = sample_papers();
  papers.push_back(paper("p8", {"cs.CL"}));
  papers.push_back(paper("p9", {"cs.CL", "cs.AI"}));
  const auto report =
      run(papers, {.groups = {"Computer Science"}, .min_papers = 2, .top_n = 1, .clear_boundaries = true});
  // After clear_boundaries and the group: cs.LG {p1, p2}, cs.CL {p2, p8, p9}, cs.AI {p7, p9}.
  EXPECT_EQ(report.selected, (std::vector<CategoryId>{id_of("cs.CL")}));
  EXPECT_EQ(papers[1].dropped, DropReason::outside_top_n);
  EXPECT_EQ(codes_of(papers[2]), (Codes{"cs.CL"}));
  EXPECT_EQ(codes_of(papers[9]), (Codes{"cs.CL"}));
  EXPECT_EQ(papers[0].dropped, DropReason::no_clear_boundary);
  EXPECT_EQ(papers[3].dropped, DropReason::no_clear_boundary);
  EXPECT_EQ(papers[5].dropped, DropReason::not_selected);
}

TEST(PrepareSelection, PapersWithoutKnownCategoriesAreDropped) {
  std::vector<PaperRecord> papers = {paper("a", {}), paper("b", {"cs.LG"})};
  papers[0].unknown_categories = "foo.BAR";
  run(papers, {});
  EXPECT_EQ(papers[0].dropped, DropReason::unknown_category_only);
  EXPECT_TRUE(papers[1].kept());
}

TEST(PrepareSelection, SkipsDuplicatesAndAlreadyDropped) {
  auto papers = sample_papers();
  papers[1].mark_duplicate();
  papers[2].drop(DropReason::empty_text);
  const auto report = run(papers, {});
  EXPECT_EQ(report.category_counts[id_of("cs.LG")], 2u);
  EXPECT_TRUE(papers[1].duplicate);
  EXPECT_EQ(papers[1].dropped, DropReason::none);
  EXPECT_EQ(papers[2].dropped, DropReason::empty_text);
}

TEST(PrepareSelection, UnknownNamesAreConfigErrors) {
  const auto expect_error = [](const SelectionOptions& options, const std::string& key) {
    try {
      CategorySelector selector(test_index(), options);
      FAIL() << "no error for " << key;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  expect_error({.archives = {"nope"}}, "prepare.selection.archives");
  expect_error({.groups = {"grp_nope"}}, "prepare.selection.groups");
  expect_error({.categories = {"cs.XX"}}, "prepare.selection.categories");
  expect_error({.min_papers = -1}, "prepare.selection.min_papers");
  expect_error({.top_n = -2}, "prepare.selection.top_n");
}

}  // namespace
}  // namespace arxivc::prepare
