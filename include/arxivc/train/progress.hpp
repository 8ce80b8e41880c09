#pragma once

// Training progress for people: on a terminal, a single redrawn line with epoch, papers/s, ETA, loss,
// learning rate, last validation metric, resident memory and CPU use; elsewhere (logs, CI), plain log
// lines at most every few seconds.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "arxivc/core/resource_usage.hpp"

namespace arxivc::train {

class ProgressReporter {
 public:
  // `terminal`: draw a bar on `out` (normally isatty(stderr)); otherwise write log lines.
  ProgressReporter(bool terminal, std::FILE* out = stderr);

  void begin_epoch(int epoch, int total_epochs, std::uint64_t papers);
  // fraction of the epoch done in [0,1]; throttled, cheap to call often.
  void update(double fraction, double loss, double learning_rate);
  void end_epoch(double loss, std::optional<double> validation_metric, const std::string& metric_name);

  // The line the bar would show now (for tests and logs).
  std::string status_line(double fraction, double loss, double learning_rate);

 private:
  bool terminal_;
  std::FILE* out_;
  int epoch_ = 0;
  int total_epochs_ = 1;
  std::uint64_t papers_ = 0;
  std::optional<double> last_validation_;
  std::string metric_name_;
  std::chrono::steady_clock::time_point epoch_start_;
  std::chrono::steady_clock::time_point last_draw_;
  CpuMeter cpu_;
  double cpu_percent_ = 0.0;
};

}  // namespace arxivc::train
