#pragma once

#include <chrono>
#include <cstdint>

namespace arxivc {

// Resident memory of this process now, in bytes (from /proc/self/statm); 0 where unavailable.
std::uint64_t resident_memory_bytes();
// Peak resident memory of this process so far, in bytes (getrusage).
std::uint64_t peak_resident_memory_bytes();

// CPU use of this process between two calls of sample(), as a percentage of one core
// (200% = two cores busy).
class CpuMeter {
 public:
  CpuMeter();
  double sample();

 private:
  double last_cpu_seconds_;
  std::chrono::steady_clock::time_point last_wall_;
};

}  // namespace arxivc
