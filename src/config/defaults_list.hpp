#pragma once

// Hydra's defaults list: which config group options make up a configuration, in which order their
// contents merge, and at which package (dotted path) each lands.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/config/config.hpp"

namespace arxivc::config::detail {

// A command-line override that names a config group (a folder of the config directory).
struct GroupOverride {
  enum class Action {
    choose,         // group=option: change the option of a group in the defaults list
    add,            // +group=option: append a group that is not in the defaults list
    add_or_choose,  // ++group=option
    remove,         // ~group or ~group=option: drop the group from the defaults list
  };
  Action action = Action::choose;
  std::string group;
  std::optional<std::string> option;  // nullopt: group=null (no option) or ~group (any option)
  std::string text;                   // the override as given, for messages
};

// One config file's own content, to be merged at `package` ("" is the root).
struct MergeStep {
  Node content;
  std::string package;
  std::string source;
};

struct ExpandedDefaults {
  std::vector<MergeStep> steps;                // in merge order
  std::map<std::string, std::string> choices;  // group -> chosen option
};

// True when `key` names a config group, i.e. a folder under the config directory.
bool is_config_group(const std::filesystem::path& config_dir, std::string_view key);

// Reads the primary config and, recursively, the group options its defaults list selects after
// applying the group overrides. Throws ConfigError for unknown groups or options (with
// suggestions), malformed defaults lists and overrides that match nothing.
ExpandedDefaults expand_defaults(const std::filesystem::path& config_dir, const std::string& config_name,
                                 const std::vector<GroupOverride>& overrides);

}  // namespace arxivc::config::detail
