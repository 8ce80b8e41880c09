#include "arxivc/train/progress.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace arxivc::train {
namespace {

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 360000) return "--:--";
  const auto s = static_cast<long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

}  // namespace

ProgressReporter::ProgressReporter(bool terminal, std::FILE* out) : terminal_(terminal), out_(out) {}

void ProgressReporter::begin_epoch(int epoch, int total_epochs, std::uint64_t papers) {
  epoch_ = epoch;
  total_epochs_ = total_epochs;
  papers_ = papers;
  epoch_start_ = std::chrono::steady_clock::now();
  last_draw_ = epoch_start_;
  cpu_.sample();
}

std::string ProgressReporter::status_line(double fraction, double loss, double learning_rate) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start_).count();
  const double rate = elapsed > 0 ? fraction * static_cast<double>(papers_) / elapsed : 0.0;
  const double eta = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : -1.0;
  std::string validation =
      last_validation_ ? fmt::format(" | val {} {:.4f}", metric_name_, *last_validation_) : std::string();
  return fmt::format(
      "epoch {}/{} {:5.1f}% | {:.0f} papers/s | ETA {} | loss {:.4f} | lr {:.3g}{} | RSS {:.0f} MB | CPU "
      "{:.0f}%",
      epoch_ + 1, total_epochs_, 100.0 * fraction, rate, format_duration(eta), loss, learning_rate,
      validation, static_cast<double>(resident_memory_bytes()) / 1e6, cpu_percent_);
}

void ProgressReporter::update(double fraction, double loss, double learning_rate) {
  const auto now = std::chrono::steady_clock::now();
  const double since_draw = std::chrono::duration<double>(now - last_draw_).count();
  if (since_draw < (terminal_ ? 0.2 : 5.0)) return;
  last_draw_ = now;
  cpu_percent_ = cpu_.sample();
  const auto line = status_line(fraction, loss, learning_rate);
  if (terminal_) {
    const int width = 30;
    const int filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * width);
    fmt::print(out_, "\r\033[K[{}{}] {}", std::string(static_cast<size_t>(filled), '#'),
               std::string(static_cast<size_t>(width - filled), '.'), line);
    std::fflush(out_);
  } else {
    spdlog::info("{}", line);
  }
}

void ProgressReporter::end_epoch(double loss, std::optional<double> validation_metric,
                                 const std::string& metric_name) {
  last_validation_ = validation_metric;
  metric_name_ = metric_name;
  cpu_percent_ = cpu_.sample();
  if (terminal_) {
    fmt::print(out_, "\r\033[K");
    std::fflush(out_);
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start_).count();
  spdlog::info("epoch {}/{} done in {}: loss {:.4f}{} | {:.0f} papers/s | RSS {:.0f} MB", epoch_ + 1,
               total_epochs_, format_duration(elapsed), loss,
               validation_metric ? fmt::format(" | val {} {:.4f}", metric_name, *validation_metric) : "",
               elapsed > 0 ? static_cast<double>(papers_) / elapsed : 0.0,
               static_cast<double>(resident_memory_bytes()) / 1e6);
}

}  // namespace arxivc::train
