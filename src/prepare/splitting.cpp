#include "arxivc/prepare/splitting.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "arxivc/core/error.hpp"
#include "arxivc/prepare/random.hpp"
#include "arxivc/prepare/strata.hpp"

namespace arxivc::prepare {
namespace {

// Splits each stratum of `positions` by the fractions into `assignment`.
void split_stratified(std::span<const std::string_view> strata, std::span<const std::size_t> positions,
                      const std::array<double, 3>& fractions, std::uint64_t seed,
                      SplitAssignment& assignment) {
  for (auto& [stratum, members] : group_by_stratum(strata, positions)) {
    Rng rng(derive_seed(seed, fmt::format("split:{}", stratum)));
    rng.shuffle(std::span(members));
    const auto sizes = apportion(members.size(), fractions);
    auto begin = members.begin();
    for (std::size_t s = 0; s < 3; ++s) {
      const auto end = begin + static_cast<std::ptrdiff_t>(sizes[s]);
      assignment.members[s].insert(assignment.members[s].end(), begin, end);
      begin = end;
    }
  }
  for (auto& members : assignment.members) std::sort(members.begin(), members.end());
}

}  // namespace

void validate_fractions(const SplitFractions& fractions) {
  const std::array<std::pair<std::string_view, double>, 3> parts = {
      {{"train", fractions.train}, {"validation", fractions.validation}, {"test", fractions.test}}};
  for (const auto& [name, value] : parts) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw ConfigError(fmt::format("prepare.split.{}: {} is not a fraction in [0, 1]", name, value));
    }
  }
  const double sum = fractions.train + fractions.validation + fractions.test;
  if (std::abs(sum - 1.0) > 1e-9) {
    throw ConfigError(fmt::format(
        "prepare.split.train + prepare.split.validation + prepare.split.test = {} + {} + {} = {}, expected 1",
        fractions.train, fractions.validation, fractions.test, sum));
  }
}

std::array<std::size_t, 3> apportion(std::size_t n, const std::array<double, 3>& fractions) {
  std::array<std::size_t, 3> sizes{};
  std::array<double, 3> remainders{};
  std::size_t assigned = 0;
  for (std::size_t s = 0; s < 3; ++s) {
    const double share = static_cast<double>(n) * fractions[s];
    const double whole = std::floor(share);
    sizes[s] = std::min(n - assigned, static_cast<std::size_t>(whole));
    remainders[s] = share - whole;
    assigned += sizes[s];
  }
  std::array<std::size_t, 3> order = {0, 1, 2};
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  if (std::none_of(fractions.begin(), fractions.end(), [](double f) { return f > 0.0; })) {
    throw Error("apportion: no part has a positive fraction");
  }
  // With fractions summing to 1 at most two items are left over; a part whose fraction is 0 stays empty.
  for (std::size_t k = 0; assigned < n; ++k) {
    const std::size_t part = order[k % 3];
    if (fractions[part] <= 0.0) continue;
    ++sizes[part];
    ++assigned;
  }
  return sizes;
}

SplitAssignment split_random(std::span<const std::string_view> strata, const SplitFractions& fractions,
                             std::uint64_t seed) {
  validate_fractions(fractions);
  std::vector<std::size_t> all(strata.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  SplitAssignment assignment;
  split_stratified(strata, all, {fractions.train, fractions.validation, fractions.test}, seed, assignment);
  return assignment;
}

SplitAssignment split_temporal(std::span<const std::string_view> strata, std::span<const std::uint32_t> dates,
                               std::uint32_t cutoff, const SplitFractions& fractions, std::uint64_t seed) {
  validate_fractions(fractions);
  const double later = fractions.validation + fractions.test;
  if (later <= 0.0) {
    throw ConfigError(
        "prepare.split.validation and prepare.split.test are both 0: a temporal split needs somewhere to put "
        "the papers from the cutoff on");
  }
  SplitAssignment assignment;
  std::vector<std::size_t> rest;
  for (std::size_t i = 0; i < dates.size(); ++i) {
    if (dates[i] == 0) {
      assignment.undated.push_back(i);
    } else if (dates[i] < cutoff) {
      assignment.members[0].push_back(i);
    } else {
      rest.push_back(i);
    }
  }
  split_stratified(strata, rest, {0.0, fractions.validation / later, fractions.test / later}, seed,
                   assignment);
  return assignment;
}

}  // namespace arxivc::prepare
