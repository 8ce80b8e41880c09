#include "arxivc/serve/api_requests.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arxivc/serve/json_text.hpp"
#include "arxivc/serve/problem.hpp"

namespace arxivc::serve {
namespace {

using nlohmann::json;

// Thrown inside this file only, turned into a Problem at the parse functions' boundary.
struct Refusal {
  int status;
  std::string detail;
};

[[noreturn]] void refuse(std::string detail, int status = 400) { throw Refusal{status, std::move(detail)}; }

std::string_view type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "an unsupported value";
  }
}

// Finds where in a document the parser failed, as a path ("papers[1].title"): a second, cheap pass that
// runs only for a body already refused, to name the field.
class FailurePath : public nlohmann::json_sax<json> {
 public:
  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    frames_.push_back({false, {}, 0});
    return true;
  }
  bool key(string_t& name) override {
    frames_.back().key = name;
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    return value();
  }
  bool start_array(std::size_t) override {
    frames_.push_back({true, {}, 0});
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    return value();
  }
  bool parse_error(std::size_t, const std::string& token, const json::exception&) override {
    token_ = token;
    return false;
  }

  // "threshold", "papers[1].title"; empty for the top-level value.
  std::string path() const {
    std::string out;
    for (const auto& frame : frames_) {
      if (frame.array) {
        out += fmt::format("[{}]", frame.index);
      } else {
        if (!out.empty()) out += '.';
        out += frame.key;
      }
    }
    return out;
  }
  const std::string& token() const { return token_; }

 private:
  struct Frame {
    bool array;
    std::string key;
    std::size_t index;
  };
  bool value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }
  std::vector<Frame> frames_;
  std::string token_;
};

json parse_body(std::string_view body) {
  if (body.empty()) refuse("the request body is empty; send a JSON object");
  if (const auto offset = find_invalid_utf8(body)) {
    refuse(fmt::format("the request body is not valid UTF-8 (invalid byte at offset {})", *offset));
  }
  json document;
  try {
    document = json::parse(body);
  } catch (const json::parse_error& e) {
    refuse(fmt::format("malformed JSON at byte {}: the body must be a JSON object", e.byte));
  } catch (const json::out_of_range&) {
    // A number beyond a double's range (1e999): valid JSON, but no value it could stand for.
    FailurePath failure;
    json::sax_parse(body, &failure);
    std::string token = failure.token();
    if (token.size() > 40) token = token.substr(0, 40) + "...";
    std::string path = failure.path();
    if (path.size() > 200) path = "..." + path.substr(path.size() - 200);
    refuse(fmt::format("{} is a number too large to represent ({} overflows a double)",
                       path.empty() ? std::string("the body") : path, token));
  }
  if (!document.is_object())
    refuse(fmt::format("the body must be a JSON object, not {}", type_name(document)));
  return document;
}

// An optional text field: absent or null is empty; anything but a string is refused.
std::string text_field(const json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) refuse(fmt::format("{}{} must be a string, not {}", where, key, type_name(*it)));
  return it->get<std::string>();
}

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n\f\v") == std::string::npos; }

PaperText paper_text(const json& object, const std::string& where) {
  PaperText paper{text_field(object, "title", where), text_field(object, "abstract", where)};
  if (blank(paper.title) && blank(paper.abstract)) {
    refuse(fmt::format("{}at least one of title and abstract must be a non-empty string", where));
  }
  return paper;
}

inference::PredictOptions predict_options(const json& object, const RequestLimits& limits) {
  inference::PredictOptions options;
  options.top_k = std::min(default_top_k, limits.label_count);
  if (const auto it = object.find("top_k"); it != object.end() && !it->is_null()) {
    if (!it->is_number_integer()) refuse(fmt::format("top_k must be an integer, not {}", type_name(*it)));
    const auto top_k = it->get<std::int64_t>();
    if (top_k < 1 || static_cast<std::uint64_t>(top_k) > limits.label_count) {
      refuse(fmt::format("top_k is {}, but must be between 1 and {} (the model's number of categories)",
                         top_k, limits.label_count));
    }
    options.top_k = static_cast<std::size_t>(top_k);
  }
  if (const auto it = object.find("threshold"); it != object.end() && !it->is_null()) {
    if (!it->is_number()) refuse(fmt::format("threshold must be a number, not {}", type_name(*it)));
    const double threshold = it->get<double>();
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
      refuse(fmt::format("threshold is {}, but must be between 0 and 1", threshold));
    }
    options.threshold = static_cast<float>(threshold);
  }
  return options;
}

template <typename T, typename Parse>
Parsed<T> guarded(Parse&& parse) {
  Parsed<T> result;
  try {
    result.value = parse();
  } catch (const Refusal& refusal) {
    result.error = problem(refusal.status, refusal.detail);
  }
  return result;
}

}  // namespace

bool is_json_content_type(std::string_view content_type) {
  const auto end = content_type.find(';');
  std::string media(content_type.substr(0, end));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.pop_back();
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.erase(media.begin());
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (media == "application/json") return true;
  return media.starts_with("application/") && media.ends_with("+json");
}

Parsed<PredictRequest> parse_predict_request(std::string_view body, const RequestLimits& limits) {
  return guarded<PredictRequest>([&] {
    const json document = parse_body(body);
    PredictRequest request;
    request.paper = paper_text(document, "");
    request.options = predict_options(document, limits);
    return request;
  });
}

Parsed<BatchRequest> parse_batch_request(std::string_view body, const RequestLimits& limits) {
  return guarded<BatchRequest>([&] {
    const json document = parse_body(body);
    const auto papers = document.find("papers");
    if (papers == document.end())
      refuse("papers is missing: send {\"papers\": [{\"title\": ..., \"abstract\": ...}]}");
    if (!papers->is_array()) refuse(fmt::format("papers must be an array, not {}", type_name(*papers)));
    if (papers->empty()) refuse("papers is empty: send at least one paper");
    if (papers->size() > limits.max_batch) {
      refuse(fmt::format("papers holds {} papers, more than the limit of {} per request; split the batch",
                         papers->size(), limits.max_batch),
             413);
    }
    BatchRequest request;
    request.papers.reserve(papers->size());
    request.ids.reserve(papers->size());
    for (std::size_t i = 0; i < papers->size(); ++i) {
      const auto& paper = (*papers)[i];
      const std::string where = fmt::format("papers[{}]: ", i);
      if (!paper.is_object()) refuse(fmt::format("{}must be an object, not {}", where, type_name(paper)));
      const auto id = paper.find("id");
      if (id == paper.end() || id->is_null()) {
        request.ids.emplace_back("null");
      } else if (id->is_string() || id->is_number_integer()) {
        request.ids.push_back(id->dump());
      } else {
        refuse(fmt::format("{}id must be a string or an integer, not {}", where, type_name(*id)));
      }
      request.papers.push_back(paper_text(paper, where));
    }
    request.options = predict_options(document, limits);
    return request;
  });
}

}  // namespace arxivc::serve
