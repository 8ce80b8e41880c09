#pragma once

// Request bodies of the prediction endpoints, parsed and checked at the edge into native structs: no
// JSON goes further in. A refused body becomes a Problem response naming the field and what is wrong.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/inference/classifier.hpp"
#include "arxivc/serve/http_message.hpp"
#include "arxivc/serve/inference_pool.hpp"

namespace arxivc::serve {

struct RequestLimits {
  std::size_t label_count = 1;  // top_k may be 1..label_count
  std::size_t max_batch = 256;  // papers per batch request
};

inline constexpr std::size_t default_top_k = 5;

// POST /v1/predict: {"title", "abstract", "top_k", "threshold"}.
struct PredictRequest {
  PaperText paper;
  inference::PredictOptions options;
};

// POST /v1/predict/batch: {"papers": [{"id", "title", "abstract"}, ...], "top_k", "threshold"}.
struct BatchRequest {
  std::vector<PaperText> papers;
  std::vector<std::string> ids;  // each paper's id as JSON text, echoed in the answer ("null" when absent)
  inference::PredictOptions options;
};

// Either the parsed request or the error response to send.
template <typename T>
struct Parsed {
  std::optional<T> value;
  HttpResponse error;
};

// Whether a Content-Type names JSON: application/json or application/<x>+json, parameters allowed.
bool is_json_content_type(std::string_view content_type);

Parsed<PredictRequest> parse_predict_request(std::string_view body, const RequestLimits& limits);
Parsed<BatchRequest> parse_batch_request(std::string_view body, const RequestLimits& limits);

}  // namespace arxivc::serve
