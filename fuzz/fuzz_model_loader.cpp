// The model file loader on the input as the bytes of a model.bin: magic, format version, family,
// metadata, payload and checksum are all checked. The checksum would stop almost every mutation at the
// door, so the harness also tries each input with its checksum made right: the payload parsers of the
// model families are then reached too. A model that loads is used (described, and one document scored),
// so a payload that loads but is inconsistent shows up as well. Rejections must be arxivc::Error.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "arxivc/core/error.hpp"
#include "arxivc/model/model_file.hpp"

namespace model = arxivc::model;

namespace {

// The magic and format version (8 + 4 bytes) say which checksum ends the file: 16 bytes for format 2,
// 32 for format 1.
std::string with_checksum_fixed(std::string_view bytes) {
  constexpr std::size_t kHeader = 12;
  if (bytes.size() < kHeader) return std::string(bytes);
  const std::uint32_t version = static_cast<std::uint8_t>(bytes[8]) |
                                static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[9])) << 8U |
                                static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[10])) << 16U |
                                static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[11])) << 24U;
  const std::size_t checksum_size = version == 1 ? 32 : 16;
  if (bytes.size() < kHeader + checksum_size) return std::string(bytes);
  const std::string_view content = bytes.substr(0, bytes.size() - checksum_size);
  return std::string(content) + model::model_file_checksum(version, content);
}

void load_and_use(std::string bytes) {
  // Kept alive by the model, which may keep views into the bytes instead of copies (as from a mapping).
  const auto owner = std::make_shared<const std::string>(std::move(bytes));
  try {
    const model::LoadedModel loaded = model::deserialize_model(*owner, "fuzz input", owner);
    (void)loaded.model->describe();
    (void)loaded.metadata.dump();
    const std::size_t labels = loaded.model->label_count();
    if (labels == 0 || labels > (1U << 20)) return;
    const std::array<model::Document, 1> documents{
        {{"Quantum groups and knot invariants", "We compute the Jones polynomial of torus knots."}}};
    std::vector<float> probabilities(labels);
    loaded.model->predict(documents, probabilities);
  } catch (const arxivc::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  load_and_use(std::string(bytes));
  load_and_use(with_checksum_fixed(bytes));
  return 0;
}
