#pragma once

// The "linear" model family: TF-IDF features over word n-grams (see tfidf_features.hpp) and a linear
// classifier on them, trained by SGD with L2 regularisation.
// - multi-label: one-vs-rest logistic regression, probabilities are per-label sigmoids;
// - single-label: multinomial logistic regression (softmax) on the primary label.
// Weights are feature-major (one contiguous row of label scores per feature), so scoring a document
// sums its nonzero features' rows. Training splits the labels across threads: each thread owns a
// slice of every row, so the result is the same on every run with the same seed and thread count
// (one-vs-rest: with any thread count; softmax sums its normaliser over the slices, so the thread
// count changes the rounding).
//
// Keys of the experiment's `model` section (all optional; defaults in LinearModelParams):
//   features: vocabulary | hashing   ngram_max: 1..3           sublinear_tf: bool   title_weight: 1..100
//   min_df, max_df, max_features     (vocabulary only)         hash_bits: 10..28 (hashing only)
//   min_token_length: >= 1           keep_single_digits: bool  stop_words: bool
//   learning_rate: > 0 (initial; decays linearly to 0 over the run's epochs)   l2: >= 0
//   primary_weight: > 0 (multi-label: weight of the primary label's positive examples)
// `family` is accepted and ignored (it names this family). Any other key is a ConfigError.

#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <vector>

#include "arxivc/core/huge_page_allocator.hpp"
#include "arxivc/model/model.hpp"
#include "arxivc/model/tfidf_features.hpp"

namespace arxivc::model {

// Defaults chosen on a 20k validation split of the 500k real papers (450k training papers, 152 labels,
// 5 epochs); see the notes beside each.
struct LinearModelParams {
  TfidfOptions features = default_features();
  double learning_rate = 4.0;   // 2 to 8 gave the same quality; 0.5 under-fits in 5 epochs
  double l2 = 3e-7;             // best of 2e-8, 1e-7, 3e-7 and 1e-6 (1e-6: -0.8 points of micro-F1)
  double primary_weight = 2.0;  // +0.6 to +1 point of primary accuracy over 1.0, micro-F1 unchanged

  static TfidfOptions default_features() {
    TfidfOptions features;
    features.title_weight = 2.0;  // +0.2 points of both accuracy and micro-F1 over 1.0
    return features;
  }

  // Reads the experiment's `model` section; throws ConfigError naming a bad or unknown key.
  static LinearModelParams from_config(const config::Node& model_section);
};

class LinearModel final : public Model {
 public:
  LinearModel() = default;
  LinearModel(const LinearModel&) = delete;  // rows_ may point into its own weights_
  LinearModel& operator=(const LinearModel&) = delete;

  std::string family() const override { return "linear"; }
  std::size_t label_count() const override { return label_count_; }

  void initialize(const LabeledDocuments& train, const config::Node& params, bool multi_label,
                  std::uint64_t seed) override;
  void initialize(const LabeledDocuments& train, const LinearModelParams& params, bool multi_label,
                  std::uint64_t seed);
  double train_epoch(const LabeledDocuments& train, const EpochContext& context) override;
  void predict(std::span<const Document> documents, std::span<float> probabilities) const override;

  void save(BinaryWriter& out) const override;
  void load(BinaryReader& in) override;
  std::string describe() const override;

  const LinearModelParams& params() const { return params_; }
  bool multi_label() const { return multi_label_; }

 private:
  // Rows start on cache lines; the 600 MB weight matrix sits on huge pages (fewer TLB misses when
  // scoring, and loading faults it in 2 MiB at a time instead of 4 KiB).
  using AlignedFloats = std::vector<float, HugePageAllocator<float>>;

  // The training documents' features, computed once and reused by every epoch on the same documents.
  struct FeatureCache {
    const Document* documents = nullptr;
    std::size_t count = 0;
    std::vector<std::uint64_t> offsets;  // count + 1
    std::vector<std::uint32_t> indices;
    std::vector<float> values;
  };

  void allocate_parameters();
  void ensure_feature_cache(const LabeledDocuments& train, unsigned threads);
  void own_weights();

  LinearModelParams params_;
  bool multi_label_ = true;
  std::uint64_t seed_ = 42;
  std::size_t label_count_ = 0;
  std::size_t stride_ = 0;  // floats per weight row: label_count_ rounded up to whole cache lines
  TfidfFeatures features_;
  // The weight matrix, feature_count x stride_, is read through rows_: either weights_ (trained here or
  // copied) or the bytes of a mapped model file kept alive by rows_owner_ (loading then copies nothing).
  // Training makes it weights_ first.
  AlignedFloats weights_;
  const float* rows_ = nullptr;
  std::shared_ptr<const void> rows_owner_;
  AlignedFloats bias_;  // stride_
  FeatureCache cache_;
};

}  // namespace arxivc::model
