#pragma once

// Splitting the sampled papers into train, validation and test.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace arxivc::prepare {

inline constexpr std::array<std::string_view, 3> kSplitNames = {"train", "validation", "test"};

struct SplitFractions {
  double train = 0.8;
  double validation = 0.1;
  double test = 0.1;
};

// Throws ConfigError naming prepare.split.{train,validation,test} unless each lies in [0, 1] and they sum
// to 1 (within 1e-9).
void validate_fractions(const SplitFractions& fractions);

// Divides n items by the fractions with largest-remainder rounding: each part gets the floor of its share,
// the items left over go to the largest fractional remainders, ties to the earlier part (train first). So
// a category of one paper lands in train.
std::array<std::size_t, 3> apportion(std::size_t n, const std::array<double, 3>& fractions);

struct SplitAssignment {
  std::array<std::vector<std::size_t>, 3> members;  // positions per split (kSplitNames order), ascending
  std::vector<std::size_t> undated;                 // temporal: positions without a date, ascending
};

// Stratified random split: the positions of each stratum (primary category) are shuffled with the
// stratum's own stream of `seed`, then cut by apportion().
SplitAssignment split_random(std::span<const std::string_view> strata, const SplitFractions& fractions,
                             std::uint64_t seed);

// Temporal split: items with dates[i] < cutoff form train; the others are split like split_random into
// validation and test, in the ratio of those two fractions. dates[i] == 0 means undated: the item is in
// no split. Dates and cutoff must use the same unit (YYYYMM or YYYYMMDD). Throws ConfigError when
// validation and test are both 0 (nowhere to put the later papers).
SplitAssignment split_temporal(std::span<const std::string_view> strata, std::span<const std::uint32_t> dates,
                               std::uint32_t cutoff, const SplitFractions& fractions, std::uint64_t seed);

}  // namespace arxivc::prepare
