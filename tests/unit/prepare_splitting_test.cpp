#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "arxivc/core/error.hpp"
#include "arxivc/prepare/paper_dates.hpp"
#include "arxivc/prepare/splitting.hpp"

namespace arxivc::prepare {
namespace {

using Sizes = std::array<std::size_t, 3>;

std::vector<std::string_view> strata_of(const std::vector<std::pair<std::string_view, std::size_t>>& sizes) {
  std::vector<std::string_view> strata;
  for (const auto& [code, n] : sizes) strata.insert(strata.end(), n, code);
  return strata;
}

std::map<std::string_view, Sizes> sizes_per_stratum(const SplitAssignment& assignment,
                                                    const std::vector<std::string_view>& strata) {
  std::map<std::string_view, Sizes> sizes;
  for (std::size_t s = 0; s < 3; ++s) {
    for (const auto k : assignment.members[s]) ++sizes[strata[k]][s];
  }
  return sizes;
}

TEST(PrepareSplitting, ApportionUsesLargestRemainders) {
  const std::array<double, 3> f = {0.8, 0.1, 0.1};
  EXPECT_EQ(apportion(0, f), (Sizes{0, 0, 0}));
  EXPECT_EQ(apportion(1, f), (Sizes{1, 0, 0}));  // a lone paper goes to train
  EXPECT_EQ(apportion(2, f), (Sizes{2, 0, 0}));
  EXPECT_EQ(apportion(5, f), (Sizes{4, 1, 0}));  // remainders .5/.5: validation before test
  EXPECT_EQ(apportion(10, f), (Sizes{8, 1, 1}));
  EXPECT_EQ(apportion(19, f), (Sizes{15, 2, 2}));
  EXPECT_EQ(apportion(7, {0.7, 0.2, 0.1}), (Sizes{5, 1, 1}));
  EXPECT_EQ(apportion(3, {0.5, 0.5, 0.0}), (Sizes{2, 1, 0}));
  EXPECT_EQ(apportion(3, {0.0, 0.5, 0.5}), (Sizes{0, 2, 1}));
  EXPECT_EQ(apportion(4, {1.0, 0.0, 0.0}), (Sizes{4, 0, 0}));
  for (std::size_t n = 0; n < 200; ++n) {
    const auto sizes = apportion(n, {0.6, 0.3, 0.1});
    EXPECT_EQ(sizes[0] + sizes[1] + sizes[2], n);
  }
}

TEST(PrepareSplitting, FractionsAreValidated) {
  EXPECT_NO_THROW(validate_fractions({0.7, 0.2, 0.1}));
  EXPECT_NO_THROW(validate_fractions({1.0, 0.0, 0.0}));
  try {
    validate_fractions({0.8, 0.2, 0.1});
    FAIL();
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("prepare.split.train"), std::string::npos);
    EXPECT_NE(message.find("prepare.split.test"), std::string::npos);
  }
  try {
    validate_fractions({1.2, -0.1, -0.1});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("prepare.split.train"), std::string::npos);
  }
  EXPECT_THROW(validate_fractions({0.5, std::nan(""), 0.5}), ConfigError);
}

TEST(PrepareSplitting, RandomSplitIsStratified) {
  const auto strata = strata_of({{"cs.LG", 1000}, {"hep-th", 100}, {"math.AG", 10}, {"q-bio.PE", 1}});
  const auto assignment = split_random(strata, {0.8, 0.1, 0.1}, 42);
  const auto sizes = sizes_per_stratum(assignment, strata);
  EXPECT_EQ(sizes.at("cs.LG"), (Sizes{800, 100, 100}));
  EXPECT_EQ(sizes.at("hep-th"), (Sizes{80, 10, 10}));
  EXPECT_EQ(sizes.at("math.AG"), (Sizes{8, 1, 1}));
  EXPECT_EQ(sizes.at("q-bio.PE"), (Sizes{1, 0, 0}));
  std::set<std::size_t> all;
  for (const auto& members : assignment.members) {
    EXPECT_TRUE(std::is_sorted(members.begin(), members.end()));
    all.insert(members.begin(), members.end());
  }
  EXPECT_EQ(all.size(), strata.size());
}

