#pragma once

// Small dense float-vector kernels for the embedding models. They are written so that the compiler
// vectorises them without -ffast-math: a dot product keeps fixed independent partial sums, so its
// rounding depends on the length only, never on the machine's vector width or on threads.

#include <cstddef>

namespace arxivc::model::dense {

inline float dot(const float* __restrict a, const float* __restrict b, std::size_t n) {
  constexpr std::size_t kLanes = 16;
  float partial[kLanes] = {};
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (std::size_t j = 0; j < kLanes; ++j) partial[j] += a[i + j] * b[i + j];
  }
  for (std::size_t j = 0; i < n; ++i, ++j) partial[j] += a[i] * b[i];
  float sum = 0.0F;
  for (const float p : partial) sum += p;
  return sum;
}

// y += factor * x
inline void add_scaled(float* __restrict y, float factor, const float* __restrict x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += factor * x[i];
}

// y += x
inline void add(float* __restrict y, const float* __restrict x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += x[i];
}

inline void scale(float* y, float factor, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] *= factor;
}

}  // namespace arxivc::model::dense
