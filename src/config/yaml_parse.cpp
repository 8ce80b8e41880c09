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

// Turns yaml-cpp's node graph into a Node tree. yaml-cpp shares one node among an anchor and its
// aliases, so a document can be a cycle (`a: &a [*a]`) or expand exponentially ("billion laughs"):
// ancestors are checked for the node being converted, and the nodes produced are counted.
class Converter {
 public:
  explicit Converter(std::string_view source) : source_(source) {}

  Node convert(const YAML::Node& yaml) {
    const auto where = [&] { return fmt::format("{}:{}", source_, yaml.Mark().line + 1); };
    if (++nodes_ > kMaxNodes) {
      throw ConfigError(
          fmt::format("{}: the document expands to more than {} values (aliases that repeat "
                      "each other?); refusing to expand it",
                      where(), kMaxNodes));
    }
    switch (yaml.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return Node();
      case YAML::NodeType::Scalar: {
        check_utf8(yaml.Scalar(), where);
        if (yaml.Tag() == kNonPlainTag || yaml.Tag() == kStringTag) return Node::string(yaml.Scalar());
        auto typed = detail::resolve_plain_scalar(yaml.Scalar());
        if (!typed) throw ConfigError(fmt::format("{}: integer out of range: {}", where(), yaml.Scalar()));
        return std::move(*typed);
      }
      case YAML::NodeType::Sequence: {
        const Nest nest(*this, yaml, where);
        Node list = Node::list();
        for (const auto& item : yaml) list.items().push_back(convert(item));
        return list;
      }
      case YAML::NodeType::Map: {
        const Nest nest(*this, yaml, where);
        Node map = Node::map();
        for (const auto& entry : yaml) {
          if (!entry.first.IsScalar()) {
            throw ConfigError(
                fmt::format("{}:{}: map keys must be scalars", source_, entry.first.Mark().line + 1));
          }
          const std::string& key = entry.first.Scalar();
          check_utf8(key, [&] { return fmt::format("{}:{}", source_, entry.first.Mark().line + 1); });
          if (map.find(key) != nullptr) {
            throw ConfigError(
                fmt::format("{}:{}: duplicate key '{}'", source_, entry.first.Mark().line + 1, key));
          }
          map.entries().emplace_back(key, convert(entry.second));
        }
        return map;
      }
    }
    throw ConfigError(fmt::format("{}: unsupported YAML node", where()));
  }

 private:
  template <typename Where>
  static void check_utf8(std::string_view text, const Where& where) {
    if (!detail::is_valid_utf8(text)) {
      throw ConfigError(fmt::format("{}: text that is not valid UTF-8 (save the file as UTF-8)", where()));
    }
  }

  // One level of nesting: refuses a node that contains itself and nesting beyond kMaxNesting.
  class Nest {
   public:
    template <typename Where>
    Nest(Converter& converter, const YAML::Node& yaml, const Where& where) : converter_(converter) {
      for (const auto& ancestor : converter_.ancestors_) {
        if (ancestor.is(yaml)) {
          throw ConfigError(fmt::format("{}: recursive alias: a list or map that contains itself", where()));
        }
      }
      if (converter_.ancestors_.size() >= kMaxNesting) {
        throw ConfigError(fmt::format("{}: nesting deeper than {} levels", where(), kMaxNesting));
      }
      converter_.ancestors_.push_back(yaml);
    }
    ~Nest() { converter_.ancestors_.pop_back(); }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Converter& converter_;
  };

  std::string_view source_;
  std::vector<YAML::Node> ancestors_;
  std::size_t nodes_ = 0;
};

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
  return Converter(source).convert(document);
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
