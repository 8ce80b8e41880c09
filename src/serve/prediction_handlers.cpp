// POST /v1/predict and POST /v1/predict/batch: parse at the edge, score on the inference pool, format
// the answer on the worker that scored it.

#include <fmt/format.h>

#include "arxivc/serve/api_requests.hpp"
#include "arxivc/serve/json_text.hpp"
#include "arxivc/serve/problem.hpp"
#include "arxivc/serve/service.hpp"

namespace arxivc::serve {
namespace {

// "predicted":[...],"categories":[...]
void append_prediction(std::string& out, const ServedModel& model, const inference::Prediction& prediction) {
  out += "\"predicted\":[";
  for (std::size_t i = 0; i < prediction.predicted.size(); ++i) {
    if (i > 0) out += ',';
    out += model.code_json[prediction.predicted[i]];
  }
  out += "],\"categories\":[";
  for (std::size_t i = 0; i < prediction.top.size(); ++i) {
    if (i > 0) out += ',';
    out += model.label_json[prediction.top[i].label];
    out += ",\"probability\":";
    append_json_number(out, prediction.top[i].probability);
    out += '}';
  }
  out += ']';
}

HttpResponse queue_full() {
  auto response = problem(503, "the inference queue is full; retry after a second");
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

HttpResponse shutting_down() {
  auto response = problem(503, "the service is shutting down");
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

HttpResponse inference_failed() {
  return problem(500, "internal error while scoring; the service log has details");
}

std::optional<HttpResponse> check_json_content_type(const HttpRequest& request) {
  if (is_json_content_type(request.content_type)) return std::nullopt;
  return problem(
      415, request.content_type.empty()
               ? "the request has no Content-Type; send the JSON body as application/json"
               : fmt::format("Content-Type '{}' is not JSON; send application/json", request.content_type));
}

RequestLimits limits_for(const ServedModel& model, const ServeOptions& options) {
  return {model.label_count(), options.max_batch};
}

}  // namespace

// Answers the client from the outcome; `format` writes the body of a scored task.
template <typename Format>
std::function<void(const InferenceOutcome&)> answer(Respond respond, Format format) {
  return [respond = std::move(respond), format = std::move(format)](const InferenceOutcome& outcome) {
    switch (outcome.status) {
      case InferenceOutcome::Status::queue_full:
        return respond(queue_full());
      case InferenceOutcome::Status::stopping:
        return respond(shutting_down());
      case InferenceOutcome::Status::failed:
        return respond(inference_failed());
      case InferenceOutcome::Status::scored:
        break;
    }
    HttpResponse response;
    format(response.body, outcome);
    respond(std::move(response));
  };
}

void Service::predict(HttpRequest& request, Respond& respond) {
  if (auto refused = check_json_content_type(request)) return respond(std::move(*refused));
  auto parsed = parse_predict_request(request.body, limits_for(*models_.current(), options_));
  if (!parsed.value) return respond(std::move(parsed.error));
  InferenceTask task;
  task.papers.push_back(std::move(parsed.value->paper));
  task.options = parsed.value->options;
  task.done = answer(std::move(respond), [](std::string& body, const InferenceOutcome& outcome) {
    body.reserve(256 + 160 * outcome.predictions[0].top.size());
    body += '{';
    append_prediction(body, *outcome.model, outcome.predictions[0]);
    body += ",\"model\":";
    body += outcome.model->model_json;
    body += '}';
  });
  pool_.submit(std::move(task));
}

void Service::predict_batch(HttpRequest& request, Respond& respond) {
  if (auto refused = check_json_content_type(request)) return respond(std::move(*refused));
  auto parsed = parse_batch_request(request.body, limits_for(*models_.current(), options_));
  if (!parsed.value) return respond(std::move(parsed.error));
  InferenceTask task;
  task.papers = std::move(parsed.value->papers);
  task.options = parsed.value->options;
  task.done = answer(std::move(respond), [ids = std::move(parsed.value->ids)](
                                             std::string& body, const InferenceOutcome& outcome) {
    body.reserve(64 + ids.size() *
                          (64 + 160 * (outcome.predictions.empty() ? 1 : outcome.predictions[0].top.size())));
    body += "{\"results\":[";
    for (std::size_t i = 0; i < outcome.predictions.size(); ++i) {
      if (i > 0) body += ',';
      body += "{\"id\":";
      body += ids[i];
      body += ',';
      append_prediction(body, *outcome.model, outcome.predictions[i]);
      body += '}';
    }
    body += "],\"model\":";
    body += outcome.model->model_json;
    body += '}';
  });
  pool_.submit(std::move(task));
}

}  // namespace arxivc::serve
