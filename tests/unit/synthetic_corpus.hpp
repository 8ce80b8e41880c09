#pragma once

// A small labelled corpus with a known answer, for model tests: label k is present exactly when the
// document contains the keyword of label k; the other words are filler drawn from a shared pool.

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "arxivc/model/model.hpp"

namespace arxivc::testing {

inline const std::vector<std::string>& synthetic_keywords() {
  static const std::vector<std::string> keywords = {"galaxy", "protein", "theorem", "transistor", "neuron"};
  return keywords;
}

struct SyntheticCorpus {
  std::vector<std::string> titles;
  std::vector<std::string> abstracts;
  std::vector<std::vector<std::uint32_t>> labels;  // primary first
  model::LabeledDocuments labeled;                 // views into the members above

  SyntheticCorpus() = default;
  SyntheticCorpus(const SyntheticCorpus&) = delete;
  SyntheticCorpus& operator=(const SyntheticCorpus&) = delete;

  std::vector<model::Document> documents() const { return labeled.documents; }
};

// `max_labels` keywords (1 for single-label) per document, in random order; the first is the primary.
inline void make_synthetic_corpus(SyntheticCorpus& corpus, std::size_t documents, std::size_t max_labels,
                                  std::uint64_t seed) {
  static const std::vector<std::string> filler = {
      "study",   "results", "method", "analysis", "data",   "novel",   "approach", "show",  "using",
      "present", "based",   "new",    "model",    "system", "propose", "general",  "paper", "simple",
      "large",   "small",   "first",  "second",   "time",   "space",   "order",    "form",  "case"};
  const auto& keywords = synthetic_keywords();
  std::mt19937_64 rng(seed);
  corpus.titles.clear();
  corpus.abstracts.clear();
  corpus.labels.clear();
  for (std::size_t d = 0; d < documents; ++d) {
    std::vector<std::uint32_t> labels;
    const std::size_t count = 1 + rng() % max_labels;
    while (labels.size() < count) {
      const auto label = static_cast<std::uint32_t>(rng() % keywords.size());
      if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    }
    std::string title = filler[rng() % filler.size()] + " " + keywords[labels[0]];
    std::string abstract;
    for (int w = 0; w < 12; ++w) abstract += filler[rng() % filler.size()] + (w % 4 == 3 ? ". " : " ");
    for (const std::uint32_t label : labels) abstract += "The " + keywords[label] + " is here. ";
    corpus.titles.push_back(std::move(title));
    corpus.abstracts.push_back(std::move(abstract));
    corpus.labels.push_back(std::move(labels));
  }
  corpus.labeled = model::LabeledDocuments{};
  corpus.labeled.label_count = keywords.size();
  for (std::size_t d = 0; d < documents; ++d) {
    corpus.labeled.documents.push_back({corpus.titles[d], corpus.abstracts[d]});
    corpus.labeled.labels.emplace_back(corpus.labels[d]);
  }
}

}  // namespace arxivc::testing
