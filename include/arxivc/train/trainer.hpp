#pragma once

// The generic training loop shared by every model family: epochs with progress, validation after each
// epoch, early stopping on a validation metric, a checkpoint per epoch, resume from the last
// checkpoint, and decision thresholds tuned on validation for the best epoch's model.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arxivc/eval/metrics.hpp"
#include "arxivc/eval/thresholds.hpp"
#include "arxivc/model/model.hpp"
#include "arxivc/train/progress.hpp"

namespace arxivc::train {

struct TrainerOptions {
  int epochs = 5;
  int patience = 2;                 // epochs without improvement before stopping; 0 = never stop early
  std::string metric = "micro_f1";  // micro_f1 | primary_accuracy | samples_f1
  unsigned threads = 0;             // 0 = all cores
  std::uint64_t seed = 42;
  bool multi_label = true;
  bool per_label_thresholds = true;         // otherwise one global threshold
  std::filesystem::path checkpoint_dir;     // empty: no checkpoints
  bool resume = false;                      // continue from checkpoint_dir's last checkpoint
  std::vector<std::string> label_archives;  // per label, for archive-level accuracy
  // What the run is: {"experiment", "family", "dataset": {"content_hash", "path"}, "labels"}. Stored in
  // every checkpoint; resuming from a checkpoint of another identity is refused, naming the difference.
  nlohmann::json identity = nlohmann::json::object();
};

struct EpochRecord {
  int epoch = 0;  // 1-based
  double train_loss = 0.0;
  double validation_metric = 0.0;
  double micro_f1 = 0.0;  // with the global threshold tuned on validation
  double primary_accuracy = 0.0;
  double seconds = 0.0;
  double papers_per_second = 0.0;
  std::uint64_t resident_bytes = 0;
};

nlohmann::json to_json(const EpochRecord& record);
EpochRecord epoch_record_from_json(const nlohmann::json& json);

struct TrainingOutcome {
  std::unique_ptr<model::Model> model;  // the best epoch's model
  std::vector<EpochRecord> history;
  int best_epoch = 0;                 // 1-based
  eval::ThresholdTuning thresholds;   // tuned on validation for the best model
  eval::EvaluationResult validation;  // the best model on validation, with the tuned thresholds
  bool stopped_early = false;
};

// `model` must be initialize()d (or, with resume, is replaced by the last checkpoint).
// Throws arxivc::Error on a damaged checkpoint, UsageError for an unknown metric.
TrainingOutcome fit(std::unique_ptr<model::Model> model, const model::LabeledDocuments& train,
                    const model::LabeledDocuments& validation, const TrainerOptions& options,
                    ProgressReporter& progress);

// Validation metrics of a model's probabilities (with thresholds), as used after each epoch.
eval::EvaluationResult evaluate_probabilities(std::span<const float> probabilities,
                                              const model::LabeledDocuments& data,
                                              const eval::Thresholds& thresholds,
                                              const std::vector<std::string>& label_archives);

}  // namespace arxivc::train
