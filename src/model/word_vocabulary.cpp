#include "arxivc/model/word_vocabulary.hpp"

#include <fmt/format.h>

#include <bit>

#include "arxivc/core/error.hpp"

namespace arxivc::model {

WordVocabulary::WordVocabulary(std::vector<std::uint64_t> fingerprints)
    : fingerprints_(std::move(fingerprints)) {
  if (fingerprints_.size() >= kAbsent) {
    throw Error(fmt::format("vocabulary of {} words is too large", fingerprints_.size()));
  }
  if (fingerprints_.empty()) return;
  slots_.assign(std::bit_ceil(fingerprints_.size() * 2), kAbsent);
  mask_ = slots_.size() - 1;
  for (std::uint32_t id = 0; id < fingerprints_.size(); ++id) {
    const std::uint64_t fingerprint = fingerprints_[id];
    std::size_t slot = fingerprint & mask_;
    for (; slots_[slot] != kAbsent; slot = (slot + 1) & mask_) {
      if (fingerprints_[slots_[slot]] == fingerprint) {
        throw Error(fmt::format("vocabulary: words {} and {} have the same fingerprint", slots_[slot], id));
      }
    }
    slots_[slot] = id;
  }
}

}  // namespace arxivc::model
