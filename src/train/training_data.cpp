#include "arxivc/train/training_data.hpp"

#include <algorithm>
#include <numeric>
#include <random>
#include <unordered_map>

namespace arxivc::train {

std::vector<std::size_t> sample_indices(std::size_t size, std::optional<std::int64_t> max_samples,
                                        std::uint64_t seed) {
  std::vector<std::size_t> indices(size);
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  if (max_samples && *max_samples >= 0 && static_cast<std::size_t>(*max_samples) < indices.size()) {
    // Partial Fisher-Yates on raw mt19937_64 output: the standard distributions are not portable.
    std::mt19937_64 rng(seed);
    const auto k = static_cast<std::size_t>(*max_samples);
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t j = i + static_cast<std::size_t>(rng() % (indices.size() - i));
      std::swap(indices[i], indices[j]);
    }
    indices.resize(k);
    std::sort(indices.begin(), indices.end());
  }
  return indices;
}

model::LabeledDocuments labeled_documents(const dataset::Split& split, std::size_t label_count,
                                          std::optional<std::int64_t> max_samples, std::uint64_t seed) {
  const auto indices = sample_indices(split.size(), max_samples, seed);
  model::LabeledDocuments data;
  data.label_count = label_count;
  data.documents.reserve(indices.size());
  data.labels.reserve(indices.size());
  for (std::size_t i : indices) {
    const auto example = split[i];
    data.documents.push_back({example.title, example.abstract});
    data.labels.push_back(example.labels);
  }
  return data;
}

std::vector<eval::GoldLabels> gold_labels(std::span<const std::span<const std::uint32_t>> dataset_labels,
                                          const std::vector<std::string>& dataset_codes,
                                          const std::vector<std::string>& model_codes) {
  std::unordered_map<std::string, std::uint32_t> model_index;
  for (std::uint32_t i = 0; i < model_codes.size(); ++i) model_index.emplace(model_codes[i], i);
  std::vector<std::uint32_t> translate(dataset_codes.size(), eval::kOutsideLabel);
  for (std::size_t i = 0; i < dataset_codes.size(); ++i) {
    if (auto it = model_index.find(dataset_codes[i]); it != model_index.end()) translate[i] = it->second;
  }
  std::vector<eval::GoldLabels> gold;
  gold.reserve(dataset_labels.size());
  for (const auto& labels : dataset_labels) {
    eval::GoldLabels g;
    g.reserve(labels.size());
    for (auto label : labels) g.push_back(label < translate.size() ? translate[label] : eval::kOutsideLabel);
    gold.push_back(std::move(g));
  }
  return gold;
}

}  // namespace arxivc::train
