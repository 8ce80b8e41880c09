#include <fmt/format.h>

#include <cstring>

#include "arxivc/core/error.hpp"
#include "arxivc/core/sha256.hpp"
#include "arxivc/dataset/dataset.hpp"
#include "split_format.hpp"
#include "streamed_file.hpp"

namespace arxivc::dataset {
namespace {

[[noreturn]] void damaged(const std::filesystem::path& file, const std::string& problem) {
  throw Error(fmt::format("{}: damaged dataset split file: {}", file.string(), problem));
}

// A month is 0 (unknown) or YYYYMM with a real month.
bool valid_month(std::uint32_t month) { return month == 0 || (month % 100 >= 1 && month % 100 <= 12); }

// The sections of a split file, written in order.
class SplitOutput {
 public:
  explicit SplitOutput(const std::filesystem::path& file) : file_(file) {}

  void bytes(std::string_view data) { file_.write(data); }
  template <typename T>
  void put(const T& value) {
    bytes(std::string_view(reinterpret_cast<const char*>(&value), sizeof value));
  }
  // Zeros up to the next multiple of 8, where a section ends.
  void align() {
    static constexpr char kZeros[8] = {};
    if (file_.written() % 8 != 0) bytes(std::string_view(kZeros, 8 - file_.written() % 8));
  }
  std::uint64_t position() const { return file_.written(); }
  std::string commit() { return file_.commit(); }

 private:
  StreamedFile file_;
};

}  // namespace

// One pass over the examples per section, streaming: memory stays small whatever the split's size.
std::string write_split(const std::filesystem::path& file, std::size_t count,
                        const std::function<Example(std::size_t)>& example_at) {
  std::uint64_t text_bytes = 0;
  std::uint64_t label_entries = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const Example example = example_at(i);
    text_bytes += example.id.size() + example.title.size() + example.abstract.size();
    label_entries += example.labels.size();
  }
  const auto header = format::layout(count, label_entries, text_bytes);
  if (!header) throw Error(fmt::format("{}: split too large for the dataset format", file.string()));
  const auto changed = [&] {
    return Error(fmt::format("{}: the examples changed while being written", file.string()));
  };

  SplitOutput out(file);
  out.put(*header);
  std::uint64_t offset = 0;
  out.put(offset);
  for (std::size_t i = 0; i < count; ++i) {
    const Example example = example_at(i);
    for (const auto field : {example.id, example.title, example.abstract}) {
      offset += field.size();
      out.put(offset);
    }
  }
  if (offset != text_bytes || out.position() != header->label_offsets_at) throw changed();
  offset = 0;
  out.put(offset);
  for (std::size_t i = 0; i < count; ++i) {
    offset += example_at(i).labels.size();
    out.put(offset);
  }
  if (offset != label_entries || out.position() != header->label_ids_at) throw changed();
  for (std::size_t i = 0; i < count; ++i) {
    for (const std::uint32_t label : example_at(i).labels) out.put(label);
  }
  out.align();
  if (out.position() != header->months_at) throw changed();
  for (std::size_t i = 0; i < count; ++i) out.put(example_at(i).month);
  out.align();
  if (out.position() != header->text_at) throw changed();
  for (std::size_t i = 0; i < count; ++i) {
    const Example example = example_at(i);
    out.bytes(example.id);
    out.bytes(example.title);
    out.bytes(example.abstract);
  }
  out.align();
  if (out.position() != header->file_bytes) throw changed();
  return out.commit();
}

std::string write_split(const std::filesystem::path& file, const std::vector<ExampleRecord>& records) {
  return write_split(file, records.size(), [&](std::size_t i) {
    const auto& record = records[i];
    return Example{record.id, record.title, record.abstract, record.labels, record.month};
  });
}

