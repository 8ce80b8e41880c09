#pragma once

// A trained model directory loaded for inference: the model, its label space (with names from the
// taxonomy), its tuned decision thresholds and its card. Immutable once loaded: one instance serves
// any number of threads (predict, evaluate, serve).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arxivc/eval/thresholds.hpp"
#include "arxivc/model/model.hpp"

namespace arxivc::inference {

struct LabelInfo {
  std::string code;     // canonical category code ("cs.LG"), or an archive code in archive mode ("cs")
  std::string name;     // "Machine Learning"
  std::string archive;  // "cs"
  std::string group;    // "Computer Science"
};

struct ScoredLabel {
  std::uint32_t label = 0;
  float probability = 0.0f;
};

struct Prediction {
  std::vector<std::uint32_t> predicted;  // the multi-label decision, primary guess first (never empty)
  std::vector<ScoredLabel> top;          // the top_k labels by probability, highest first
};

struct PredictOptions {
  std::size_t top_k = 10;
  // A global threshold replacing the tuned ones (the API's "threshold" field); nullopt = tuned thresholds.
  std::optional<float> threshold;
};

class Classifier {
 public:
  // Loads and checks a model directory (model file magic/version/checksum, labels, thresholds).
  // Throws arxivc::Error naming the file and what is wrong.
  static std::shared_ptr<const Classifier> load(const std::filesystem::path& model_dir);

  const std::vector<LabelInfo>& labels() const { return labels_; }
  const nlohmann::json& card() const { return card_; }  // name, version, experiment, dataset, metrics
  std::string name() const;
  std::string version() const;
  std::string trained_on() const;  // the training dataset's content hash
  const model::Model& model() const { return *model_; }

  // Scores and decides for a batch; thread-safe.
  std::vector<Prediction> predict(std::span<const model::Document> documents,
                                  const PredictOptions& options) const;

  Classifier(std::unique_ptr<model::Model> model, std::vector<LabelInfo> labels, eval::Thresholds thresholds,
             nlohmann::json card);

 private:
  std::unique_ptr<model::Model> model_;
  std::vector<LabelInfo> labels_;
  eval::Thresholds thresholds_;  // tuned on validation
  nlohmann::json card_;
};

}  // namespace arxivc::inference
