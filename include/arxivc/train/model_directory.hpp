#pragma once

// The output of `arxivc train`: a model directory.
//   model.bin           the versioned model file (magic, format version, checksum) whose metadata holds
//                       the label list, thresholds, text settings, dataset hash and validation summary
//   labels.json         the label list with names, archives and groups
//   featurisation.json  the model's featurisation and hyper-parameters
//   config.yaml         the composed configuration of the training run
//   metrics.json        validation metrics of the best epoch (with tuned thresholds)
//   training_log.jsonl  one line per epoch
//   checkpoints/        one model file per epoch, for --resume
// model.bin is byte-identical for the same dataset, configuration and seed (no timestamps inside).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arxivc/inference/classifier.hpp"
#include "arxivc/train/trainer.hpp"

namespace arxivc::train {

struct ModelDirectoryContents {
  std::string name;        // experiment name, e.g. "tfidf_linear"
  std::string label_mode;  // primary | all | archive
  std::vector<inference::LabelInfo> labels;
  nlohmann::json text;     // text settings applied to raw input (e.g. {"latex": "keep"})
  nlohmann::json dataset;  // {"content_hash", "path", "source": {...}}
  std::string config_yaml;
};

// Writes every file above into `dir` (files atomically; the checkpoints stay where the trainer put them).
void write_model_directory(const std::filesystem::path& dir, const TrainingOutcome& outcome,
                           const ModelDirectoryContents& contents);

// Label information for codes, from the taxonomy (categories) or its archives (archive mode).
std::vector<inference::LabelInfo> label_infos(const std::vector<std::string>& codes,
                                              const std::string& label_mode);

}  // namespace arxivc::train
