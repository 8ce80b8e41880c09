#include "arxivc/train/training_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <vector>

namespace arxivc::train {
namespace {

TEST(SampleIndicesTest, AllIndicesWithoutALimitOrWithALargeOne) {
  std::vector<std::size_t> all(10);
  std::iota(all.begin(), all.end(), std::size_t{0});
  EXPECT_EQ(sample_indices(10, std::nullopt, 42), all);
  EXPECT_EQ(sample_indices(10, 10, 42), all);
  EXPECT_EQ(sample_indices(10, 25, 42), all);
  EXPECT_TRUE(sample_indices(10, 0, 42).empty());
}

TEST(SampleIndicesTest, ASeededSubsetInAscendingOrder) {
  const auto chosen = sample_indices(1000, 50, 42);
  ASSERT_EQ(chosen.size(), 50u);
  EXPECT_TRUE(std::is_sorted(chosen.begin(), chosen.end()));
  EXPECT_EQ(std::set<std::size_t>(chosen.begin(), chosen.end()).size(), 50u);
  EXPECT_LT(chosen.back(), 1000u);
  EXPECT_EQ(sample_indices(1000, 50, 42), chosen);
  EXPECT_NE(sample_indices(1000, 50, 43), chosen);
  // Spread over the whole range, not the first 50.
  EXPECT_GT(chosen.back(), 500u);
}

}  // namespace
}  // namespace arxivc::train
