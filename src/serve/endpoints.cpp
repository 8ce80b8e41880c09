#include "arxivc/serve/endpoints.hpp"

#include <array>

namespace arxivc::serve {

std::span<const EndpointSpec> endpoints() {
  static constexpr std::array table = {
      EndpointSpec{Endpoint::predict, "POST", "/v1/predict"},
      EndpointSpec{Endpoint::predict_batch, "POST", "/v1/predict/batch"},
      EndpointSpec{Endpoint::categories, "GET", "/v1/categories"},
      EndpointSpec{Endpoint::model_card, "GET", "/v1/model"},
      EndpointSpec{Endpoint::health, "GET", "/health", false, true},
      EndpointSpec{Endpoint::ready, "GET", "/ready", false, true},
      EndpointSpec{Endpoint::metrics, "GET", "/metrics"},
      EndpointSpec{Endpoint::openapi, "GET", "/openapi.json"},
      EndpointSpec{Endpoint::docs_page, "GET", "/docs"},
      EndpointSpec{Endpoint::index_page, "GET", "/"},
      EndpointSpec{Endpoint::static_files, "GET", "/static/", true},
      EndpointSpec{Endpoint::vendor_files, "GET", "/vendor/", true},
      EndpointSpec{Endpoint::reload, "POST", "/admin/reload", false, false, true},
  };
  return table;
}

}  // namespace arxivc::serve
