#pragma once

#include <filesystem>

#include "arxivc/config/config.hpp"

namespace arxivc::app {

struct TrainJobResult {
  std::filesystem::path model_dir;
  std::filesystem::path model_card;
};

// `arxivc train`: resolves the dataset (preparing raw metadata when needed), trains the configured
// experiment with early stopping, checkpoints and threshold tuning, writes the model directory and the
// model card with its figures under reports/.
TrainJobResult run_train(const config::Config& config);

}  // namespace arxivc::app
