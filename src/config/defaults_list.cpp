#include "defaults_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "arxivc/core/error.hpp"
#include "scalar_text.hpp"
#include "suggest.hpp"

namespace arxivc::config::detail {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSelf = "_self_";
constexpr std::string_view kDefaultsKey = "defaults";
// Overrides in group files may change choices made elsewhere, and the newly chosen files may
// override again; a chain this long means two files keep overriding each other.
constexpr int kMaxPasses = 16;
constexpr int kMaxDepth = 32;

struct DefaultsEntry {
  bool is_self = false;
  // A plain name: another config file (not a group's option) merged at the same place as this one, e.g.
  // `- default` in prepare/temporal.yaml extends prepare/default.yaml. Relative to this file's group;
  // a leading '/' makes it relative to the config directory.
  std::string config_path;
  std::string group;  // as written; a leading '/' makes it absolute rather than relative to the file's group
  std::optional<std::string> option;
  bool optional = false;
  bool is_override = false;
  std::string origin;  // where the entry was written, for messages
};

struct ConfigFile {
  Node content;  // without its defaults list
  std::vector<DefaultsEntry> defaults;
  std::optional<std::string> package_header;
  std::string source;
};

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

// Hydra reads "# @package <name>" from the comment lines at the top of a file.
std::optional<std::string> read_package_header(std::string_view text) {
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const std::string_view line = trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    if (line.empty()) continue;
    if (line.front() != '#') break;
    const std::string_view comment = trim(line.substr(1));
    constexpr std::string_view kDirective = "@package";
    if (comment.starts_with(kDirective) && comment.size() > kDirective.size() &&
        (comment[kDirective.size()] == ' ' || comment[kDirective.size()] == '\t')) {
      return std::string(trim(comment.substr(kDirective.size())));
    }
  }
  return std::nullopt;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.' || c == '/';
}

// Group and option names become paths: refuse anything that could leave the config directory.
void validate_name(std::string_view name, std::string_view what, std::string_view origin) {
  const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), is_name_char) &&
                     name.find("..") == std::string_view::npos && name.back() != '/' &&
                     name.find("//") == std::string_view::npos;
  if (!valid) throw ConfigError(fmt::format("{}: invalid {} '{}'", origin, what, name));
}

DefaultsEntry parse_entry(const Node& item, const std::string& source) {
  DefaultsEntry entry;
  entry.origin = source;
  if (item.kind() == Node::Kind::string && item.as_string() == kSelf) {
    entry.is_self = true;
    return entry;
  }
  if (item.kind() == Node::Kind::string) {
    const std::string& path = item.as_string();
    validate_name(std::string_view(path).substr(path.starts_with('/') ? 1 : 0), "config name", source);
    entry.config_path = path;
    return entry;
  }
  if (!item.is_map() || item.entries().size() != 1) {
    throw ConfigError(fmt::format(
        "{}: unsupported defaults list entry {} (expected _self_, a config name or 'group: option')", source,
        item.is_scalar() ? fmt::format("'{}'", scalar_text(item)) : describe(item)));
  }
  const auto& [key, value] = item.entries().front();
  std::istringstream words(key);
  std::vector<std::string> tokens{std::istream_iterator<std::string>(words),
                                  std::istream_iterator<std::string>()};
  if (tokens.empty()) throw ConfigError(fmt::format("{}: empty group name in the defaults list", source));
  entry.group = tokens.back();
  tokens.pop_back();
  for (const std::string& keyword : tokens) {
    if (keyword == "optional") {
      entry.optional = true;
    } else if (keyword == "override") {
      entry.is_override = true;
    } else {
      throw ConfigError(
          fmt::format("{}: unknown keyword '{}' in defaults list entry '{}' (expected optional or override)",
                      source, keyword, key));
    }
  }
  if (entry.group.find('@') != std::string::npos) {
    throw ConfigError(
        fmt::format("{}: package overrides ('{}') in the defaults list are not supported", source, key));
  }
  const std::string_view relative =
      std::string_view(entry.group).substr(entry.group.starts_with('/') ? 1 : 0);
  validate_name(relative, "group name", source);
  if (!value.is_null()) {
    if (!value.is_scalar()) {
      throw ConfigError(fmt::format("{}: the option of group '{}' must be a name, got {}", source,
                                    entry.group, describe(value)));
    }
    entry.option = scalar_text(value);
  }
  return entry;
}

