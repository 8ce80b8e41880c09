#pragma once

// The model file: one self-checking file that holds a trained model of any family.
//
// Layout (little-endian, BinaryWriter encoding):
//   magic            8 bytes  "ARXIVCM\x1a"
//   format version   uint32   kModelFormatVersion
//   family           string   registry name ("linear")
//   metadata         string   JSON text (labels, training run, metrics: whatever the caller stores)
//   payload          string   the model's save() bytes
//   checksum         16 bytes XXH3-128 (canonical, big-endian) of every byte before it
//                    (format 1, still read: 32 bytes, SHA-256)
// The file is written atomically; loading verifies every part and names what is wrong.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "arxivc/model/model.hpp"

namespace arxivc::model {

inline constexpr std::uint32_t kModelFormatVersion = 2;

struct LoadedModel {
  std::unique_ptr<Model> model;
  nlohmann::json metadata;
  std::string checksum;  // the file's checksum bytes: they identify the file (Classifier::version)
};

// The whole file's bytes, and their parsing: save/load_model_file use these; exposed for tests and
// for callers that keep model bytes elsewhere. `what` names the source in error messages.
std::string serialize_model(const Model& model, const nlohmann::json& metadata);
// `owner`, when given, keeps `bytes` alive: the model may then keep views into them instead of copies.
LoadedModel deserialize_model(std::string_view bytes, const std::string& what,
                              std::shared_ptr<const void> owner = nullptr);

// The checksum that ends a file of format `version` whose other bytes are `bytes`.
std::string model_file_checksum(std::uint32_t version, std::string_view bytes);

void save_model_file(const std::filesystem::path& path, const Model& model, const nlohmann::json& metadata);
// The file is mapped, not read: a linear model's weight matrix stays in the page cache (shared by every
// process serving the same model) and loading costs little more than checking the checksum.
// Throws arxivc::Error naming the file: not a model file, newer format, damaged (checksum), truncated,
// unknown family, or a payload the family cannot read.
LoadedModel load_model_file(const std::filesystem::path& path);

}  // namespace arxivc::model
