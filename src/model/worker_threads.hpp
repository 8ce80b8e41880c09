#pragma once

// The model code's one way of splitting work over threads: work(t) for t in [0, threads), the caller's
// thread doing t = 0; each thread is named `<role>-<t>` and its share is one span named `span` in a trace.

#include <thread>
#include <vector>

#include "arxivc/core/trace.hpp"

namespace arxivc::model::detail {

template <typename Work>
void run_on_threads(unsigned threads, const char* role, const char* span, Work&& work) {
  std::vector<std::jthread> helpers;
  for (unsigned t = 1; t < threads; ++t) {
    helpers.emplace_back([&work, t, role, span] {
      trace::name_thread(role, t);
      TraceSpan traced(span, "model");
      work(t);
    });
  }
  TraceSpan traced(span, "model");
  work(0U);
}

}  // namespace arxivc::model::detail
