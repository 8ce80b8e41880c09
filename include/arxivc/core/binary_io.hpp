#pragma once

// Little-endian binary serialisation into/out of memory, with bounds checks. Model files are built on it.

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "arxivc/core/error.hpp"

namespace arxivc {

class BinaryWriter {
 public:
  template <typename T>
  requires std::is_trivially_copyable_v<T>
  void put(const T& value) {
    const auto* p = reinterpret_cast<const char*>(&value);
    buffer_.append(p, sizeof(T));
  }
  template <typename T>
  requires std::is_trivially_copyable_v<T>
  void put_array(std::span<const T> values) {
    put<std::uint64_t>(values.size());
    buffer_.append(reinterpret_cast<const char*>(values.data()), values.size_bytes());
  }
  void put_string(std::string_view s) {
    put<std::uint64_t>(s.size());
    buffer_.append(s.data(), s.size());
  }
  void put_bytes(const void* data, std::size_t size) { buffer_.append(static_cast<const char*>(data), size); }
  // Overwrites a value written earlier at byte `offset` (a length known only once what follows is written).
  template <typename T>
  requires std::is_trivially_copyable_v<T>
  void patch(std::size_t offset, const T& value) { std::memcpy(buffer_.data() + offset, &value, sizeof(T)); }
  void reserve(std::size_t bytes) { buffer_.reserve(bytes); }
  std::size_t size() const { return buffer_.size(); }
  const std::string& bytes() const { return buffer_; }
  std::string take() { return std::move(buffer_); }

 private:
  std::string buffer_;
};

// Reads what BinaryWriter wrote. Any read past the end or an implausible size throws arxivc::Error
// with `what` (e.g. the file name) in the message.
class BinaryReader {
 public:
  BinaryReader(std::string_view bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}
  // `owner` keeps `bytes` valid (a mapped model file): a reader of large arrays may then point into the
  // bytes instead of copying them, holding `owner` for as long as it does.
  BinaryReader(std::string_view bytes, std::string what, std::shared_ptr<const void> owner)
      : bytes_(bytes), what_(std::move(what)), owner_(std::move(owner)) {}
  const std::shared_ptr<const void>& owner() const { return owner_; }

  template <typename T>
  requires std::is_trivially_copyable_v<T> T get() {
    need(sizeof(T));
    T value;
    std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }
  template <typename T>
  requires std::is_trivially_copyable_v<T> std::vector<T> get_array() {
    const auto n = get<std::uint64_t>();
    if (n > (bytes_.size() - pos_) / sizeof(T)) fail("array length exceeds the remaining data");
    std::vector<T> values(n);
    // An empty vector's data() may be null, which memcpy must not be given even for 0 bytes.
    if (n != 0) std::memcpy(values.data(), bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return values;
  }
  std::string get_string() {
    const auto n = get<std::uint64_t>();
    need(n);
    std::string s(bytes_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  // The next n bytes, viewed in place (no copy): for large arrays the caller lays out itself.
  std::string_view get_bytes(std::size_t n) {
    need(n);
    const auto view = bytes_.substr(pos_, n);
    pos_ += n;
    return view;
  }
  // A string written by put_string, viewed in place.
  std::string_view get_string_view() { return get_bytes(get<std::uint64_t>()); }
  bool at_end() const { return pos_ == bytes_.size(); }
  std::size_t position() const { return pos_; }
  [[noreturn]] void fail(const std::string& why) const {
    throw Error(what_ + ": " + why + " (at byte " + std::to_string(pos_) + ")");
  }

 private:
  void need(std::size_t n) const {
    if (n > bytes_.size() - pos_) fail("unexpected end of data (file truncated?)");
  }
  std::string_view bytes_;
  std::size_t pos_ = 0;
  std::string what_;
  std::shared_ptr<const void> owner_;
};

}  // namespace arxivc