std::vector<DefaultsEntry> parse_defaults_list(const Node& list, const std::string& source) {
  if (!list.is_list()) {
    throw ConfigError(fmt::format("{}: 'defaults' must be a list, got {}", source, describe(list)));
  }
  std::vector<DefaultsEntry> entries;
  for (const Node& item : list.items()) {
    entries.push_back(parse_entry(item, source));
    if (entries.back().is_self &&
        std::count_if(entries.begin(), entries.end(), [](const auto& e) { return e.is_self; }) > 1) {
      throw ConfigError(fmt::format("{}: _self_ appears twice in the defaults list", source));
    }
  }
  return entries;
}

ConfigFile read_config_file(const fs::path& path) {
  const std::string source = path.string();
  std::error_code ignored;
  if (!fs::is_regular_file(path, ignored))
    throw ConfigError(fmt::format("config file '{}' not found", source));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("cannot read config file '{}'", source));
  std::ostringstream text;
  text << in.rdbuf();

  ConfigFile file;
  file.source = source;
  file.package_header = read_package_header(text.str());
  file.content = parse_yaml(text.str(), source);
  if (file.content.is_null()) file.content = Node::map();
  if (!file.content.is_map()) {
    throw ConfigError(
        fmt::format("{}: a config file must hold a map, got {}", source, describe(file.content)));
  }
  if (const Node* defaults = file.content.find(kDefaultsKey)) {
    file.defaults = parse_defaults_list(*defaults, source);
    file.content.erase(kDefaultsKey);
  }
  return file;
}

