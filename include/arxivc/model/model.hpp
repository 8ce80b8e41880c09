#pragma once

// The model interface every family implements (sparse linear, fastText-style, later transformer
// encoders). A model owns its featurisation, trains epoch by epoch on labeled documents, scores batches
// of documents (const, shared by many threads), and saves/loads its parameters.
// The generic training loop (early stopping, checkpoints, resume, thresholds) lives outside the model.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/config/config.hpp"
#include "arxivc/core/binary_io.hpp"

namespace arxivc::model {

struct Document {
  std::string_view title;
  std::string_view abstract;
};

// Training examples; labels[i] indexes into [0, label_count), primary label first.
struct LabeledDocuments {
  std::vector<Document> documents;
  std::vector<std::span<const std::uint32_t>> labels;
  std::size_t label_count = 0;
};

struct EpochContext {
  int epoch = 0;  // 0-based
  int total_epochs = 1;
  std::uint64_t seed = 42;
  unsigned threads = 1;
  bool multi_label = true;  // false: single label (softmax-like objective allowed)
  // Called from time to time with the fraction of the epoch done and the running mean loss.
  std::function<void(double fraction, double loss, double learning_rate)> on_progress;
};

class Model {
 public:
  virtual ~Model() = default;

  // Registry name stored in the model file ("linear", "fasttext").
  virtual std::string family() const = 0;
  virtual std::size_t label_count() const = 0;

  // Builds featurisation (vocabulary, document frequencies) from the training documents and allocates
  // parameters. `params` is the experiment's `model` section; unknown keys are a ConfigError.
  virtual void initialize(const LabeledDocuments& train, const config::Node& params, bool multi_label,
                          std::uint64_t seed) = 0;
  // One pass over the training data; returns the mean training loss. Deterministic for a given seed,
  // epoch and thread count.
  virtual double train_epoch(const LabeledDocuments& train, const EpochContext& context) = 0;

  // Probabilities, row-major: probabilities[d * label_count() + l]. Thread-safe (const, no shared
  // mutable state): many threads may call it at once on one model.
  virtual void predict(std::span<const Document> documents, std::span<float> probabilities) const = 0;

  virtual void save(BinaryWriter& out) const = 0;
  virtual void load(BinaryReader& in) = 0;
  // Featurisation and hyper-parameters as JSON text, for the model directory and the model card.
  virtual std::string describe() const = 0;
};

// Creates an empty model of a family by name; throws ConfigError naming the known families.
std::unique_ptr<Model> create_model(std::string_view family);
std::vector<std::string> model_families();

}  // namespace arxivc::model
