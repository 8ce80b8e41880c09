#pragma once

// Maps a method and a path to a route: exact paths, and prefixes for file trees ("/static/" answers
// "/static/app.js"). A known path with another method is 405 with the methods it allows.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/serve/http_message.hpp"

namespace arxivc::serve {

// Receives the request (it may move the body out) and answers through `respond`; must not throw.
using Handler = std::function<void(HttpRequest& request, Respond respond)>;

struct Route {
  std::string method;  // "GET", "POST"
  std::string path;    // "/v1/predict", or a prefix ending in '/' when `prefix`
  bool prefix = false;
  bool open = false;  // answered without the API key (health checks)
  Handler handler;

  // The route's name in metrics and in the OpenAPI document: "/static/{path}" for a prefix.
  std::string label() const { return prefix ? path + "{path}" : path; }
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route answers; see status
  std::size_t index = 0;         // the route's position, when found (for 405: the path's first route)
  int status = 200;              // 404 or 405 when no route answers
  std::string allow;             // for 405: "GET, POST"
  std::string_view rest;         // for a prefix route: the path after the prefix
};

class Router {
 public:
  void add(Route route);
  RouteMatch match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace arxivc::serve
