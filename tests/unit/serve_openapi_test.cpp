// The OpenAPI document describes every route the service answers, and every response it references.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "arxivc/serve/endpoints.hpp"
#include "arxivc/serve/openapi.hpp"

namespace arxivc::serve {
namespace {

nlohmann::json document() { return nlohmann::json::parse(openapi_document()); }

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(ServeOpenApi, IsAnOpenApi3Document) {
  const auto doc = document();
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  EXPECT_TRUE(doc["info"].contains("title"));
  EXPECT_TRUE(doc["info"].contains("version"));
}

TEST(ServeOpenApi, DescribesEveryRouteOfTheRouter) {
  const auto paths = document()["paths"];
  for (const auto& spec : endpoints()) {
    const std::string path = std::string(spec.path) + (spec.prefix ? "{path}" : "");
    ASSERT_TRUE(paths.contains(path)) << path << " is served but not in openapi.json";
    EXPECT_TRUE(paths[path].contains(lower(spec.method))) << spec.method << " " << path;
  }
}

TEST(ServeOpenApi, DescribesNoRouteTheRouterLacks) {
  const auto paths = document()["paths"];
  for (const auto& [path, operations] : paths.items()) {
    for (const auto& [method, operation] : operations.items()) {
      bool found = false;
      for (const auto& spec : endpoints()) {
        found |=
            std::string(spec.path) + (spec.prefix ? "{path}" : "") == path && lower(spec.method) == method;
      }
      EXPECT_TRUE(found) << method << " " << path << " is documented but not served";
    }
  }
}

TEST(ServeOpenApi, EveryReferenceResolves) {
  const auto doc = document();
  std::vector<std::string> missing;
  std::function<void(const nlohmann::json&)> visit = [&](const nlohmann::json& node) {
    if (node.is_object()) {
      if (const auto ref = node.find("$ref"); ref != node.end()) {
        const auto pointer = ref->get<std::string>().substr(1);  // "#/components/..." -> "/components/..."
        if (!doc.contains(nlohmann::json::json_pointer(pointer))) missing.push_back(ref->get<std::string>());
      }
      for (const auto& [key, value] : node.items()) visit(value);
    } else if (node.is_array()) {
      for (const auto& value : node) visit(value);
    }
  };
  visit(doc);
  EXPECT_TRUE(missing.empty()) << missing.front();
}

TEST(ServeOpenApi, PredictionEndpointsDocumentTheirErrors) {
  const auto paths = document()["paths"];
  for (const char* path : {"/v1/predict", "/v1/predict/batch"}) {
    for (const char* status : {"200", "400", "401", "405", "413", "415", "500", "503"}) {
      EXPECT_TRUE(paths[path]["post"]["responses"].contains(status)) << path << " " << status;
    }
  }
}

}  // namespace
}  // namespace arxivc::serve
