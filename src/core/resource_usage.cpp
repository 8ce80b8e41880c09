#include "arxivc/core/resource_usage.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

namespace arxivc {
namespace {

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

std::uint64_t resident_memory_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  const int read = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  if (read != 2) return 0;
  return static_cast<std::uint64_t>(resident) * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

std::uint64_t peak_resident_memory_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // ru_maxrss is in kB on Linux
}

CpuMeter::CpuMeter()
    : last_cpu_seconds_(process_cpu_seconds()), last_wall_(std::chrono::steady_clock::now()) {}

double CpuMeter::sample() {
  const double cpu = process_cpu_seconds();
  const auto wall = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(wall - last_wall_).count();
  const double percent = elapsed > 0 ? 100.0 * (cpu - last_cpu_seconds_) / elapsed : 0.0;
  last_cpu_seconds_ = cpu;
  last_wall_ = wall;
  return percent;
}

}  // namespace arxivc
