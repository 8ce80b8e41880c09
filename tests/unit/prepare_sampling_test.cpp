#include <gtest/gtest.h>

#include <map>
#include <set>

#include "arxivc/core/error.hpp"
#include "arxivc/prepare/random.hpp"
#include "arxivc/prepare/sampling.hpp"

namespace arxivc::prepare {
namespace {

std::vector<std::string_view> strata_of(std::map<std::string_view, std::size_t> sizes) {
  std::vector<std::string_view> strata;
  // Interleaved, as papers of different categories are in a real file.
  for (bool added = true; added;) {
    added = false;
    for (auto& [code, left] : sizes) {
      if (left == 0) continue;
      strata.push_back(code);
      --left;
      added = true;
    }
  }
  return strata;
}

TEST(PrepareRng, IsReproducibleAndUniformEnough) {
  Rng a(42), b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(), b.next());
  // std::mt19937_64 is specified by the standard: its 10000th output for the default seed is fixed.
  std::mt19937_64 reference;
  reference.discard(9999);
  EXPECT_EQ(reference(), 9981545732273789042ULL);
  Rng rng(1);
  std::array<int, 6> counts{};
  for (int i = 0; i < 60000; ++i) ++counts[rng.below(6)];
  for (const int count : counts) EXPECT_NEAR(count, 10000, 500);
  std::vector<int> items = {1, 2, 3, 4, 5, 6, 7, 8};
  rng.shuffle(std::span(items));
  EXPECT_EQ(std::set<int>(items.begin(), items.end()).size(), 8u);
}

TEST(PrepareRng, DerivedSeedsDiffer) {
  EXPECT_EQ(derive_seed(42, "cs.LG"), derive_seed(42, "cs.LG"));
  EXPECT_NE(derive_seed(42, "cs.LG"), derive_seed(42, "cs.CL"));
  EXPECT_NE(derive_seed(42, "cs.LG"), derive_seed(43, "cs.LG"));
}

TEST(PrepareSampling, NoOptionsKeepsEverything) {
  const auto strata = strata_of({{"a", 3}, {"b", 2}});
  const auto result = sample(strata, {});
  EXPECT_EQ(result.kept, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(result.capped.empty());
  EXPECT_TRUE(result.over_total.empty());
}

TEST(PrepareSampling, PerCategoryCap) {
  const auto strata = strata_of({{"big", 100}, {"mid", 10}, {"small", 3}});
  const auto result = sample(strata, {.max_samples = std::nullopt, .per_category_cap = 10, .seed = 7});
  std::map<std::string_view, int> counts;
  for (const auto k : result.kept) ++counts[strata[k]];
  EXPECT_EQ(counts["big"], 10);
  EXPECT_EQ(counts["mid"], 10);
  EXPECT_EQ(counts["small"], 3);
  EXPECT_EQ(result.capped.size(), 90u);
  EXPECT_TRUE(std::is_sorted(result.kept.begin(), result.kept.end()));
}

TEST(PrepareSampling, MaxSamples) {
  const auto strata = strata_of({{"a", 50}, {"b", 50}});
  const auto result = sample(strata, {.max_samples = 30, .per_category_cap = std::nullopt, .seed = 1});
  EXPECT_EQ(result.kept.size(), 30u);
  EXPECT_EQ(result.over_total.size(), 70u);
  std::set<std::size_t> all(result.kept.begin(), result.kept.end());
  all.insert(result.over_total.begin(), result.over_total.end());
  EXPECT_EQ(all.size(), 100u);
  EXPECT_EQ(sample(strata, {.max_samples = 0, .per_category_cap = std::nullopt, .seed = 1}).kept.size(), 0u);
  EXPECT_EQ(sample(strata, {.max_samples = 1000, .per_category_cap = std::nullopt, .seed = 1}).kept.size(),
            100u);
}

TEST(PrepareSampling, DeterministicPerSeedAndIndependentPerCategory) {
  const auto strata = strata_of({{"a", 40}, {"b", 40}, {"c", 40}});
  const SamplingOptions options{.max_samples = std::nullopt, .per_category_cap = 5, .seed = 9};
  EXPECT_EQ(sample(strata, options).kept, sample(strata, options).kept);
  auto other_seed = options;
  other_seed.seed = 10;
  EXPECT_NE(sample(strata, options).kept, sample(strata, other_seed).kept);

  // Removing category c does not change which papers of a and b are kept.
  std::vector<std::string_view> without_c;
  std::vector<std::size_t> original;
  for (std::size_t i = 0; i < strata.size(); ++i) {
    if (strata[i] != "c") {
      without_c.push_back(strata[i]);
      original.push_back(i);
    }
  }
  std::vector<std::size_t> kept_ab;
  for (const auto k : sample(strata, options).kept) {
    if (strata[k] != "c") kept_ab.push_back(k);
  }
  std::vector<std::size_t> mapped;
  for (const auto k : sample(without_c, options).kept) mapped.push_back(original[k]);
  EXPECT_EQ(mapped, kept_ab);
}

TEST(PrepareSampling, NegativeValuesAreConfigErrors) {
  const auto strata = strata_of({{"a", 2}});
  EXPECT_THROW(sample(strata, {.max_samples = -1, .per_category_cap = std::nullopt, .seed = 1}), ConfigError);
  EXPECT_THROW(sample(strata, {.max_samples = std::nullopt, .per_category_cap = -1, .seed = 1}), ConfigError);
}

}  // namespace
}  // namespace arxivc::prepare
