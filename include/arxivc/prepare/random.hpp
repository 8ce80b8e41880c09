#pragma once

// Seeded randomness that gives the same numbers with every standard library: std::mt19937_64 is fully
// specified, but std::uniform_int_distribution and std::shuffle are not, so they are replaced here.

#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <utility>

namespace arxivc::prepare {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next() { return engine_(); }

  // Uniform in [0, n), without modulo bias (rejection sampling); n > 0.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;  // a multiple of n
    std::uint64_t x = next();
    while (x >= limit) x = next();
    return x % n;
  }

  // Fisher-Yates.
  template <typename T>
  void shuffle(std::span<T> items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(below(i));
      std::swap(items[i - 1], items[j]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

// A seed for one independent stream (a category, a purpose) of a run seeded with `seed`: streams do not
// shift when other streams draw more or fewer numbers.
std::uint64_t derive_seed(std::uint64_t seed, std::string_view stream);

}  // namespace arxivc::prepare