TEST(PrepareSplitting, RandomSplitIsDeterministicAndSeeded) {
  const auto strata = strata_of({{"a", 300}, {"b", 77}});
  const auto first = split_random(strata, {0.8, 0.1, 0.1}, 5);
  const auto again = split_random(strata, {0.8, 0.1, 0.1}, 5);
  const auto other = split_random(strata, {0.8, 0.1, 0.1}, 6);
  EXPECT_EQ(first.members, again.members);
  EXPECT_NE(first.members[1], other.members[1]);
  // Shuffled, not cut in input order: the test split is not simply the last papers.
  EXPECT_NE(first.members[2].front(), 270u);
}

TEST(PrepareSplitting, TemporalSplitByIdMonth) {
  const std::vector<std::string> ids = {"hep-th/9110025", "0704.0001",  "2505.00001",  "2506.00002",
                                        "2507.00003",     "2601.05286", "math/0309136"};
  std::vector<std::uint32_t> months;
  for (const auto& id : ids) months.push_back(month_from_id(id));
  const std::vector<std::string_view> strata(ids.size(), "cs.LG");
  const auto cutoff = parse_cutoff("2025-06").value() / 100;
  const auto assignment = split_temporal(strata, months, cutoff, {0.8, 0.1, 0.1}, 1);
  EXPECT_EQ(assignment.members[0], (std::vector<std::size_t>{0, 1, 2, 6}));
  std::set<std::size_t> later(assignment.members[1].begin(), assignment.members[1].end());
  later.insert(assignment.members[2].begin(), assignment.members[2].end());
  EXPECT_EQ(later, (std::set<std::size_t>{3, 4, 5}));
  EXPECT_EQ(assignment.members[1].size(), 2u);  // 3 papers at 50:50 -> 2 and 1
  EXPECT_TRUE(assignment.undated.empty());
}

TEST(PrepareSplitting, TemporalSplitByUpdateDate) {
  const std::vector<std::string> dates = {"2025-05-31", "2025-06-01", "2025-06-14",
                                          "2025-06-15", "2026-01-01", ""};
  std::vector<std::uint32_t> days;
  for (const auto& date : dates) days.push_back(day_from_date(date));
  const std::vector<std::string_view> strata(dates.size(), "x");
  const auto assignment =
      split_temporal(strata, days, parse_cutoff("2025-06-15").value(), {0.5, 0.0, 0.5}, 3);
  EXPECT_EQ(assignment.members[0], (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_TRUE(assignment.members[1].empty());  // validation fraction 0: the rest is test
  EXPECT_EQ(assignment.members[2], (std::vector<std::size_t>{3, 4}));
  EXPECT_EQ(assignment.undated, (std::vector<std::size_t>{5}));
}

TEST(PrepareSplitting, TemporalSplitIsStratifiedAfterTheCutoff) {
  std::vector<std::string_view> strata;
  std::vector<std::uint32_t> months;
  for (int i = 0; i < 200; ++i) {
    strata.push_back(i % 2 == 0 ? "a" : "b");
    months.push_back(i < 100 ? 201001 : 202001);
  }
  const auto assignment = split_temporal(strata, months, 201501, {0.5, 0.3, 0.2}, 11);
  EXPECT_EQ(assignment.members[0].size(), 100u);
  const auto sizes = sizes_per_stratum(assignment, strata);
  EXPECT_EQ(sizes.at("a"), (Sizes{50, 30, 20}));
  EXPECT_EQ(sizes.at("b"), (Sizes{50, 30, 20}));
  EXPECT_EQ(split_temporal(strata, months, 201501, {0.5, 0.3, 0.2}, 11).members, assignment.members);
}

TEST(PrepareSplitting, TemporalNeedsValidationOrTest) {
  const std::vector<std::string_view> strata = {"a"};
  const std::vector<std::uint32_t> months = {202001};
  EXPECT_THROW(split_temporal(strata, months, 201001, {1.0, 0.0, 0.0}, 1), ConfigError);
}

TEST(PrepareSplitting, EmptyInputGivesEmptySplits) {
  const auto assignment = split_random({}, {0.8, 0.1, 0.1}, 1);
  for (const auto& members : assignment.members) EXPECT_TRUE(members.empty());
}

}  // namespace
}  // namespace arxivc::prepare
