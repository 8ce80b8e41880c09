#include "arxivc/dataset/dataset.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "arxivc/core/error.hpp"
#include "arxivc/core/sha256.hpp"

namespace arxivc::dataset {
namespace {

constexpr int kManifestVersion = 1;

nlohmann::json read_manifest(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw Error(
        fmt::format("{}: no manifest.json (not a prepared dataset, or its preparation did not finish)",
                    file.parent_path().string()));
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
  }
}

// The value of `key` in `object`, of the expected kind; throws naming the manifest and the key.
const nlohmann::json& member(const nlohmann::json& object, std::string_view key, nlohmann::json::value_t kind,
                             const std::filesystem::path& manifest, std::string_view where) {
  const auto it = object.find(key);
  if (it == object.end() || it->type() != kind) {
    throw Error(fmt::format("{}: {}'{}' is missing or has the wrong type", manifest.string(), where, key));
  }
  return *it;
}

// A split file must be a plain name inside the dataset directory.
bool plain_file_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\\') == std::string::npos;
}

}  // namespace

Dataset Dataset::open(const std::filesystem::path& dir) {
  using value_t = nlohmann::json::value_t;
  if (!std::filesystem::is_directory(dir))
    throw Error(fmt::format("{}: no such dataset directory", dir.string()));
  const auto manifest_file = dir / "manifest.json";
  Dataset dataset;
  dataset.dir_ = dir;
  dataset.manifest_ = read_manifest(manifest_file);
  const auto& manifest = dataset.manifest_;
  if (!manifest.is_object()) throw Error(fmt::format("{}: not a JSON object", manifest_file.string()));
  const auto& version = member(manifest, "format_version", value_t::number_unsigned, manifest_file, "");
  if (version != kManifestVersion) {
    throw Error(fmt::format("{}: dataset format version {}, this arxivc reads version {}",
                            manifest_file.string(), version.dump(), kManifestVersion));
  }
  member(manifest, "label_mode", value_t::string, manifest_file, "");
  member(manifest, "content_hash", value_t::string, manifest_file, "");
  for (const auto& label : member(manifest, "labels", value_t::array, manifest_file, "")) {
    if (!label.is_object()) throw Error(fmt::format("{}: a label is not an object", manifest_file.string()));
    dataset.labels_.push_back(
        member(label, "code", value_t::string, manifest_file, "labels: ").get<std::string>());
  }
  for (const auto& entry : member(manifest, "splits", value_t::array, manifest_file, "")) {
    if (!entry.is_object()) throw Error(fmt::format("{}: a split is not an object", manifest_file.string()));
    const auto name = member(entry, "name", value_t::string, manifest_file, "splits: ").get<std::string>();
    const auto where = fmt::format("split {}: ", name);
    const auto file = member(entry, "file", value_t::string, manifest_file, where).get<std::string>();
    const auto sha256 = member(entry, "sha256", value_t::string, manifest_file, where).get<std::string>();
    const auto examples =
        member(entry, "examples", value_t::number_unsigned, manifest_file, where).get<std::uint64_t>();
    if (!plain_file_name(file)) {
      throw Error(fmt::format("{}: split {} names the file '{}', not a file of the dataset directory",
                              manifest_file.string(), name, file));
    }
    if (dataset.has_split(name))
      throw Error(fmt::format("{}: split {} is listed twice", manifest_file.string(), name));
    std::shared_ptr<Split> split = Split::open(dir / file, name, dataset.labels_.size());
    if (sha256_hex(split->bytes()) != sha256) {
      throw Error(fmt::format("{}: SHA-256 differs from the manifest's (the file was changed or damaged)",
                              (dir / file).string()));
    }
    if (split->size() != examples) {
      throw Error(fmt::format("{}: {} examples, the manifest says {}", (dir / file).string(), split->size(),
                              examples));
    }
    dataset.splits_.push_back(std::move(split));
  }
  return dataset;
}

std::string Dataset::label_mode() const { return manifest_.at("label_mode").get<std::string>(); }

std::string Dataset::content_hash() const { return manifest_.at("content_hash").get<std::string>(); }

bool Dataset::has_split(std::string_view name) const {
  for (const auto& split : splits_) {
    if (split->name() == name) return true;
  }
  return false;
}

const Split& Dataset::split(std::string_view name) const {
  for (const auto& split : splits_) {
    if (split->name() == name) return *split;
  }
  throw Error(fmt::format("dataset {} has no split '{}' (it has: {})", dir_.string(), name,
                          fmt::join(split_names(), ", ")));
}

std::vector<std::string> Dataset::split_names() const {
  std::vector<std::string> names;
  for (const auto& split : splits_) names.push_back(split->name());
  return names;
}

bool is_dataset_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir / "manifest.json", ec);
}

}  // namespace arxivc::dataset
