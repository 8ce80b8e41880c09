#include "arxivc/model/model_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <cstring>
#include <exception>
#include <future>
#include <optional>

#include "arxivc/core/atomic_file.hpp"
#include "arxivc/core/binary_io.hpp"
#include "arxivc/core/error.hpp"
#include "arxivc/core/mapped_file.hpp"
#include "arxivc/core/sha256.hpp"

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

namespace arxivc::model {
namespace {

constexpr std::array<char, 8> kMagic = {'A', 'R', 'X', 'I', 'V', 'C', 'M', '\x1a'};
// Format 1 ended in a SHA-256 of every byte before it; format 2 ends in an XXH3-128 of them. The checksum
// guards against damage, not tampering, and XXH3 hashes a 600 MB model in a few tens of milliseconds where
// SHA-256 (even with the CPU's SHA instructions) takes 0.4 s and was most of the time to load one.
constexpr std::size_t kSha256Bytes = 32;
constexpr std::size_t kXxh3Bytes = sizeof(XXH128_canonical_t);

std::size_t checksum_size(std::uint32_t version) { return version == 1 ? kSha256Bytes : kXxh3Bytes; }

}  // namespace

std::string model_file_checksum(std::uint32_t version, std::string_view bytes) {
  if (version == 1) {
    const std::string hex = sha256_hex(bytes);
    std::string digest(kSha256Bytes, '\0');
    for (std::size_t i = 0; i < kSha256Bytes; ++i) {
      digest[i] = static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    }
    return digest;
  }
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits(bytes.data(), bytes.size()));
  return std::string(reinterpret_cast<const char*>(canonical.digest), sizeof(canonical.digest));
}

std::string serialize_model(const Model& model, const nlohmann::json& metadata) {
  BinaryWriter out;
  for (const char c : kMagic) out.put<char>(c);
  out.put<std::uint32_t>(kModelFormatVersion);
  out.put_string(model.family());
  out.put_string(metadata.dump());
  // The payload is saved in place (one buffer, no copy of a 600 MB model): its length is patched after.
  const std::size_t length_at = out.size();
  out.put<std::uint64_t>(0);
  model.save(out);
  out.patch<std::uint64_t>(length_at, out.size() - length_at - sizeof(std::uint64_t));
  std::string bytes = out.take();
  bytes += model_file_checksum(kModelFormatVersion, bytes);
  return bytes;
}

namespace {

// The payload's parsing, apart from the checksum (which the caller verifies, possibly concurrently).
LoadedModel parse_body(std::string_view body, const std::string& what,
                       const std::shared_ptr<const void>& owner) {
  BinaryReader in(body.substr(kMagic.size() + sizeof(std::uint32_t)), what);
  const std::string family = in.get_string();
  const std::string_view metadata_text = in.get_string_view();
  const std::string_view payload = in.get_string_view();
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
  BinaryReader payload_reader(payload, what + " (" + family + " payload)", owner);
  loaded.model->load(payload_reader);
  if (!payload_reader.at_end()) payload_reader.fail("the payload has bytes the model did not read");
  return loaded;
}

}  // namespace

LoadedModel deserialize_model(std::string_view bytes, const std::string& what,
                              std::shared_ptr<const void> owner) {
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
  const std::size_t checksum_bytes = checksum_size(version);
  if (bytes.size() < kMagic.size() + sizeof(std::uint32_t) + checksum_bytes) {
    throw Error(fmt::format("{}: the file is truncated", what));
  }
  const std::string_view body = bytes.substr(0, bytes.size() - checksum_bytes);
  const auto checksum_matches = [&] {
    return model_file_checksum(version, body) == bytes.substr(body.size());
  };
  const auto checksum_error = [&] {
    return Error(fmt::format("{}: checksum mismatch: the file is damaged or truncated", what));
  };
  // Small files: check, then parse. Large ones (a 1M-feature linear model is 600 MB): hash on a second
  // thread while this one parses (the hash's cost there is mostly the page faults of reading the mapped
  // file); a damaged file still reports the checksum mismatch rather than whatever the parser tripped on.
  constexpr std::size_t kConcurrentCheckBytes = 8 << 20;
  std::optional<LoadedModel> loaded;
  if (body.size() < kConcurrentCheckBytes) {
    if (!checksum_matches()) throw checksum_error();
    loaded = parse_body(body, what, owner);
  } else {
    auto checked = std::async(std::launch::async, checksum_matches);
    std::exception_ptr parse_error;
    try {
      loaded = parse_body(body, what, owner);
    } catch (...) {
      parse_error = std::current_exception();
    }
    if (!checked.get()) throw checksum_error();
    if (parse_error) std::rethrow_exception(parse_error);
  }
  loaded->checksum = std::string(bytes.substr(body.size()));
  return std::move(*loaded);
}

void save_model_file(const std::filesystem::path& path, const Model& model, const nlohmann::json& metadata) {
  write_file_atomic(path, serialize_model(model, metadata));
}

LoadedModel load_model_file(const std::filesystem::path& path) {
  auto file = std::make_shared<const MappedFile>(
      MappedFile::open(path, /*populate=*/false));  // its error names the file
  return deserialize_model(file->bytes(), path.string(), file);
}

}  // namespace arxivc::model
