#pragma once

// A model directory as the service serves it: the classifier plus every response fragment that depends
// only on the model (label objects, the model card, the category list), built once at load time so a
// request formats no more than its own probabilities.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "arxivc/inference/classifier.hpp"
#include "arxivc/prepare/prepare.hpp"

namespace arxivc::serve {

struct ServedModel {
  std::shared_ptr<const inference::Classifier> classifier;
  prepare::LatexMode latex = prepare::LatexMode::keep;  // how the training text was normalised
  std::vector<std::string> code_json;                   // per label: "\"cs.LG\""
  std::vector<std::string> label_json;  // per label: {"code":...,"name":...,"archive":...,"group":... (open)
  std::string model_json;               // {"name":...,"version":...,"trained_on":...}
  std::string categories_body;          // GET /v1/categories
  std::string card_body;                // GET /v1/model

  std::size_t label_count() const { return code_json.size(); }
};

// Loads and checks a model directory; throws arxivc::Error naming what is wrong.
std::shared_ptr<const ServedModel> load_served_model(const std::filesystem::path& directory);

}  // namespace arxivc::serve
