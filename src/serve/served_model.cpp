#include "arxivc/serve/served_model.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "arxivc/app/raw_papers.hpp"
#include "arxivc/config/config.hpp"
#include "arxivc/serve/json_text.hpp"

namespace arxivc::serve {
namespace {

std::optional<std::string> read_optional_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// What the service shows in place of a secret's value.
constexpr std::string_view kRedacted = "***";

// A configuration's secret: serve.api_key, nested or as one dotted key. Null when absent.
config::Node* api_key_of(config::Node& root) {
  if (auto* serve = root.find("serve"); serve != nullptr && serve->is_map()) {
    if (auto* key = serve->find("api_key")) return key;
  }
  return root.find("serve.api_key");
}

// Replaces every string equal to `secret` in `node` by `redacted`: the key itself, and any copy of it
// elsewhere (as a YAML alias makes).
void replace_all(config::Node& node, const config::Node& secret, const config::Node& redacted) {
  if (node == secret) {
    node = redacted;
    return;
  }
  for (auto& [name, value] : node.entries()) replace_all(value, secret, redacted);
  for (auto& item : node.items()) replace_all(item, secret, redacted);
}

// The training run's configuration (config.yaml) with serve.api_key shown as "***": a model directory
// trained by an older version, with a key in its environment, holds the key itself. Left out (null,
// with a warning) when it cannot be read as YAML, since then where a key might be is unknown; the
// parser's message is not logged, as it may quote a value.
nlohmann::json redacted_configuration(const std::string& text, const std::filesystem::path& file) {
  config::Node root;
  try {
    root = config::parse_yaml(text, file.string());
  } catch (const std::exception&) {
    spdlog::warn("GET /v1/model leaves the training configuration out: {} is not YAML this version reads",
                 file.string());
    return nullptr;
  }
  const auto redacted = config::Node::string(std::string(kRedacted));
  const auto* key = api_key_of(root);
  if (key == nullptr || key->is_null() || *key == redacted) return text;
  if (key->kind() == config::Node::Kind::string) {
    const config::Node secret = *key;
    replace_all(root, secret, redacted);
  } else {
    *api_key_of(root) = redacted;
  }
  return config::to_yaml(root);
}

// Any serve.api_key in the card's JSON (a `serve` object holding `api_key`), shown as "***".
void redact_api_keys(nlohmann::json& node) {
  if (node.is_object()) {
    for (auto& [name, value] : node.items()) {
      if (name == "serve" && value.is_object()) {
        if (const auto key = value.find("api_key"); key != value.end() && !key->is_null()) *key = kRedacted;
      }
      if (name == "serve.api_key" && !value.is_null()) value = kRedacted;
      redact_api_keys(value);
    }
  } else if (node.is_array()) {
    for (auto& item : node) redact_api_keys(item);
  }
}

// The model card: who the model is, what it was trained on, how it was configured and how it did on the
// validation split. The label list and thresholds stay out (GET /v1/categories lists the labels).
std::string card_body(const inference::Classifier& classifier, const std::filesystem::path& directory) {
  const auto& card = classifier.card();
  nlohmann::json body = {
      {"name", classifier.name()},
      {"version", classifier.version()},
      {"trained_on", classifier.trained_on()},
      {"family", card.value("family", std::string())},
      {"experiment", classifier.name()},
      {"arxivc_version", card.value("arxivc_version", std::string())},
      {"label_mode", card.value("label_mode", std::string())},
      {"label_count", classifier.labels().size()},
      {"text", card.value("text", nlohmann::json::object())},
      {"training_data", card.value("dataset", nlohmann::json::object())},
      {"best_epoch", card.value("best_epoch", 0)},
      {"validation", card.value("validation", nlohmann::json::object())},
  };
  // What training wrote to featurisation.json, from the loaded model itself.
  body["featurisation"] = nlohmann::json::parse(classifier.model().describe());
  redact_api_keys(body);
  const auto configuration = read_optional_file(directory / "config.yaml");
  body["configuration"] =
      configuration ? redacted_configuration(*configuration, directory / "config.yaml") : nlohmann::json();
  return body.dump();
}

}  // namespace

std::shared_ptr<const ServedModel> load_served_model(const std::filesystem::path& directory) {
  auto served = std::make_shared<ServedModel>();
  served->classifier = inference::Classifier::load(directory);
  const auto& classifier = *served->classifier;
  served->latex = app::latex_mode_of_model(classifier.card());

  served->model_json = "{\"name\":";
  append_json_string(served->model_json, classifier.name());
  served->model_json += ",\"version\":";
  append_json_string(served->model_json, classifier.version());
  served->model_json += ",\"trained_on\":";
  append_json_string(served->model_json, classifier.trained_on());
  served->model_json += "}";

  served->categories_body = "{\"categories\":[";
  for (std::size_t i = 0; i < classifier.labels().size(); ++i) {
    const auto& label = classifier.labels()[i];
    std::string code;
    append_json_string(code, label.code);
    std::string object = "{\"code\":" + code + ",\"name\":";
    append_json_string(object, label.name);
    object += ",\"archive\":";
    append_json_string(object, label.archive);
    object += ",\"group\":";
    append_json_string(object, label.group);
    if (i > 0) served->categories_body += ",";
    served->categories_body += object + "}";
    served->code_json.push_back(std::move(code));
    served->label_json.push_back(std::move(object));
  }
  served->categories_body += "],\"model\":" + served->model_json + "}";
  served->card_body = card_body(classifier, directory);
  return served;
}

}  // namespace arxivc::serve