std::vector<std::string> list_entries(const fs::path& dir, bool directories) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (directories && entry.is_directory(error)) {
      names.push_back(entry.path().filename().string());
    } else if (!directories && entry.is_regular_file(error) && entry.path().extension() == ".yaml") {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string join_package(std::string_view parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  if (child.empty()) return std::string(parent);
  return fmt::format("{}.{}", parent, child);
}

std::string group_to_package(std::string_view group) {
  std::string package(group);
  std::replace(package.begin(), package.end(), '/', '.');
  return package;
}

// The package a group file's content lands at. Without a header, Hydra derives it from the group
// (relative to the parent's package); "_global_" is the root, "_group_" the derived default.
// Any other header is taken as an absolute dotted path.
std::string resolve_package(const std::optional<std::string>& header, const std::string& default_package) {
  if (!header) return default_package;
  constexpr std::string_view kGlobal = "_global_";
  constexpr std::string_view kGroup = "_group_";
  std::string_view value = *header;
  if (value == kGlobal) return "";
  if (value.starts_with(kGlobal) && value.size() > kGlobal.size() && value[kGlobal.size()] == '.') {
    return std::string(value.substr(kGlobal.size() + 1));
  }
  if (value == kGroup) return default_package;
  if (value.starts_with(kGroup) && value.size() > kGroup.size() && value[kGroup.size()] == '.') {
    return join_package(default_package, value.substr(kGroup.size() + 1));
  }
  return std::string(value);
}

class DefaultsExpander {
 public:
  DefaultsExpander(fs::path config_dir, std::string config_name, const std::vector<GroupOverride>& overrides)
      : config_dir_(std::move(config_dir)), config_name_(std::move(config_name)) {
    for (const GroupOverride& request : overrides) record(request);
  }

  ExpandedDefaults run() {
    const ConfigFile& primary = load(config_dir_ / (config_name_ + ".yaml"));
    for (const GroupOverride& request : additions_) {
      const bool listed =
          std::any_of(primary.defaults.begin(), primary.defaults.end(), [&](const auto& entry) {
            return !entry.is_self && !entry.is_override && absolute_group(entry.group, "") == request.group;
          });
      if (listed) {
        throw ConfigError(fmt::format(
            "cannot add config group '{}' with '{}': it is already in the defaults list of {} (use {}={} to "
            "change it)",
            request.group, request.text, primary.source, request.group, request.option.value_or("null")));
      }
      appended_.push_back(command_line_entry(request));
    }

    for (int pass = 0; pass < kMaxPasses; ++pass) {
      Pass state;
      visit(primary, "", "", appended_, state, 0);

      // ++group=option adds the group only where no defaults list has it, which a pass reveals.
      const auto unseen = std::stable_partition(
          add_or_choose_.begin(), add_or_choose_.end(),
          [&](const GroupOverride& request) { return state.seen.contains(request.group); });
      if (unseen != add_or_choose_.end()) {
        std::transform(unseen, add_or_choose_.end(), std::back_inserter(appended_), command_line_entry);
        add_or_choose_.erase(unseen, add_or_choose_.end());
        continue;
      }
      if (state.found_overrides != tree_overrides_) {
        tree_overrides_ = std::move(state.found_overrides);
        continue;
      }
      check_all_used(state);
      return ExpandedDefaults{std::move(state.steps), std::move(state.choices)};
    }
    throw ConfigError(fmt::format(
        "the 'override' entries of the defaults lists under {} keep changing each other's choices",
        config_dir_.string()));
  }

 private:
  struct FoundOverride {
    std::optional<std::string> option;
    std::string origin;
    bool operator==(const FoundOverride&) const = default;
  };

  struct Pass {
    std::vector<MergeStep> steps;
    std::map<std::string, std::string> choices;
    std::map<std::string, std::string> seen;  // group -> where its entry was written
    std::map<std::string, FoundOverride> found_overrides;
    std::set<std::string> used_removals;
    std::optional<std::string> missing_option_error;
  };

  static DefaultsEntry command_line_entry(const GroupOverride& request) {
    DefaultsEntry entry;
    entry.group = "/" + request.group;
    entry.option = request.option;
    entry.origin = fmt::format("override '{}'", request.text);
    return entry;
  }

  void record(const GroupOverride& request) {
    switch (request.action) {
      case GroupOverride::Action::choose:
        cli_choices_[request.group] = request;
        break;
      case GroupOverride::Action::add:
        if (std::any_of(additions_.begin(), additions_.end(),
                        [&](const GroupOverride& other) { return other.group == request.group; })) {
          throw ConfigError(
              fmt::format("config group '{}' is added twice ('{}')", request.group, request.text));
        }
        additions_.push_back(request);
        break;
      case GroupOverride::Action::add_or_choose:
        cli_choices_[request.group] = request;
        std::erase_if(add_or_choose_,
                      [&](const GroupOverride& other) { return other.group == request.group; });
        add_or_choose_.push_back(request);
        break;
      case GroupOverride::Action::remove:
        removals_[request.group] = request;
        break;
    }
  }

  const ConfigFile& load(const fs::path& path) {
    const std::string key = path.string();
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, read_config_file(path)).first;
    return it->second;
  }

  static std::string absolute_group(const std::string& written, const std::string& parent_group) {
    if (written.starts_with('/')) return written.substr(1);
    return parent_group.empty() ? written : fmt::format("{}/{}", parent_group, written);
  }

  void visit(const ConfigFile& file, const std::string& package, const std::string& group_dir,
             const std::vector<DefaultsEntry>& appended, Pass& pass, int depth) {
    if (depth > kMaxDepth) throw ConfigError(fmt::format("{}: defaults lists nest too deeply", file.source));
    // Hydra 1.1+: without an explicit _self_, a config's own values come after (and so override)
    // everything its defaults list brings in.
    const bool explicit_self =
        std::any_of(file.defaults.begin(), file.defaults.end(), [](const auto& e) { return e.is_self; });
    for (const DefaultsEntry& entry : file.defaults)
      visit_entry(entry, file, package, group_dir, pass, depth);
    if (!explicit_self) pass.steps.push_back(MergeStep{file.content, package, file.source});
    // Groups added on the command line come after the whole primary config, as in Hydra.
    for (const DefaultsEntry& entry : appended) visit_entry(entry, file, package, group_dir, pass, depth);
  }

  void visit_entry(const DefaultsEntry& entry, const ConfigFile& file, const std::string& package,
                   const std::string& group_dir, Pass& pass, int depth) {
    if (entry.is_self) {
      pass.steps.push_back(MergeStep{file.content, package, file.source});
      return;
    }
    if (!entry.config_path.empty()) return visit_config(entry, package, group_dir, pass, depth);
    const std::string group = absolute_group(entry.group, group_dir);
    if (entry.is_override) {
      pass.found_overrides[group] = FoundOverride{entry.option, entry.origin};
      return;
    }
    check_group_exists(group, entry);
    if (const auto previous = pass.seen.find(group); previous != pass.seen.end()) {
      throw ConfigError(
          fmt::format("config group '{}' is in the defaults lists twice ({} and {}); to change its option "
                      "from a group file "
                      "write 'override /{}: <option>'",
                      group, previous->second, entry.origin, group));
    }
    pass.seen.emplace(group, entry.origin);

    std::optional<std::string> option = entry.option;
    std::string chosen_in = entry.origin;
    if (const auto found = tree_overrides_.find(group); found != tree_overrides_.end()) {
      option = found->second.option;
      chosen_in = found->second.origin;
    }
    if (const auto cli = cli_choices_.find(group); cli != cli_choices_.end()) {
      option = cli->second.option;
      chosen_in = fmt::format("override '{}'", cli->second.text);
    }
    if (const auto removal = removals_.find(group); removal != removals_.end()) {
      if (!removal->second.option || removal->second.option == option) {
        pass.used_removals.insert(group);
        return;
      }
    }
    if (!option) return;  // "group: null" selects nothing until an override chooses an option
    validate_name(*option, fmt::format("option for group '{}'", group), chosen_in);

    const fs::path option_path = config_dir_ / group / (*option + ".yaml");
    std::error_code ignored;
    if (!fs::is_regular_file(option_path, ignored)) {
      if (entry.optional) return;
      // Deferred: an 'override' entry found later in this pass may replace this choice.
      if (!pass.missing_option_error)
        pass.missing_option_error = unknown_option_message(group, *option, chosen_in);
      return;
    }
    pass.choices[group] = *option;
    const ConfigFile& chosen = load(option_path);
    const std::string relative_group = entry.group.starts_with('/') ? entry.group.substr(1) : entry.group;
    const std::string default_package = entry.group.starts_with('/')
                                            ? group_to_package(relative_group)
                                            : join_package(package, group_to_package(relative_group));
    visit(chosen, resolve_package(chosen.package_header, default_package), group, {}, pass, depth + 1);
  }

  // Hydra's config entry: the named file's content (and its own defaults list) merges where the file
  // that names it does; a name in a subfolder lands in the matching sub-package.
  void visit_config(const DefaultsEntry& entry, const std::string& package, const std::string& group_dir,
                    Pass& pass, int depth) {
    const std::string path = absolute_group(entry.config_path, group_dir);
    const fs::path file_path = config_dir_ / (path + ".yaml");
    std::error_code ignored;
    if (!fs::is_regular_file(file_path, ignored)) {
      const fs::path folder = file_path.parent_path();
      const std::vector<std::string> names = list_entries(folder, false);
      const auto match = closest_match(fs::path(path).filename().string(), names);
      throw ConfigError(fmt::format("config '{}' named in the defaults list of {} not found ({}){}", path,
                                    entry.origin, file_path.string(),
                                    match ? fmt::format(" (did you mean '{}'?)", *match) : ""));
    }
    const ConfigFile& named = load(file_path);
    const std::string sub_package = group_to_package(fs::path(entry.config_path).parent_path().string());
    const std::string default_package = entry.config_path.starts_with('/')
                                            ? group_to_package(fs::path(path).parent_path().string())
                                            : join_package(package, sub_package);
    visit(named, resolve_package(named.package_header, default_package),
          fs::path(path).parent_path().string(), {}, pass, depth + 1);
  }

  void check_group_exists(const std::string& group, const DefaultsEntry& entry) const {
    std::error_code ignored;
    if (fs::is_directory(config_dir_ / group, ignored)) return;
    const fs::path parent = fs::path(group).parent_path();
    const std::vector<std::string> groups = list_entries(config_dir_ / parent, true);
    const std::string name = fs::path(group).filename().string();
    std::string message = fmt::format("unknown config group '{}' in {}", group, entry.origin);
    const auto match = closest_match(name, groups);
    const std::string prefix = parent.empty() ? "" : parent.string() + "/";
    if (match) message += fmt::format(" (did you mean '{}{}'?)", prefix, *match);
    message += fmt::format(" (available groups: {})",
                           groups.empty() ? "none" : fmt::format("{}", fmt::join(groups, ", ")));
    throw ConfigError(message);
  }

  std::string unknown_option_message(const std::string& group, const std::string& option,
                                     const std::string& chosen_in) const {
    const std::vector<std::string> options = list_entries(config_dir_ / group, false);
    const auto match = closest_match(option, options);
    const std::string available = options.empty() ? "none" : fmt::format("{}", fmt::join(options, ", "));
    return fmt::format("unknown option '{}' for group '{}' ({}available: {}); chosen in {}", option, group,
                       match ? fmt::format("did you mean '{}'? ", *match) : "", available, chosen_in);
  }

  void check_all_used(const Pass& pass) const {
    if (pass.missing_option_error) throw ConfigError(*pass.missing_option_error);
    for (const auto& [group, request] : cli_choices_) {
      if (!pass.seen.contains(group)) {
        throw ConfigError(fmt::format(
            "cannot override config group '{}' with '{}': it is not in the defaults list (use +{} to add it)",
            group, request.text, request.text));
      }
    }
    for (const auto& [group, found] : tree_overrides_) {
      if (!pass.seen.contains(group)) {
        throw ConfigError(fmt::format("{}: 'override {}' matches no config group in the defaults list",
                                      found.origin, group));
      }
    }
    for (const auto& [group, removal] : removals_) {
      if (!pass.used_removals.contains(group)) {
        const auto chosen = pass.choices.find(group);
        throw ConfigError(
            chosen != pass.choices.end() && removal.option
                ? fmt::format("cannot remove config group with '{}': its option is '{}', not '{}'",
                              removal.text, chosen->second, *removal.option)
                : fmt::format("cannot remove config group with '{}': group '{}' is not in the defaults list",
                              removal.text, group));
      }
    }
  }

  fs::path config_dir_;
  std::string config_name_;
  std::map<std::string, ConfigFile> cache_;
  std::map<std::string, GroupOverride> cli_choices_;
  std::vector<GroupOverride> additions_;      // in command-line order
  std::vector<GroupOverride> add_or_choose_;  // not yet known to be in a defaults list
  std::map<std::string, GroupOverride> removals_;
  std::vector<DefaultsEntry> appended_;
  std::map<std::string, FoundOverride> tree_overrides_;
};

}  // namespace

bool is_config_group(const fs::path& config_dir, std::string_view key) {
  if (key.empty() || key.find('.') != std::string_view::npos) return false;
  std::error_code ignored;
  return fs::is_directory(config_dir / key, ignored);
}

ExpandedDefaults expand_defaults(const fs::path& config_dir, const std::string& config_name,
                                 const std::vector<GroupOverride>& overrides) {
  return DefaultsExpander(config_dir, config_name, overrides).run();
}

}  // namespace arxivc::config::detail
