#include <gtest/gtest.h>

#include "arxivc/serve/metrics.hpp"

namespace arxivc::serve {
namespace {

TEST(ServeMetrics, HistogramBucketsAreCumulative) {
  Histogram histogram({0.1, 1.0});
  histogram.observe(0.05);
  histogram.observe(0.5);
  histogram.observe(0.5);
  histogram.observe(7);
  std::string out;
  histogram.render(out, "h", "route=\"/x\"");
  EXPECT_NE(out.find("h_bucket{route=\"/x\",le=\"0.1\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_bucket{route=\"/x\",le=\"1\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_bucket{route=\"/x\",le=\"+Inf\"} 4\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_sum{route=\"/x\"} 8.05\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_count{route=\"/x\"} 4\n"), std::string::npos) << out;
}

TEST(ServeMetrics, RendersEveryFamily) {
  Metrics metrics({"/v1/predict", "/health"});
  metrics.set_model_info("tfidf_linear", "abc123", "hash\"q");
  metrics.request_started();
  metrics.request_finished(0, "POST", 200, 0.002);
  metrics.request_started();
  metrics.request_finished(0, "POST", 200, 0.003);
  metrics.request_started();
  metrics.request_finished(metrics.unmatched_route(), "GET", 404, 0.0001);
  metrics.observe_queue_wait(0.0001);
  metrics.observe_inference(0.001);
  metrics.observe_batch_size(3);
  metrics.model_reloaded(false);
  const auto text = metrics.render();
  EXPECT_NE(text.find("arxivc_http_requests_total{route=\"/v1/predict\",method=\"POST\",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("arxivc_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("arxivc_http_request_duration_seconds_count{route=\"/v1/predict\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE arxivc_queue_wait_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("arxivc_inference_seconds_count 1\n"), std::string::npos);
  EXPECT_NE(text.find("arxivc_batch_size_bucket{le=\"4\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("arxivc_http_in_flight_requests 0\n"), std::string::npos);
  EXPECT_NE(
      text.find("arxivc_model_info{name=\"tfidf_linear\",version=\"abc123\",trained_on=\"hash\\\"q\"} 1\n"),
      std::string::npos);
  EXPECT_NE(text.find("arxivc_model_reloads_total{result=\"failure\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("arxivc_model_reloads_total{result=\"success\"} 0\n"), std::string::npos);
}

TEST(ServeMetrics, MadeUpMethodsShareOneSeries) {
  Metrics metrics({"/v1/predict"});
  for (int i = 0; i < 100; ++i) {
    metrics.request_started();
    metrics.request_finished(metrics.unmatched_route(), "BREW" + std::to_string(i), 404, 0.0001);
  }
  metrics.request_started();
  metrics.request_finished(0, "DELETE", 405, 0.0001);
  const auto text = metrics.render();
  EXPECT_NE(
      text.find("arxivc_http_requests_total{route=\"unmatched\",method=\"other\",status=\"404\"} 100\n"),
      std::string::npos)
      << text;
  EXPECT_EQ(text.find("BREW"), std::string::npos);
  EXPECT_NE(text.find("method=\"DELETE\",status=\"405\"} 1\n"), std::string::npos);
}

}  // namespace
}  // namespace arxivc::serve
