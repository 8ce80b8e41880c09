#pragma once

// Views of a prepared dataset's splits as model input: no text is copied, documents and labels point
// into the memory-mapped split files (keep the Dataset alive while they are used).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arxivc/dataset/dataset.hpp"
#include "arxivc/eval/gold.hpp"
#include "arxivc/model/model.hpp"

namespace arxivc::train {

// The indices of a split's examples that training uses: all `size` of them, or `max_samples` of them chosen
// with `seed` (a partial Fisher-Yates on raw mt19937_64 output, portable and deterministic), ascending.
// `arxivc export --max-samples` writes the same subset, so that other tools train on the same papers.
std::vector<std::size_t> sample_indices(std::size_t size, std::optional<std::int64_t> max_samples,
                                        std::uint64_t seed);

// All examples of `split`, or `max_samples` of them chosen with `seed` (deterministic, in split order).
model::LabeledDocuments labeled_documents(const dataset::Split& split, std::size_t label_count,
                                          std::optional<std::int64_t> max_samples = std::nullopt,
                                          std::uint64_t seed = 42);

// Gold labels of a split, translated from the dataset's label space into the model's by code; codes
// the model does not know become eval::kOutsideLabel (they count as misses).
std::vector<eval::GoldLabels> gold_labels(std::span<const std::span<const std::uint32_t>> dataset_labels,
                                          const std::vector<std::string>& dataset_codes,
                                          const std::vector<std::string>& model_codes);

}  // namespace arxivc::train
