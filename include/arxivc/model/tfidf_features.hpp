#pragma once

// TF-IDF featurisation of documents over word n-grams (unigrams, optionally bigrams and trigrams):
// either a vocabulary chosen by document frequency (min_df, max_df, max_features) or feature hashing
// into 2^hash_bits buckets. Term frequency is raw or sublinear (1 + ln tf), idf is smoothed
// (ln((1 + n) / (1 + df)) + 1, as scikit-learn), and every document's vector has unit L2 norm.
// N-grams never span the title and the abstract; title occurrences may weigh more (title_weight).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "arxivc/core/binary_io.hpp"
#include "arxivc/model/model.hpp"
#include "arxivc/text/tokenizer.hpp"

namespace arxivc::model {

enum class FeatureSpace { vocabulary, hashing };

struct TfidfOptions {
  FeatureSpace space = FeatureSpace::vocabulary;
  int ngram_max = 2;                      // 1 to 3
  std::int64_t min_df = 2;                // vocabulary: n-grams in fewer documents are dropped
  double max_df = 0.5;                    // vocabulary: ... and those in more than this fraction
  std::int64_t max_features = 1'000'000;  // vocabulary: the most frequent that remain
  int hash_bits = 20;                     // hashing: 2^hash_bits features
  bool sublinear_tf = true;
  double title_weight = 1.0;  // an occurrence in the title counts this many times (>= 1) towards tf
  text::TokenizerOptions tokenizer;
};

// A document's features, sorted by index, unit L2 norm (empty for a document without known n-grams).
struct SparseFeatures {
  std::vector<std::uint32_t> indices;
  std::vector<float> values;
};

class TfidfFeatures {
 public:
  // Per-thread scratch space; reusing it across documents makes transform() allocation-free.
  struct Workspace {
    std::string scratch;
    std::vector<std::uint64_t> fingerprints;
    std::size_t title_fingerprints = 0;  // the first ones, from the title
    std::vector<std::uint32_t> ids;
  };

  // Chooses the features and their idf from the training documents. Deterministic for any thread count.
  void fit(std::span<const Document> documents, const TfidfOptions& options, unsigned threads);
  void transform(const Document& document, Workspace& workspace, SparseFeatures& out) const;

  const TfidfOptions& options() const { return options_; }
  std::size_t feature_count() const { return idf_.size(); }
  std::uint64_t fitted_documents() const { return fitted_documents_; }

  void save(BinaryWriter& out) const;
  void load(BinaryReader& in);
  nlohmann::json describe() const;

  // The n-gram fingerprints of a document (each occurrence), title first. Exposed for the vocabulary fit.
  void fingerprints(const Document& document, Workspace& workspace) const;

 private:
  std::uint32_t lookup(std::uint64_t fingerprint) const;  // kAbsent when not in the vocabulary
  void build_lookup_table();

  TfidfOptions options_;
  std::uint64_t fitted_documents_ = 0;
  std::vector<float> idf_;  // per feature
  // Vocabulary: fingerprint of each feature, and an open-addressing table fingerprint -> feature index.
  std::vector<std::uint64_t> vocabulary_;
  // Key and value share a slot, so a lookup touches one cache line.
  struct Slot {
    std::uint64_t fingerprint;  // 0: empty
    std::uint32_t feature;
  };
  std::vector<Slot> table_;
};

}  // namespace arxivc::model
