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
  const auto digest = sha256_bytes(bytes);
  bytes.append(reinterpret_cast<const char*>(digest.data()), digest.size());
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
  if (bytes.size() < kMagic.size() + sizeof(std::uint32_t) + kChecksumBytes) {
    throw Error(fmt::format("{}: the file is truncated", what));
  }
  const std::string_view body = bytes.substr(0, bytes.size() - kChecksumBytes);
  const auto checksum_matches = [&] {
    const auto digest = sha256_bytes(body);
    return std::memcmp(digest.data(), bytes.data() + body.size(), kChecksumBytes) == 0;
  };
  const auto checksum_error = [&] {
    return Error(fmt::format("{}: checksum mismatch: the file is damaged or truncated", what));
  };
  // Small files: check, then parse. Large ones (a 1M-feature linear model is 600 MB): hash on a second
  // thread while this one parses, which halves the time to load; a damaged file still reports the
  // checksum mismatch rather than whatever the parser tripped on.
  constexpr std::size_t kConcurrentCheckBytes = 8 << 20;
  if (body.size() < kConcurrentCheckBytes) {
    if (!checksum_matches()) throw checksum_error();
    return parse_body(body, what, owner);
  }
  auto checked = std::async(std::launch::async, checksum_matches);
  std::optional<LoadedModel> loaded;
  std::exception_ptr parse_error;
  try {
    loaded = parse_body(body, what, owner);
  } catch (...) {
    parse_error = std::current_exception();
  }
  if (!checked.get()) throw checksum_error();
  if (parse_error) std::rethrow_exception(parse_error);
  return std::move(*loaded);
}

void save_model_file(const std::filesystem::path& path, const Model& model, const nlohmann::json& metadata) {
  write_file_atomic(path, serialize_model(model, metadata));
}

LoadedModel load_model_file(const std::filesystem::path& path) {
  auto file = std::make_shared<const MappedFile>(MappedFile::open(path));  // its error names the file
  return deserialize_model(file->bytes(), path.string(), file);
}

}  // namespace arxivc::model
