#pragma once

// What a configuration may hold: its known keys, each with the types and range of values it takes, and
// which of them are secrets. Hydra's structured configs play this part; here the program declares it
// (app/config_schema.hpp) and compose() checks every config file and the composed result against it,
// so a misspelt key in a file is an error naming the file, as a misspelt override is.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/config/config.hpp"

namespace arxivc::config {

class Schema {
 public:
  // The types a key accepts, combined with |. `number` accepts integers and floats.
  enum Type : unsigned {
    null_value = 1U << 0,
    boolean = 1U << 1,
    integer = 1U << 2,
    number = 1U << 3,
    string = 1U << 4,
    list = 1U << 5,
    map = 1U << 6,
  };

  class Rule {
   public:
    Rule(std::string path, unsigned types) : path_(std::move(path)), types_(types) {}
    // Numbers (and integers written as strings, as environment variables arrive) in [min, max].
    Rule& range(double min, double max);
    Rule& at_least(double min);
    // Strings from this list only.
    Rule& one_of(std::initializer_list<std::string_view> choices);
    // A map whose contents another part of the program checks (a model family's parameters).
    Rule& open();
    // Never written out: see Node::mark_secret.
    Rule& secret();

    const std::string& path() const { return path_; }
    bool is_open() const { return open_; }
    bool is_secret() const { return secret_; }
    // Throws ConfigError naming the key when `value` does not fit.
    void check(const Node& value) const;

   private:
    std::string path_;
    unsigned types_;
    std::optional<double> min_;
    std::optional<double> max_;
    std::vector<std::string> choices_;
    bool open_ = false;
    bool secret_ = false;
  };

  Rule& add(std::string path, unsigned types);

  // Every key of `tree` (placed at `prefix`, "" for the root) must be known; `source` (a file) names
  // where it came from. Values are not checked: a file's values may still hold ${...} interpolations.
  void check_keys(const Node& tree, std::string_view prefix, std::string_view source) const;
  // Keys, types and ranges of the composed, interpolated configuration.
  void check(const Node& root) const;
  // Marks the nodes of secret keys, so that written configurations show them redacted.
  void mark_secrets(Node& root) const;
  bool is_secret(std::string_view path) const;

 private:
  const Rule* find(std::string_view path) const;
  bool is_section(std::string_view path) const;
  void walk(const Node& tree, const std::string& prefix, std::string_view source, bool values) const;
  [[noreturn]] void unknown(const std::string& path, std::string_view source) const;

  std::vector<Rule> rules_;
};

}  // namespace arxivc::config
