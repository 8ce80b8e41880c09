#pragma once

#include <span>
#include <vector>

#include "arxivc/model/model.hpp"

namespace arxivc::inference {

// Scores documents on `threads` threads (0 = all cores) in chunks; returns the N x label_count
// probability matrix, row-major. The model is shared (predict is const and thread-safe).
std::vector<float> score_documents(const model::Model& model, std::span<const model::Document> documents,
                                   unsigned threads = 0);

}  // namespace arxivc::inference
