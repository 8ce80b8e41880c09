#pragma once

// The "fasttext" model family: fastText's supervised classifier (Joulin et al., "Bag of Tricks for
// Efficient Text Classification", 2017). A document is the average of the embeddings of its words
// (a vocabulary of words seen at least min_count times) and, with word_ngrams: 2, of its word bigrams
// hashed into `buckets` rows; a linear layer (weights and a bias per label) scores the average.
// Title and abstract are tokenised apart with the shared tokenizer (no bigram spans them).
// - loss ova: one sigmoid per label (multi-label; a single-label run trains the primary label only);
// - loss softmax: one distribution over labels (its target: the primary label in a single-label run,
//   the document's labels in equal shares in a multi-label run). Unset: ova when multi-label.
// SGD on one example at a time; the learning rate decays linearly to 0 over the run's total epochs.
//
// Training is single-threaded, so a model depends on data, parameters and seed only (fastText's
// Hogwild threads race on shared rows, which makes its models differ from run to run). A helper
// thread tokenises the next examples meanwhile; predict() is const and may run on many threads.
//
// Keys of the experiment's `model` section (all optional; defaults in FastTextParams):
//   dim: 1..1024        buckets: 1..100000000     word_ngrams: 1 | 2    min_count: >= 1
//   loss: ova | softmax learning_rate: > 0 (initial)
// `family` is accepted and ignored (it names this family). Any other key is a ConfigError.
// Memory: (vocabulary + buckets) x dim x 4 bytes of embeddings, e.g. 1M buckets at dim 100 = 400 MB.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arxivc/core/huge_page_allocator.hpp"
#include "arxivc/model/model.hpp"
#include "arxivc/model/word_vocabulary.hpp"
#include "arxivc/text/tokenizer.hpp"

namespace arxivc::model {

enum class FastTextLoss : std::uint8_t { ova = 0, softmax = 1 };

struct FastTextParams {
  std::size_t dim = 100;
  std::size_t buckets = 1'000'000;
  int word_ngrams = 2;
  std::uint32_t min_count = 2;
  std::optional<FastTextLoss> loss;  // unset: ova for multi-label runs, softmax for single-label ones
  double learning_rate = 0.5;

  // Reads the experiment's `model` section; throws ConfigError naming a bad or unknown key.
  static FastTextParams from_config(const config::Node& model_section);
};

class FastTextModel final : public Model {
 public:
  std::string family() const override { return "fasttext"; }
  std::size_t label_count() const override { return label_count_; }

  void initialize(const LabeledDocuments& train, const config::Node& params, bool multi_label,
                  std::uint64_t seed) override;
  void initialize(const LabeledDocuments& train, const FastTextParams& params, bool multi_label,
                  std::uint64_t seed);
  double train_epoch(const LabeledDocuments& train, const EpochContext& context) override;
  void predict(std::span<const Document> documents, std::span<float> probabilities) const override;

  void save(BinaryWriter& out) const override;
  void load(BinaryReader& in) override;
  std::string describe() const override;

  const FastTextParams& params() const { return params_; }
  FastTextLoss loss() const { return loss_; }
  std::size_t vocabulary_size() const { return vocabulary_.size(); }

 private:
  // The embedding rows of consecutive documents: document i has rows[offsets[i] .. offsets[i + 1]).
  struct RowBlock {
    std::vector<std::size_t> offsets;
    std::vector<std::uint32_t> rows;
  };

  std::size_t bucket_rows() const { return params_.word_ngrams >= 2 ? params_.buckets : 0; }
  std::size_t embedding_rows() const { return vocabulary_.size() + bucket_rows(); }
  // Appends the embedding rows of a document's words and bigrams, in text order (repeats included).
  // `scratch` is the tokenizer's buffer.
  void append_document_rows(const Document& document, std::string& scratch,
                            std::vector<std::uint32_t>& rows) const;
  // hidden = mean of the rows' embeddings (zero when there are none).
  void average_embedding(std::span<const std::uint32_t> rows, float* hidden) const;
  // scores[l] = bias[l] + output row l . hidden
  void label_scores(const float* hidden, float* scores) const;
  void check_labels(const LabeledDocuments& data) const;

  FastTextParams params_;
  FastTextLoss loss_ = FastTextLoss::ova;
  bool multi_label_ = true;
  std::uint64_t seed_ = 42;
  std::size_t label_count_ = 0;
  text::TokenizerOptions tokenizer_options_;
  WordVocabulary vocabulary_;
  std::vector<float, HugePageAllocator<float>> input_;  // embedding_rows() x dim: words, then buckets
  std::vector<float> output_;                           // label_count_ x dim
  std::vector<float> bias_;                             // label_count_
};

}  // namespace arxivc::model
