#include <gtest/gtest.h>

#include "arxivc/prepare/dedup.hpp"
#include "arxivc/prepare/paper_dates.hpp"

namespace arxivc::prepare {
namespace {

using Positions = std::vector<std::size_t>;

TEST(PrepareDedup, LatestUpdateDateWins) {
  const std::vector<DedupEntry> entries = {
      {"0704.0001", 20070402}, {"0704.0002", 20070402}, {"0704.0001", 20090101}, {"0704.0001", 20080101}};
  EXPECT_EQ(find_duplicates(entries), (Positions{0, 3}));
}

TEST(PrepareDedup, TiesGoToTheLaterLine) {
  const std::vector<DedupEntry> entries = {{"a", 20200101}, {"b", 1}, {"a", 20200101}, {"a", 0}};
  EXPECT_EQ(find_duplicates(entries), (Positions{0, 3}));
}

TEST(PrepareDedup, DistinctIdsHaveNoDuplicates) {
  const std::vector<DedupEntry> entries = {{"hep-th/9110025", 1}, {"0704.0001", 2}, {"0704.00010", 3}};
  EXPECT_TRUE(find_duplicates(entries).empty());
  EXPECT_TRUE(find_duplicates({}).empty());
}

TEST(PrepareDedup, ResultDoesNotDependOnTheOtherIdsOrder) {
  const std::vector<DedupEntry> a = {{"x", 2}, {"y", 1}, {"x", 1}, {"z", 5}, {"y", 1}};
  const std::vector<DedupEntry> b = {{"z", 5}, {"x", 2}, {"y", 1}, {"x", 1}, {"y", 1}};
  EXPECT_EQ(find_duplicates(a), (Positions{1, 2}));
  EXPECT_EQ(find_duplicates(b), (Positions{2, 3}));
}

TEST(PreparePaperDates, MonthFromNewStyleIds) {
  EXPECT_EQ(month_from_id("0704.0001"), 200704u);
  EXPECT_EQ(month_from_id("1501.00096"), 201501u);
  EXPECT_EQ(month_from_id("2601.05286"), 202601u);
  EXPECT_EQ(month_from_id("2601.05286v3"), 202601u);
}

TEST(PreparePaperDates, MonthFromOldStyleIds) {
  EXPECT_EQ(month_from_id("hep-th/9110025"), 199110u);
  EXPECT_EQ(month_from_id("alg-geom/9203001"), 199203u);
  EXPECT_EQ(month_from_id("math/0309136"), 200309u);
  EXPECT_EQ(month_from_id("math.GT/0309136v2"), 200309u);
  EXPECT_EQ(month_from_id("cond-mat/0001001"), 200001u);
}

TEST(PreparePaperDates, MalformedIdsHaveNoMonth) {
  for (const char* id : {"", "0713.0001", "07040001", "hep-th/91100", "abcd.0001", "0704.001", "/9110025",
                         "hep-th/9113025", "0704.000001"}) {
    EXPECT_EQ(month_from_id(id), 0u) << id;
  }
}

TEST(PreparePaperDates, DaysAndCutoffs) {
  EXPECT_EQ(day_from_date("2025-06-30"), 20250630u);
  EXPECT_EQ(day_from_date("2024-02-29"), 20240229u);
  EXPECT_EQ(day_from_date("2023-02-29"), 0u);
  EXPECT_EQ(day_from_date("2025-6-30"), 0u);
  EXPECT_EQ(day_from_date(""), 0u);
  EXPECT_EQ(parse_cutoff("2025-06"), 20250601u);
  EXPECT_EQ(parse_cutoff("2025-06-15"), 20250615u);
  EXPECT_FALSE(parse_cutoff("2025-13").has_value());
  EXPECT_FALSE(parse_cutoff("June 2025").has_value());
}

}  // namespace
}  // namespace arxivc::prepare
