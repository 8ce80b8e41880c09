// Request bodies are parsed into native structs or refused with a Problem naming the field.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "arxivc/serve/api_requests.hpp"

namespace arxivc::serve {
namespace {

const RequestLimits limits{20, 3};

std::string detail_of(const HttpResponse& response) { return nlohmann::json::parse(response.body)["detail"]; }

TEST(ServeRequests, PredictTakesTitleAbstractTopKAndThreshold) {
  const auto parsed = parse_predict_request(
      R"({"title": "Gauge theory", "abstract": "Anomalies.", "top_k": 7, "threshold": 0.25})", limits);
  ASSERT_TRUE(parsed.value);
  EXPECT_EQ(parsed.value->paper.title, "Gauge theory");
  EXPECT_EQ(parsed.value->paper.abstract, "Anomalies.");
  EXPECT_EQ(parsed.value->options.top_k, 7u);
  ASSERT_TRUE(parsed.value->options.threshold);
  EXPECT_FLOAT_EQ(*parsed.value->options.threshold, 0.25f);
}

TEST(ServeRequests, PredictDefaultsAndEitherText) {
  const auto parsed = parse_predict_request(R"({"abstract": "Only an abstract."})", limits);
  ASSERT_TRUE(parsed.value);
  EXPECT_EQ(parsed.value->options.top_k, default_top_k);
  EXPECT_FALSE(parsed.value->options.threshold);
  EXPECT_TRUE(parse_predict_request(R"({"title": "Only a title", "abstract": null})", limits).value);
}

struct Refused {
  const char* name;
  const char* body;
  int status;
  const char* detail_contains;
};

class ServeRequestsRefused : public ::testing::TestWithParam<Refused> {};

TEST_P(ServeRequestsRefused, WithAProblemNamingWhy) {
  const auto& c = GetParam();
  const auto parsed = parse_predict_request(c.body, limits);
  ASSERT_FALSE(parsed.value) << c.body;
  EXPECT_EQ(parsed.error.status, c.status);
  EXPECT_EQ(parsed.error.content_type, "application/problem+json");
  EXPECT_NE(detail_of(parsed.error).find(c.detail_contains), std::string::npos) << detail_of(parsed.error);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ServeRequestsRefused,
    ::testing::Values(
        Refused{"EmptyBody", "", 400, "empty"},
        Refused{"MalformedJson", "{\"title\": ", 400, "malformed JSON"},
        Refused{"NotAnObject", "[1, 2]", 400, "JSON object"},
        Refused{"NoText", "{}", 400, "at least one of title and abstract"},
        Refused{"BlankText", R"({"title": "  ", "abstract": ""})", 400, "non-empty"},
        Refused{"TitleNotAString", R"({"title": 42})", 400, "title must be a string"},
        Refused{"TopKZero", R"({"title": "x", "top_k": 0})", 400, "top_k is 0"},
        Refused{"TopKAboveLabels", R"({"title": "x", "top_k": 21})", 400, "between 1 and 20"},
        Refused{"TopKText", R"({"title": "x", "top_k": "5"})", 400, "top_k must be an integer"},
        Refused{"TopKFraction", R"({"title": "x", "top_k": 2.5})", 400, "top_k must be an integer"},
        Refused{"ThresholdAboveOne", R"({"title": "x", "threshold": 1.5})", 400, "threshold is 1.5"},
        Refused{"ThresholdText", R"({"title": "x", "threshold": "high"})", 400, "threshold must be a number"},
        Refused{"TruncatedUtf8", "{\"title\": \"caf\xC3\"}", 400, "not valid UTF-8"},
        Refused{"Surrogate", "{\"title\": \"\xED\xA0\x80\"}", 400, "not valid UTF-8"}),
    [](const ::testing::TestParamInfo<Refused>& param_info) { return std::string(param_info.param.name); });

TEST(ServeRequests, BatchKeepsOrderAndIds) {
  const auto parsed = parse_batch_request(
      R"({"papers": [{"id": "a", "title": "One"}, {"id": 7, "abstract": "Two"}, {"title": "Three"}], "top_k": 2})",
      limits);
  ASSERT_TRUE(parsed.value);
  ASSERT_EQ(parsed.value->papers.size(), 3u);
  EXPECT_EQ(parsed.value->ids, (std::vector<std::string>{"\"a\"", "7", "null"}));
  EXPECT_EQ(parsed.value->papers[1].abstract, "Two");
  EXPECT_EQ(parsed.value->options.top_k, 2u);
}

TEST(ServeRequests, BatchOverTheCapIs413) {
  const auto parsed = parse_batch_request(
      R"({"papers": [{"title": "a"}, {"title": "b"}, {"title": "c"}, {"title": "d"}]})", limits);
  ASSERT_FALSE(parsed.value);
  EXPECT_EQ(parsed.error.status, 413);
  EXPECT_NE(detail_of(parsed.error).find("limit of 3"), std::string::npos);
}

TEST(ServeRequests, BatchNamesTheBadPaper) {
  auto parsed = parse_batch_request(R"({"papers": [{"title": "a"}, {"title": ""}]})", limits);
  ASSERT_FALSE(parsed.value);
  EXPECT_EQ(parsed.error.status, 400);
  EXPECT_NE(detail_of(parsed.error).find("papers[1]"), std::string::npos);
  EXPECT_EQ(parse_batch_request(R"({"papers": []})", limits).error.status, 400);
  EXPECT_EQ(parse_batch_request(R"({"papers": {}})", limits).error.status, 400);
  EXPECT_EQ(parse_batch_request(R"({"paper": []})", limits).error.status, 400);
  EXPECT_EQ(parse_batch_request(R"({"papers": [{"id": [1], "title": "a"}]})", limits).error.status, 400);
}

TEST(ServeRequests, JsonContentTypes) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("application/merge-patch+json"));
  EXPECT_FALSE(is_json_content_type(""));
  EXPECT_FALSE(is_json_content_type("text/plain"));
  EXPECT_FALSE(is_json_content_type("application/x-www-form-urlencoded"));
}

}  // namespace
}  // namespace arxivc::serve
