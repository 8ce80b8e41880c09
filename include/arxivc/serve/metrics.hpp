#pragma once

// The service's Prometheus metrics, kept in atomics on the request path and rendered in the text
// exposition format (version 0.0.4) by GET /metrics.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace arxivc::serve {

// A cumulative histogram with fixed upper bounds (the +Inf bucket is implicit).
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);
  // Appends the _bucket, _sum and _count series of `name`; `labels` is "" or `key="value",...`.
  void render(std::string& out, std::string_view name, std::string_view labels) const;
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bound, not cumulative; last = +Inf
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

// Bounds for latencies in seconds, 50 us to 10 s.
std::vector<double> latency_buckets();

class Metrics {
 public:
  // One duration histogram per route label; requests that match no route count as "unmatched".
  explicit Metrics(std::vector<std::string> route_labels);

  std::size_t unmatched_route() const { return route_labels_.size() - 1; }

  void request_started() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void request_finished(std::size_t route, std::string_view method, int status, double seconds);
  void observe_queue_wait(double seconds) { queue_wait_.observe(seconds); }
  void observe_inference(double seconds) { inference_.observe(seconds); }
  void observe_batch_size(std::size_t papers) { batch_size_.observe(static_cast<double>(papers)); }
  void model_reloaded(bool ok);
  void set_model_info(std::string name, std::string version, std::string trained_on);

  std::int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  std::string render() const;

 private:
  std::vector<std::string> route_labels_;
  std::vector<std::unique_ptr<Histogram>> durations_;  // per route
  Histogram queue_wait_;
  Histogram inference_;
  Histogram batch_size_;
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::uint64_t> reloads_ok_{0};
  std::atomic<std::uint64_t> reloads_failed_{0};

  mutable std::mutex mutex_;  // guards the two members below
  std::map<std::tuple<std::size_t, std::string, int>, std::uint64_t> requests_;
  std::string model_info_labels_;
};

}  // namespace arxivc::serve
