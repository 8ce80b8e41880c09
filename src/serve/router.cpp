#include "arxivc/serve/router.hpp"

namespace arxivc::serve {

void Router::add(Route route) { routes_.push_back(std::move(route)); }

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  result.status = 404;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& route = routes_[i];
    const bool path_matches =
        route.prefix ? path.size() > route.path.size() && path.starts_with(route.path) : path == route.path;
    if (!path_matches) continue;
    if (route.method == method) {
      result.route = &route;
      result.index = i;
      result.status = 200;
      result.allow.clear();
      if (route.prefix) result.rest = path.substr(route.path.size());
      return result;
    }
    if (result.status != 405) result.index = i;  // the path's first route names it in metrics
    result.status = 405;
    if (result.allow.find(route.method) == std::string::npos) {
      if (!result.allow.empty()) result.allow += ", ";
      result.allow += route.method;
    }
  }
  return result;
}

}  // namespace arxivc::serve
