// What one span of --profile costs (core/trace.hpp), timed by Google Benchmark: a span with tracing off
// (the default: every run pays this at each instrumented place), a span recorded while tracing, with
// arguments, and serve's per-request sampling decision. Multiplied by the number of events a run records
// (the trace's otherData.events), it bounds the overhead of --profile far below what timing whole runs
// on a shared machine can resolve. Built only with -DARXIVC_BENCH=ON; run by bench/profile_overhead.sh.
//
//   build/trace_span_cost [--benchmark_repetitions=5 ...]

#include <benchmark/benchmark.h>

#include "arxivc/core/trace.hpp"

namespace {

// Enough spans to time, few enough that the trace never reaches its cap (1,000,000 events).
constexpr benchmark::IterationCount kSpans = 200'000;

void recording() {
  arxivc::trace::StartOptions options;
  options.process_name = "trace_span_cost";
  arxivc::trace::start(options);
}

void BM_SpanTracingOff(benchmark::State& state) {
  arxivc::trace::discard();
  for (auto _ : state) {
    arxivc::TraceSpan span("stage", "bench");
    span.arg("bytes", state.iterations());
    benchmark::DoNotOptimize(span.active());
  }
}
BENCHMARK(BM_SpanTracingOff);

void BM_SpanRecorded(benchmark::State& state) {
  recording();
  for (auto _ : state) {
    arxivc::TraceSpan span("stage", "bench");
    benchmark::DoNotOptimize(span.active());
  }
  arxivc::trace::discard();
}
BENCHMARK(BM_SpanRecorded)->Iterations(kSpans);

void BM_SpanRecordedWithTwoArgs(benchmark::State& state) {
  recording();
  for (auto _ : state) {
    arxivc::TraceSpan span("stage", "bench");
    span.arg("chunk", state.iterations()).arg("bytes", 4194304);
  }
  arxivc::trace::discard();
}
BENCHMARK(BM_SpanRecordedWithTwoArgs)->Iterations(kSpans);

void BM_SampleRequestTracingOff(benchmark::State& state) {
  arxivc::trace::discard();
  for (auto _ : state) benchmark::DoNotOptimize(arxivc::trace::sample_request());
}
BENCHMARK(BM_SampleRequestTracingOff);

void BM_SampleRequestRecording(benchmark::State& state) {
  recording();
  for (auto _ : state) benchmark::DoNotOptimize(arxivc::trace::sample_request());
  arxivc::trace::discard();
}
BENCHMARK(BM_SampleRequestRecording);

// Writing the trace at exit, per 1,000 events (rendering the JSON, without the file).
void BM_RenderThousandEvents(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    recording();
    for (int i = 0; i < 1000; ++i) arxivc::TraceSpan span("stage", "bench");
    state.ResumeTiming();
    benchmark::DoNotOptimize(arxivc::trace::stop_to_json());
  }
}
BENCHMARK(BM_RenderThousandEvents)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
