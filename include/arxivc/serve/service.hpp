#pragma once

// The inference service without its network layer: routes a request to its handler, checks the API key,
// answers errors as Problem JSON, counts every request in the metrics and writes its access-log line.
// Handlers never throw; prediction requests go through the inference pool and are answered from a
// worker thread.

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "arxivc/serve/access_log.hpp"
#include "arxivc/serve/endpoints.hpp"
#include "arxivc/serve/http_message.hpp"
#include "arxivc/serve/inference_pool.hpp"
#include "arxivc/serve/metrics.hpp"
#include "arxivc/serve/model_holder.hpp"
#include "arxivc/serve/router.hpp"
#include "arxivc/serve/serve_options.hpp"
#include "arxivc/serve/static_files.hpp"

namespace arxivc::serve {

class Service {
 public:
  // Loads the model; throws arxivc::Error when it cannot be served.
  explicit Service(ServeOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Answers one request: `respond` is called exactly once, on this thread or an inference worker.
  void handle(HttpRequest&& request, Respond respond);
  // Answers a request the network layer refused before it was complete (e.g. 413 for an oversized body),
  // counted and logged like any other.
  void refuse(HttpRequest&& request, HttpResponse&& response, Respond respond);

  // Loads the model directory again in the background; the result is logged and counted, then `done`
  // (if any) is called on the reload thread.
  void reload(std::function<void(const ReloadResult&)> done = {});

  // /ready answers 503 from now on (the process is shutting down).
  void begin_shutdown() { shutting_down_.store(true, std::memory_order_relaxed); }
  // Finishes the queued predictions and reloads, then stops the inference workers and the reload thread.
  void stop();

  const ServeOptions& options() const { return options_; }
  const Router& router() const { return router_; }
  const Metrics& metrics() const { return metrics_; }
  std::shared_ptr<const ServedModel> model() const { return models_.current(); }

 private:
  RouteMatch match_route(const HttpRequest& request) const;
  std::size_t route_of(const RouteMatch& match) const;  // the route a request counts under in metrics
  Respond finishing(const HttpRequest& request, std::size_t route, Respond respond);
  void dispatch(Endpoint endpoint, HttpRequest& request, std::string_view rest, Respond& respond);
  void predict(HttpRequest& request, Respond& respond);
  void predict_batch(HttpRequest& request, Respond& respond);
  void admin_reload(Respond& respond);
  HttpResponse ready() const;
  std::string request_id(const std::string& offered);

  ServeOptions options_;
  ModelHolder models_;
  std::vector<std::string> route_labels_;
  Metrics metrics_;
  AccessLog access_log_;
  InferencePool pool_;
  StaticFiles web_files_;
  StaticFiles static_files_;
  StaticFiles vendor_files_;
  Router router_;
  std::atomic<bool> shutting_down_{false};
  std::string request_id_prefix_;
  std::atomic<std::uint64_t> request_counter_{0};
};

}  // namespace arxivc::serve
