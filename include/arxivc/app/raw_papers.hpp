#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "arxivc/ingest/reader.hpp"
#include "arxivc/prepare/prepare.hpp"

namespace arxivc::app {

// Raw metadata read for inference or evaluation: title and abstract normalised exactly as the model's
// training data was (the model's text settings), categories normalised through the taxonomy.
struct RawPaper {
  std::string id;
  std::string title;
  std::string abstract;
  std::vector<std::string> categories;  // canonical codes, primary first
  std::vector<std::string> unknown_categories;
  std::uint64_t line = 0;
};

// What a model directory says about how its input text was normalised.
prepare::LatexMode latex_mode_of_model(const nlohmann::json& model_card);

// A paper's title and abstract normalised, in place, as the model's training text was: what every
// inference path (predict, evaluate, serve) does to its input.
void normalize_for_model(std::string& title, std::string& abstract, prepare::LatexMode latex);

// Streams the papers of a file (or "-" for standard input) to `on_batch` in input order, and each bad
// line to `on_skipped` at its place in that order. `require_categories`: false for prediction, where
// papers need no `categories` field.
ingest::ReadStats read_raw_papers(const std::filesystem::path& input, prepare::LatexMode latex,
                                  unsigned threads, bool require_categories,
                                  const std::function<void(std::vector<RawPaper>&&)>& on_batch,
                                  const std::function<void(const ingest::SkippedLine&)>& on_skipped);

}  // namespace arxivc::app
