#pragma once

#include <filesystem>

#include "arxivc/config/config.hpp"

namespace arxivc::app {

struct TrainJobResult {
  std::filesystem::path model_dir;
  std::filesystem::path model_card;
};

// `arxivc train`: resolves the dataset (preparing raw metadata when needed), trains the configured
// experiment with early stopping, checkpoints and threshold tuning, and writes the model directory with
// its model card and figures (figures/). The directory is built beside the output and replaces it in one
// step (train::StagingDirectory); an output that is not an earlier model directory is refused unless
// training.force, and so is one that is, contains or lies inside the input. The card and figures are
// copied into `run_dir` when given.
TrainJobResult run_train(const config::Config& config, const std::filesystem::path& run_dir = {});

}  // namespace arxivc::app
