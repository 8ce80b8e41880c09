#include "arxivc/model/model_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <cstring>
#include <fstream>
#include <sstream>

#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/binary_io.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/sha256.hpp"

namespace arxivc::model {
namespace {

constexpr std::array<char, 8> kMagic = {'A', 'R', 'X', 'I', 'V', 'C', 'M', '\x1a'};
constexpr std::size_t kChecksumBytes = 32;

std::array<unsigned char, kChecksumBytes> sha256_bytes(std::string_view bytes) {
  const std::string hex = sha256_hex(bytes);
  std::array<unsigned char, kChecksumBytes> digest{};
  for (std::size_t i = 0; i < kChecksumBytes; ++i) {
    digest[i] = static_cast<unsigned char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  }
  return digest;
}

}  // namespace

std::string serialize_model(const Model& model, const nlohmann::json& metadata) {
  BinaryWriter payload;
  model.save(payload);
  BinaryWriter out;
  for (const char c : kMagic) out.put<char>(c);
  out.put<std::uint32_t>(kModelFormatVersion);
  out.put_string(model.family());
  out.put_string(metadata.dump());
  out.put_string(payload.bytes());
  std::string bytes = out.take();
  const auto digest = sha256_bytes(bytes);
  bytes.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return bytes;
}

LoadedModel deserialize_model(std::string_view bytes, const std::string& what) {
  if (bytes.size() < kMagic.size() || std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
    throw Error(fmt::format("{}: not an arxivc model file", what));
  }
  BinaryReader header(bytes.substr(kMagic.size()), what);
  const auto version = header.get<std::uint32_t>();
  if (version > kModelFormatVersion) {
    throw Error(fmt::format("{}: model format version {} is newer than this build supports ({})", what,
                            version, kModelFormatVersion));
  }
  if (version == 0) throw Error(fmt::format("{}: invalid model format version 0", what));
  if (bytes.size() < kMagic.size() + sizeof(std::uint32_t) + kChecksumBytes) {
    throw Error(fmt::format("{}: the file is truncated", what));
  }
  const std::string_view body = bytes.substr(0, bytes.size() - kChecksumBytes);
  const auto digest = sha256_bytes(body);
  if (std::memcmp(digest.data(), bytes.data() + body.size(), kChecksumBytes) != 0) {
    throw Error(fmt::format("{}: checksum mismatch: the file is damaged or truncated", what));
  }

  BinaryReader in(body.substr(kMagic.size() + sizeof(std::uint32_t)), what);
  const std::string family = in.get_string();
  const std::string metadata_text = in.get_string();
  const std::string payload = in.get_string();
  if (!in.at_end()) in.fail("unexpected bytes after the payload");

  LoadedModel loaded;
  try {
    loaded.metadata = nlohmann::json::parse(metadata_text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: the metadata is not valid JSON: {}", what, e.what()));
  }
  try {
    loaded.model = create_model(family);
  } catch (const ConfigError&) {
    throw Error(fmt::format("{}: unknown model family '{}' (this build knows: {})", what, family,
                            fmt::join(model_families(), ", ")));
  }
  BinaryReader payload_reader(payload, what + " (" + family + " payload)");
  loaded.model->load(payload_reader);
  if (!payload_reader.at_end()) payload_reader.fail("the payload has bytes the model did not read");
  return loaded;
}

void save_model_file(const std::filesystem::path& path, const Model& model, const nlohmann::json& metadata) {
  write_file_atomic(path, serialize_model(model, metadata));
}

LoadedModel load_model_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot open model file {}", path.string()));
  std::string bytes;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw Error(fmt::format("cannot read model file {}", path.string()));
  bytes.resize(static_cast<std::size_t>(size));
  in.seekg(0);
  in.read(bytes.data(), size);
  if (!in) throw Error(fmt::format("cannot read model file {}", path.string()));
  return deserialize_model(bytes, path.string());
}

}  // namespace arxivc::model
