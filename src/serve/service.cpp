#include "arxivc/serve/service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <random>

#include "arxivc/serve/api_key.hpp"
#include "arxivc/serve/json_text.hpp"
#include "arxivc/serve/openapi.hpp"
#include "arxivc/serve/problem.hpp"

namespace arxivc::serve {
namespace {

bool served(const EndpointSpec& spec, const ServeOptions& options) {
  return !spec.needs_key || options.api_key;
}

std::vector<std::string> route_labels(const ServeOptions& options) {
  std::vector<std::string> labels;
  for (const auto& spec : endpoints()) {
    if (!served(spec, options)) continue;
    labels.push_back(std::string(spec.path) + (spec.prefix ? "{path}" : ""));
  }
  return labels;
}

bool usable_request_id(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool allowed =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
    if (!allowed) return false;
  }
  return true;
}

HttpResponse json_response(std::string body) {
  HttpResponse response;
  response.body = std::move(body);
  return response;
}

}  // namespace

Service::Service(ServeOptions options)
    : options_(std::move(options)),
      models_(options_.model_dir),
      route_labels_(route_labels(options_)),
      metrics_(route_labels_),
      access_log_(options_.access_log, log_format()),
      pool_(models_, metrics_, options_.worker_threads(), options_.queue_capacity,
            std::max<std::size_t>(options_.max_batch, 64)),
      web_files_(options_.web_dir),
      static_files_(options_.web_dir / "static"),
      vendor_files_(options_.web_dir / "node_modules") {
  for (const auto& spec : endpoints()) {
    if (!served(spec, options_)) continue;
    const Endpoint endpoint = spec.endpoint;
    router_.add({std::string(spec.method), std::string(spec.path), spec.prefix, spec.open,
                 [this, endpoint, prefix_size = spec.path.size(), prefix = spec.prefix](HttpRequest& request,
                                                                                        Respond respond) {
                   const std::string_view rest =
                       prefix ? std::string_view(request.path).substr(prefix_size) : std::string_view();
                   dispatch(endpoint, request, rest, respond);
                 }});
  }
  const auto model = models_.current();
  metrics_.set_model_info(model->classifier->name(), model->classifier->version(),
                          model->classifier->trained_on());
  std::random_device random;
  request_id_prefix_ = fmt::format("{:08x}", random());
}

Service::~Service() { stop(); }

void Service::stop() {
  pool_.stop();
  models_.stop();
}

std::string Service::request_id(const std::string& offered) {
  if (usable_request_id(offered)) return offered;
  return fmt::format("{}-{:x}", request_id_prefix_, request_counter_.fetch_add(1, std::memory_order_relaxed));
}

std::size_t Service::route_of(const RouteMatch& match) const {
  return match.route || match.status == 405 ? match.index : metrics_.unmatched_route();
}

Respond Service::finishing(const HttpRequest& request, std::size_t route, Respond respond) {
  return [this, route, start = std::chrono::steady_clock::now(), method = request.method, path = request.path,
          id = request.request_id, user_agent = request.user_agent, remote_ip = request.remote_ip,
          protocol = request.protocol, request_bytes = request.body.size(),
          respond = std::move(respond)](HttpResponse&& response) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    response.headers.emplace_back("X-Request-Id", id);
    if (method == "HEAD") {
      response.head_length = response.body.size();
      response.body.clear();
    }
    metrics_.request_finished(route, method, response.status, seconds);
    access_log_.write({.method = method,
                       .path = path,
                       .protocol = protocol,
                       .user_agent = user_agent,
                       .remote_ip = remote_ip,
                       .request_id = id,
                       .status = response.status,
                       .seconds = seconds,
                       .request_bytes = request_bytes,
                       .response_bytes = response.body.size()});
    respond(std::move(response));
  };
}

