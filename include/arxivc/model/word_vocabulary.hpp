#pragma once

// A vocabulary of words kept as 64-bit fingerprints (text/fingerprint.hpp) and numbered 0..size()-1,
// with constant-time lookup. Storing fingerprints instead of strings keeps model files small and lets
// a tokenizer's string_views be looked up without building strings.

#include <cstdint>
#include <limits>
#include <vector>

namespace arxivc::model {

class WordVocabulary {
 public:
  static constexpr std::uint32_t kAbsent = std::numeric_limits<std::uint32_t>::max();

  WordVocabulary() = default;
  // Word i gets id i. Throws arxivc::Error when a fingerprint repeats or there are 2^32 - 1 or more.
  explicit WordVocabulary(std::vector<std::uint64_t> fingerprints);

  std::size_t size() const { return fingerprints_.size(); }
  // The id of the word with this fingerprint, or kAbsent.
  std::uint32_t find(std::uint64_t fingerprint) const {
    if (slots_.empty()) return kAbsent;
    for (std::size_t slot = fingerprint & mask_;; slot = (slot + 1) & mask_) {
      const std::uint32_t id = slots_[slot];
      if (id == kAbsent || fingerprints_[id] == fingerprint) return id;
    }
  }
  const std::vector<std::uint64_t>& fingerprints() const { return fingerprints_; }

 private:
  std::vector<std::uint64_t> fingerprints_;
  std::vector<std::uint32_t> slots_;  // open addressing with linear probing; at most half full
  std::size_t mask_ = 0;
};

}  // namespace arxivc::model
