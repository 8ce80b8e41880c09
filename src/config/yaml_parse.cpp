#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "arxivc/config/config.hpp"
#include "arxivc/core/error.hpp"
#include "scalar_text.hpp"

namespace arxivc::config {
namespace {

constexpr std::string_view kStringTag = "tag:yaml.org,2002:str";
// yaml-cpp tags every quoted or block (| >) scalar "!": the author wrote a string.
constexpr std::string_view kNonPlainTag = "!";

Node convert(const YAML::Node& yaml, std::string_view source) {
  const auto where = [&] { return fmt::format("{}:{}", source, yaml.Mark().line + 1); };
  switch (yaml.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Node();
    case YAML::NodeType::Scalar: {
      if (yaml.Tag() == kNonPlainTag || yaml.Tag() == kStringTag) return Node::string(yaml.Scalar());
      auto typed = detail::resolve_plain_scalar(yaml.Scalar());
      if (!typed) throw ConfigError(fmt::format("{}: integer out of range: {}", where(), yaml.Scalar()));
      return std::move(*typed);
    }
    case YAML::NodeType::Sequence: {
      Node list = Node::list();
      for (const auto& item : yaml) list.items().push_back(convert(item, source));
      return list;
    }
    case YAML::NodeType::Map: {
      Node map = Node::map();
      for (const auto& entry : yaml) {
        if (!entry.first.IsScalar()) {
          throw ConfigError(
              fmt::format("{}:{}: map keys must be scalars", source, entry.first.Mark().line + 1));
        }
        const std::string& key = entry.first.Scalar();
        if (map.find(key) != nullptr) {
          throw ConfigError(
              fmt::format("{}:{}: duplicate key '{}'", source, entry.first.Mark().line + 1, key));
        }
        map.entries().emplace_back(key, convert(entry.second, source));
      }
      return map;
    }
  }
  throw ConfigError(fmt::format("{}: unsupported YAML node", where()));
}

}  // namespace

Node parse_yaml(std::string_view text, std::string_view source) {
  YAML::Node document;
  try {
    document = YAML::Load(std::string(text));
  } catch (const YAML::DeepRecursion& error) {
    // yaml-cpp reports its depth limit as "bad file"; say what it means.
    throw ConfigError(fmt::format("{}:{}:{}: YAML nesting is too deep", source, error.mark.line + 1,
                                  error.mark.column + 1));
  } catch (const YAML::Exception& error) {
    throw ConfigError(fmt::format("{}:{}:{}: YAML syntax error: {}", source, error.mark.line + 1,
                                  error.mark.column + 1, error.msg));
  }
  return convert(document, source);
}

Node load_yaml_file(const std::filesystem::path& path) {
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(path, ignored)) {
    throw ConfigError(fmt::format("config file '{}' does not exist or is not a file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw ConfigError(fmt::format("cannot read config file '{}'", path.string()));
  return parse_yaml(text.str(), path.string());
}

}  // namespace arxivc::config