void Service::handle(HttpRequest&& request, Respond respond) {
  metrics_.request_started();
  request.request_id = request_id(request.request_id);
  const auto match = match_route(request);
  auto finish = finishing(request, route_of(match), std::move(respond));
  if (!match.route) {
    if (match.status == 405) {
      auto response = problem(405, fmt::format("{} does not accept {}; it accepts {}", request.path,
                                               request.method, match.allow));
      response.headers.emplace_back("Allow", match.allow);
      finish(std::move(response));
    } else {
      finish(problem(
          404, fmt::format("no endpoint {} {}; GET /openapi.json lists them", request.method, request.path)));
    }
    return;
  }
  if (options_.api_key && !match.route->open &&
      !bearer_token_matches(request.authorization, *options_.api_key)) {
    auto response =
        problem(401, request.authorization.empty()
                         ? "this service needs an API key: send Authorization: Bearer <key>"
                         : "the API key is wrong or the Authorization header is not Bearer <key>");
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    finish(std::move(response));
    return;
  }
  try {
    match.route->handler(request, std::move(finish));
  } catch (const std::exception& e) {
    // dispatch answers every failure itself; this only logs what escaped it, never sends internals.
    spdlog::error("request {}: {} {} failed: {}", request.request_id, request.method, request.path, e.what());
  }
}

void Service::refuse(HttpRequest&& request, HttpResponse&& response, Respond respond) {
  metrics_.request_started();
  request.request_id = request_id(request.request_id);
  finishing(request, route_of(match_route(request)), std::move(respond))(std::move(response));
}

// HEAD is answered by every GET route, as GET without the body (RFC 9110 9.3.2); where GET is allowed,
// so is HEAD.
RouteMatch Service::match_route(const HttpRequest& request) const {
  auto match =
      router_.match(request.method == "HEAD" ? std::string_view("GET") : request.method, request.path);
  if (match.status == 405) {
    if (const auto get = match.allow.find("GET"); get != std::string::npos)
      match.allow.insert(get + 3, ", HEAD");
  }
  return match;
}

void Service::dispatch(Endpoint endpoint, HttpRequest& request, std::string_view rest, Respond& respond) {
  HttpResponse response;
  try {
    switch (endpoint) {
      case Endpoint::predict:
        return predict(request, respond);
      case Endpoint::predict_batch:
        return predict_batch(request, respond);
      case Endpoint::reload:
        return admin_reload(respond);
      case Endpoint::categories:
        response = json_response(models_.current()->categories_body);
        break;
      case Endpoint::model_card:
        response = json_response(models_.current()->card_body);
        break;
      case Endpoint::health:
        response = json_response(R"({"status":"ok"})");
        break;
      case Endpoint::ready:
        response = ready();
        break;
      case Endpoint::metrics:
        response.content_type = "text/plain; version=0.0.4; charset=utf-8";
        response.body = metrics_.render();
        break;
      case Endpoint::openapi:
        response = json_response(std::string(openapi_document()));
        break;
      case Endpoint::docs_page:
        response = web_files_.serve("docs.html");
        break;
      case Endpoint::index_page:
        response = web_files_.serve("index.html");
        break;
      case Endpoint::static_files:
        response = static_files_.serve(rest);
        break;
      case Endpoint::vendor_files:
        response = vendor_files_.serve(rest);
        break;
    }
  } catch (const std::exception& e) {
    spdlog::error("request {}: {} {} failed: {}", request.request_id, request.method, request.path, e.what());
    response = problem(500, fmt::format("internal error; the service log has the details under request id {}",
                                        request.request_id));
  }
  // Empty only if a prediction handler handed it to the pool and then failed: the pool answers.
  if (respond) respond(std::move(response));
}

HttpResponse Service::ready() const {
  if (shutting_down_.load(std::memory_order_relaxed)) {
    auto response = problem(503, "the service is shutting down");
    response.headers.emplace_back("Retry-After", "1");
    return response;
  }
  return json_response(R"({"status":"ready","model":)" + models_.current()->model_json + "}");
}

void Service::reload(std::function<void(const ReloadResult&)> done) {
  models_.reload_async([this, done = std::move(done)](const ReloadResult& result) {
    metrics_.model_reloaded(result.ok);
    if (result.ok) {
      const auto& classifier = *result.model->classifier;
      metrics_.set_model_info(classifier.name(), classifier.version(), classifier.trained_on());
      spdlog::info("{}", result.message);
    } else {
      spdlog::error("{}", result.message);
    }
    if (done) done(result);
  });
}

void Service::admin_reload(Respond& respond) {
  reload([respond = std::move(respond)](const ReloadResult& result) {
    if (!result.ok) {
      respond(problem(500, result.message));
      return;
    }
    std::string body = R"({"status":"reloaded","detail":)";
    append_json_string(body, result.message);
    body += ",\"model\":" + result.model->model_json + "}";
    respond(json_response(std::move(body)));
  });
}

}  // namespace arxivc::serve
