#include "arxivc/config/node_json.hpp"

namespace arxivc::config {

nlohmann::json to_json(const Node& node) {
  if (node.secret() && !node.is_null()) return std::string(kRedacted);
  switch (node.kind()) {
    case Node::Kind::null:
      return nullptr;
    case Node::Kind::boolean:
      return node.as_bool();
    case Node::Kind::integer:
      return node.as_int();
    case Node::Kind::floating:
      return node.as_double();
    case Node::Kind::string:
      return node.as_string();
    case Node::Kind::list: {
      auto array = nlohmann::json::array();
      for (const auto& item : node.items()) array.push_back(to_json(item));
      return array;
    }
    case Node::Kind::map: {
      auto object = nlohmann::json::object();
      for (const auto& [key, value] : node.entries()) object[key] = to_json(value);
      return object;
    }
  }
  return nullptr;
}

}  // namespace arxivc::config
