#pragma once

// 64-bit fingerprints of tokens and token n-grams. Model files store them (a vocabulary is a table of
// fingerprints, a hashed feature is a fingerprint's top bits), so the function is part of the model
// file format: never change it without bumping the format version.
// With 64 bits, two distinct n-grams of a vocabulary of tens of millions collide with probability
// about 1e-5, so a fingerprint stands for its n-gram.

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace arxivc::text {

namespace detail {
// The finaliser of SplitMix64: every input bit affects every output bit.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}
inline std::uint64_t load_le64(const char* p, std::size_t n) {
  static_assert(std::endian::native == std::endian::little, "fingerprints assume a little-endian machine");
  std::uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}
}  // namespace detail

// Fingerprint of one token's bytes.
inline std::uint64_t token_fingerprint(std::string_view token) {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ (token.size() * 0xc2b2ae3d27d4eb4fULL);
  std::size_t i = 0;
  for (; i + 8 <= token.size(); i += 8) h = detail::mix64(h ^ detail::load_le64(token.data() + i, 8));
  if (i < token.size()) h = detail::mix64(h ^ detail::load_le64(token.data() + i, token.size() - i));
  return detail::mix64(h + 0x165667b19e3779f9ULL);
}

// Fingerprint of the ordered pair of tokens (first, second), given their token fingerprints.
// Distinct from every token fingerprint in practice (a different mixing path) and order-sensitive.
inline std::uint64_t bigram_fingerprint(std::uint64_t first, std::uint64_t second) {
  return detail::mix64(first * 0xff51afd7ed558ccdULL + std::rotl(second, 29) + 0x27d4eb2f165667c5ULL);
}

}  // namespace arxivc::text
