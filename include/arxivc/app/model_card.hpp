#pragma once

#include <filesystem>

#include "arxivc/config/config.hpp"
#include "arxivc/dataset/dataset.hpp"
#include "arxivc/train/trainer.hpp"

namespace arxivc::app {

// Writes <dir>/model_card.md with its figures in <dir>/figures/ (category distribution of the training
// data, training and validation curves, per-category F1, confusion heatmap, reliability diagram): what
// the model is, its data, configuration (secrets redacted), validation metrics and limits. `model_dir` is
// the model directory the card describes, as named in the text. Returns the card's path.
std::filesystem::path write_model_card(const config::Config& config, const std::filesystem::path& dir,
                                       const std::filesystem::path& model_dir, const dataset::Dataset& data,
                                       const train::TrainingOutcome& outcome);

// What every report says about the data: the known biases of the shared arXiv metadata.
const char* known_data_biases();

}  // namespace arxivc::app
