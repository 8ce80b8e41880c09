#pragma once

// Every endpoint the service answers: what the router is built from and what the OpenAPI document
// must describe (a unit test checks that every one is in it).

#include <span>
#include <string_view>

namespace arxivc::serve {

enum class Endpoint {
  predict,
  predict_batch,
  categories,
  model_card,
  health,
  ready,
  metrics,
  openapi,
  docs_page,
  index_page,
  static_files,
  vendor_files,
  reload,
};

struct EndpointSpec {
  Endpoint endpoint;
  std::string_view method;
  std::string_view path;  // a prefix ending in '/' when `prefix`
  bool prefix = false;
  bool open = false;       // answered without the API key
  bool needs_key = false;  // only served when the service has an API key
};

std::span<const EndpointSpec> endpoints();

}  // namespace arxivc::serve
