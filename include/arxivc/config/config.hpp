#pragma once

// Hydra-style configuration: a base YAML file with a defaults list of config groups (folders of YAML
// files), composed and then changed by command-line overrides, with ${...} interpolation.

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arxivc::config {

// A YAML-like value: null, bool, int, float, string, list, or an ordered map.
class Node {
 public:
  enum class Kind { null, boolean, integer, floating, string, list, map };

  Node() = default;  // null
  static Node boolean(bool v);
  static Node integer(std::int64_t v);
  static Node floating(double v);
  static Node string(std::string v);
  static Node list(std::vector<Node> items = {});
  static Node map();

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_map() const { return kind_ == Kind::map; }
  bool is_list() const { return kind_ == Kind::list; }
  bool is_scalar() const { return kind_ != Kind::list && kind_ != Kind::map; }

  // Scalar access; throws ConfigError naming `what` (a dotted path) when the type does not fit.
  // as_double accepts integers; as_string accepts any scalar and formats it (null is refused: a
  // required string left unset is a mistake, not the text "null").
  bool as_bool(std::string_view what = "value") const;
  std::int64_t as_int(std::string_view what = "value") const;
  double as_double(std::string_view what = "value") const;
  std::string as_string(std::string_view what = "value") const;

  const std::vector<Node>& items() const { return items_; }
  std::vector<Node>& items() { return items_; }
  const std::vector<std::pair<std::string, Node>>& entries() const { return entries_; }
  std::vector<std::pair<std::string, Node>>& entries() { return entries_; }

  // Map access by one key (not dotted). find returns nullptr when absent or not a map.
  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  // Inserts a null entry when absent; turns a null node into a map.
  Node& operator[](std::string_view key);
  bool erase(std::string_view key);

  // Dotted-path access ("training.batch_size"); list elements by index ("a.0.b").
  const Node* find_path(std::string_view dotted) const;
  Node* find_path(std::string_view dotted);
  // Creates intermediate maps as needed.
  Node& make_path(std::string_view dotted);

  bool operator==(const Node& other) const;

  // A secret (an API key): readable by the program, but every written form of the configuration
  // (to_yaml, to_json) shows it as kRedacted. Reading the placeholder itself back as a value is an
  // error, so a saved configuration can never pass "***" off as the secret.
  bool secret() const { return secret_; }
  void mark_secret() { secret_ = true; }

 private:
  Kind kind_ = Kind::null;
  bool secret_ = false;
  bool bool_ = false;
  std::int64_t int_ = 0;
  double double_ = 0.0;
  std::string string_;
  std::vector<Node> items_;
  std::vector<std::pair<std::string, Node>> entries_;
};

// What written configurations show in place of a secret's value.
inline constexpr std::string_view kRedacted = "***";

// Limits that keep hostile or mistaken input from exhausting the stack or memory: nesting deeper than
// kMaxNesting levels (in YAML files and override values) and YAML alias expansion beyond kMaxNodes
// nodes in one document are ConfigErrors.
inline constexpr std::size_t kMaxNesting = 64;
inline constexpr std::size_t kMaxNodes = 100000;

// Parses YAML text; `source` names the file in error messages.
Node parse_yaml(std::string_view text, std::string_view source);
Node load_yaml_file(const std::filesystem::path& path);
// Emits block-style YAML that parse_yaml reads back to an equal Node.
std::string to_yaml(const Node& node);

// The composed, interpolated configuration of one run.
class Config {
 public:
  Config() = default;
  Config(Node root, std::vector<std::string> overrides, std::map<std::string, std::string> choices);

  const Node& root() const { return root_; }
  Node& root() { return root_; }
  // The command-line overrides as given, in order (what Hydra writes to overrides.yaml).
  const std::vector<std::string>& overrides() const { return overrides_; }
  // The option chosen for each config group, e.g. {"data": "sample"}.
  const std::map<std::string, std::string>& choices() const { return choices_; }

  bool has(std::string_view path) const;
  // A present key whose value is null counts as absent for the *_or getters.
  const Node& at(std::string_view path) const;  // throws ConfigError naming the missing key
  bool get_bool(std::string_view path) const;
  std::int64_t get_int(std::string_view path) const;
  double get_double(std::string_view path) const;
  std::string get_string(std::string_view path) const;
  std::vector<std::string> get_string_list(std::string_view path) const;  // a scalar counts as one item
  std::optional<std::int64_t> get_optional_int(std::string_view path) const;
  std::optional<std::string> get_optional_string(std::string_view path) const;

  std::string to_yaml() const { return config::to_yaml(root_); }

 private:
  Node root_;
  std::vector<std::string> overrides_;
  std::map<std::string, std::string> choices_;
};

class Schema;

struct ComposeOptions {
  // Holds <config_name>.yaml and the group folders; empty means default_config_dir().
  std::filesystem::path config_dir;
  std::string config_name = "config";  // the base file, without .yaml
  std::vector<std::string> overrides;  // Hydra override grammar, as typed on the command line
  // The run's start time for ${now:...}; unset means the current time. One time serves the whole
  // composition, so every directory name built from it agrees.
  std::optional<std::time_t> now;
  // When set, every config file and the composed result are checked against it (unknown keys, types,
  // ranges), and its secrets are marked (redacted in overrides() and every written form).
  const Schema* schema = nullptr;
};

// Composes the base config, its defaults list and the overrides, then resolves interpolations.
// Throws ConfigError for an unknown key or group option (with the closest existing one suggested),
// a malformed override, a type clash, or an interpolation that cannot be resolved.
Config compose(const ComposeOptions& options);

// `text` with the values of the secret keys that `overrides` set taken out (`key=***`, and other copies
// of a value of 4 characters or more): for error messages and recorded command lines, which must never
// echo a secret.
std::string redact_secret_values(std::string text, const std::vector<std::string>& overrides,
                                 const Schema& schema);

// Finds the configuration directory: $ARXIVC_CONFIG_DIR, else ./configs, else the source tree's configs/.
std::filesystem::path default_config_dir();

}  // namespace arxivc::config
