#include "arxivc/serve/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arxivc::serve {
namespace {

// Label values escape backslash, double quote and line feed.
std::string label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value) {
  const auto bucket =
      static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
  std::string prefix(labels);
  if (!prefix.empty()) prefix += ',';
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    fmt::format_to(std::back_inserter(out), "{}_bucket{{{}le=\"{}\"}} {}\n", name, prefix, bounds_[i],
                   cumulative);
  }
  cumulative += buckets_[bounds_.size()].load(std::memory_order_relaxed);
  fmt::format_to(std::back_inserter(out), "{}_bucket{{{}le=\"+Inf\"}} {}\n", name, prefix, cumulative);
  std::string braces;
  if (!labels.empty()) fmt::format_to(std::back_inserter(braces), "{{{}}}", labels);
  fmt::format_to(std::back_inserter(out), "{}_sum{} {}\n{}_count{} {}\n", name, braces,
                 sum_.load(std::memory_order_relaxed), name, braces, cumulative);
}

std::vector<double> latency_buckets() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,    0.1,    0.25,    0.5,    1,     2.5,    5,     10};
}

Metrics::Metrics(std::vector<std::string> route_labels)
    : route_labels_(std::move(route_labels)),
      queue_wait_(latency_buckets()),
      inference_(latency_buckets()),
      batch_size_({1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}) {
  route_labels_.push_back("unmatched");
  for (std::size_t i = 0; i < route_labels_.size(); ++i) {
    durations_.push_back(std::make_unique<Histogram>(latency_buckets()));
  }
}

namespace {

// The method as a label: HTTP's standard methods, and "other" for any token a client makes up, so that
// clients cannot grow the set of series (and /metrics) without bound.
std::string_view method_label(std::string_view method) {
  for (const std::string_view known : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

}  // namespace

void Metrics::request_finished(std::size_t route, std::string_view method, int status, double seconds) {
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  route = std::min(route, unmatched_route());
  durations_[route]->observe(seconds);
  const std::string_view label = method_label(method);
  std::lock_guard lock(mutex_);
  ++requests_[{route, std::string(label), status}];
}

void Metrics::model_reloaded(bool ok) {
  (ok ? reloads_ok_ : reloads_failed_).fetch_add(1, std::memory_order_relaxed);
}

void Metrics::set_model_info(std::string name, std::string version, std::string trained_on) {
  auto labels = fmt::format("name=\"{}\",version=\"{}\",trained_on=\"{}\"", label_value(name),
                            label_value(version), label_value(trained_on));
  std::lock_guard lock(mutex_);
  model_info_labels_ = std::move(labels);
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(16384);
  header(out, "arxivc_http_requests_total", "counter",
         "HTTP requests answered, by route, method and status.");
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, count] : requests_) {
      const auto& [route, method, status] = key;
      fmt::format_to(std::back_inserter(out),
                     "arxivc_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                     label_value(route_labels_[route]), label_value(method), status, count);
    }
  }
  header(out, "arxivc_http_request_duration_seconds", "histogram",
         "Time from a complete request to its response, by route.");
  for (std::size_t i = 0; i < route_labels_.size(); ++i) {
    if (durations_[i]->count() == 0) continue;
    durations_[i]->render(out, "arxivc_http_request_duration_seconds",
                          fmt::format("route=\"{}\"", label_value(route_labels_[i])));
  }
  header(out, "arxivc_queue_wait_seconds", "histogram",
         "Time a prediction request waited for an inference worker.");
  queue_wait_.render(out, "arxivc_queue_wait_seconds", "");
  header(out, "arxivc_inference_seconds", "histogram", "Time to score one batch of papers.");
  inference_.render(out, "arxivc_inference_seconds", "");
  header(out, "arxivc_batch_size", "histogram", "Papers scored together in one batch by a worker.");
  batch_size_.render(out, "arxivc_batch_size", "");
  header(out, "arxivc_http_in_flight_requests", "gauge", "Requests received and not yet answered.");
  fmt::format_to(std::back_inserter(out), "arxivc_http_in_flight_requests {}\n", in_flight());
  header(out, "arxivc_model_info", "gauge", "The model being served.");
  {
    std::lock_guard lock(mutex_);
    fmt::format_to(std::back_inserter(out), "arxivc_model_info{{{}}} 1\n", model_info_labels_);
  }
  header(out, "arxivc_model_reloads_total", "counter", "Model reloads by result.");
  fmt::format_to(std::back_inserter(out), "arxivc_model_reloads_total{{result=\"success\"}} {}\n",
                 reloads_ok_.load(std::memory_order_relaxed));
  fmt::format_to(std::back_inserter(out), "arxivc_model_reloads_total{{result=\"failure\"}} {}\n",
                 reloads_failed_.load(std::memory_order_relaxed));
  return out;
}

}  // namespace arxivc::serve