Example Split::operator[](std::size_t i) const {
  if (i >= count_) throw Error(fmt::format("split {}: example {} of {} requested", name_, i, count_));
  const auto text = [&](std::size_t k) {
    return std::string_view(text_ + text_offsets_[k], text_offsets_[k + 1] - text_offsets_[k]);
  };
  Example example;
  example.id = text(3 * i);
  example.title = text(3 * i + 1);
  example.abstract = text(3 * i + 2);
  example.labels = std::span(label_data_ + label_offsets_[i], label_offsets_[i + 1] - label_offsets_[i]);
  example.month = months_[i];
  return example;
}

std::unique_ptr<Split> Split::open(const std::filesystem::path& file, std::string name,
                                   std::size_t label_count) {
  // Populated at once: opening validates every offset and the dataset hashes every byte anyway.
  auto mapping = MappedFile::open(file);
  const auto size = static_cast<std::uint64_t>(mapping.size());
  if (size < sizeof(format::Header)) {
    damaged(file, fmt::format("{} bytes, shorter than the {}-byte header (truncated?)", size,
                              sizeof(format::Header)));
  }
  std::unique_ptr<Split> split(new Split());
  split->name_ = std::move(name);
  split->mapping_ = std::move(mapping);
  const char* base = split->mapping_.data();

  format::Header header;
  std::memcpy(&header, base, sizeof header);
  if (std::memcmp(header.magic, format::kMagic, sizeof format::kMagic) != 0) {
    damaged(file, "bad magic (not an arxivc split file)");
  }
  if (header.version != format::kVersion) {
    damaged(file,
            fmt::format("format version {}, this arxivc reads version {}", header.version, format::kVersion));
  }
  const auto expected = format::layout(header.example_count, header.label_entry_count, header.text_bytes);
  if (!expected || header.header_bytes != expected->header_bytes ||
      header.text_offsets_at != expected->text_offsets_at ||
      header.label_offsets_at != expected->label_offsets_at ||
      header.label_ids_at != expected->label_ids_at || header.months_at != expected->months_at ||
      header.text_at != expected->text_at || header.file_bytes != expected->file_bytes) {
    damaged(file, "the header's section offsets do not match its counts");
  }
  if (header.file_bytes != size) {
    damaged(file, fmt::format("{} bytes, the header says {} (truncated?)", size, header.file_bytes));
  }

  const std::size_t count = header.example_count;
  const auto* text_offsets = reinterpret_cast<const std::uint64_t*>(base + header.text_offsets_at);
  const auto* label_offsets = reinterpret_cast<const std::uint64_t*>(base + header.label_offsets_at);
  const auto* label_ids = reinterpret_cast<const std::uint32_t*>(base + header.label_ids_at);
  const auto* months = reinterpret_cast<const std::uint32_t*>(base + header.months_at);
  if (text_offsets[0] != 0 || label_offsets[0] != 0) damaged(file, "offsets do not start at 0");
  for (std::size_t k = 0; k < 3 * count; ++k) {
    if (text_offsets[k + 1] < text_offsets[k])
      damaged(file, fmt::format("text offset {} goes backwards", k + 1));
  }
  if (text_offsets[3 * count] != header.text_bytes)
    damaged(file, "text offsets do not end at the text's size");
  for (std::size_t i = 0; i < count; ++i) {
    if (label_offsets[i + 1] < label_offsets[i])
      damaged(file, fmt::format("label offset {} goes backwards", i + 1));
    if (!valid_month(months[i])) damaged(file, fmt::format("example {} has month {}", i, months[i]));
  }
  if (label_offsets[count] != header.label_entry_count) {
    damaged(file, "label offsets do not end at the number of label ids");
  }
  for (std::size_t k = 0; k < header.label_entry_count; ++k) {
    if (label_ids[k] >= label_count) {
      damaged(file,
              fmt::format("label id {} out of range (the dataset has {} labels)", label_ids[k], label_count));
    }
  }
  split->count_ = count;
  split->text_offsets_ = text_offsets;
  split->label_offsets_ = label_offsets;
  split->label_data_ = label_ids;
  split->months_ = months;
  split->text_ = base + header.text_at;
  return split;
}

}  // namespace arxivc::dataset
