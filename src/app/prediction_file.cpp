#include "arxivc/app/prediction_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

#include "arxivc/core/error.hpp"
#include "arxivc/taxonomy/taxonomy.hpp"

namespace arxivc::app {
namespace {

// Missing papers named in the error, at most.
constexpr std::size_t kMissingNamed = 5;

// Maps the codes of a prediction file to label ids, giving unknown codes labels of their own.
class CodeMapper {
 public:
  CodeMapper(const std::vector<std::string>& codes, bool archive_mode)
      : archive_mode_(archive_mode), codes_(codes) {
    for (std::uint32_t i = 0; i < codes_.size(); ++i) index_.emplace(codes_[i], i);
    known_ = codes_.size();
  }

  // The label of `code`, and whether it is one of the given ones.
  std::pair<std::uint32_t, bool> map(const std::string& code) {
    if (auto it = index_.find(code); it != index_.end()) return {it->second, it->second < known_};
    const auto& taxonomy = taxonomy::Taxonomy::builtin();
    std::string normalised(taxonomy.canonical(code));
    if (!normalised.empty() && archive_mode_) normalised = std::string(taxonomy.archive_of(normalised));
    if (!normalised.empty()) {
      if (auto it = index_.find(normalised); it != index_.end()) {
        index_.emplace(code, it->second);
        return {it->second, it->second < known_};
      }
    }
    const auto label = static_cast<std::uint32_t>(codes_.size());
    codes_.push_back(normalised.empty() ? code : normalised);
    index_.emplace(code, label);
    if (!normalised.empty()) index_.emplace(normalised, label);
    return {label, false};
  }

  std::size_t known() const { return known_; }
  std::vector<std::string> take_codes() { return std::move(codes_); }

 private:
  bool archive_mode_;
  std::vector<std::string> codes_;
  std::size_t known_ = 0;
  std::unordered_map<std::string, std::uint32_t> index_;
};

struct Row {
  std::vector<std::pair<std::uint32_t, float>> top;
  eval::GoldLabels predicted;
  std::uint64_t line = 0;  // 0: no prediction line yet
};

}  // namespace

PredictionFileContents read_prediction_file(const std::filesystem::path& path,
                                            std::span<const std::string_view> ids,
                                            const std::vector<std::string>& label_codes, bool archive_mode,
                                            const std::string& split_name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the predictions file");
  std::unordered_map<std::string_view, std::size_t> paper_of;
  paper_of.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) paper_of.emplace(ids[i], i);

  CodeMapper mapper(label_codes, archive_mode);
  std::vector<Row> rows(ids.size());
  PredictionFileContents contents;
  std::string text;
  std::uint64_t line_number = 0;
  while (std::getline(in, text)) {
    ++line_number;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    auto fail = [&](const std::string& reason) { throw InputError(path, line_number, reason); };
    nlohmann::json line;
    try {
      line = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      fail(fmt::format("not valid JSON ({})", e.what()));
    }
    if (!line.is_object()) fail(fmt::format("expected a JSON object, found {}", line.type_name()));
    if (auto error = line.find("error"); error != line.end()) {
      fail(fmt::format("field \"error\": the predicting tool reported an error for this line: {}",
                       error->dump()));
    }
    const auto id_field = line.find("id");
    if (id_field == line.end()) fail("field \"id\": missing");
    if (!id_field->is_string())
      fail(fmt::format("field \"id\": expected a string, found {}", id_field->dump()));
    const auto& id = id_field->get_ref<const std::string&>();
    const auto paper = paper_of.find(id);
    if (paper == paper_of.end())
      fail(fmt::format("field \"id\": paper '{}' is not in split '{}'", id, split_name));
    Row& row = rows[paper->second];
    if (row.line != 0)
      fail(fmt::format("field \"id\": paper '{}' was already predicted on line {}", id, row.line));
    row.line = line_number;

    const auto top = line.find("top");
    if (top == line.end()) fail("field \"top\": missing");
    if (!top->is_array() || top->empty()) {
      fail(fmt::format("field \"top\": expected a non-empty array of [code, probability], found {}",
                       top->type_name()));
    }
    double previous = 2.0;         // as written, for the order check
    float previous_stored = 2.0F;  // as stored, after nudging ties
    for (std::size_t i = 0; i < top->size(); ++i) {
      const auto& entry = (*top)[i];
      if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number()) {
        fail(fmt::format("field \"top\"[{}]: expected [code, probability], found {}", i, entry.dump()));
      }
      const double p = entry[1].get<double>();
      if (!std::isfinite(p) || p < 0.0 || p > 1.0) {
        fail(fmt::format("field \"top\"[{}]: probability {} is outside [0, 1]", i, entry[1].dump()));
      }
      if (p > previous) {
        fail(
            fmt::format("field \"top\"[{}]: probability {} is higher than the one before it (\"top\" must be "
                        "highest first)",
                        i, entry[1].dump()));
      }
      previous = p;
      // Ties keep the file's order: one float step below the previous entry (not below 0).
      auto probability = std::min(static_cast<float>(p), previous_stored);
      if (probability == previous_stored) probability = std::nextafter(previous_stored, 0.0F);
      previous_stored = probability;
      const auto [label, known] = mapper.map(entry[0].get<std::string>());
      if (!known) ++contents.unknown_code_entries;
      for (const auto& [seen, ignored] : row.top) {
        if (seen == label)
          fail(fmt::format("field \"top\"[{}]: category {} is listed twice", i, entry[0].dump()));
      }
      row.top.emplace_back(label, probability);
    }

    const auto predicted = line.find("predicted");
    if (predicted == line.end()) fail("field \"predicted\": missing");
    if (!predicted->is_array()) {
      fail(fmt::format("field \"predicted\": expected an array of codes, found {}", predicted->type_name()));
    }
    for (std::size_t i = 0; i < predicted->size(); ++i) {
      const auto& code = (*predicted)[i];
      if (!code.is_string())
        fail(fmt::format("field \"predicted\"[{}]: expected a code, found {}", i, code.dump()));
      const auto [label, known] = mapper.map(code.get<std::string>());
      if (!known) ++contents.unknown_code_entries;
      if (std::find(row.predicted.begin(), row.predicted.end(), label) != row.predicted.end()) {
        fail(fmt::format("field \"predicted\"[{}]: category {} is listed twice", i, code.dump()));
      }
      row.predicted.push_back(label);
    }
    ++contents.lines;
  }
  if (in.bad()) throw InputError(path, "read error");

  std::vector<std::string_view> missing;
  std::size_t missing_count = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].line != 0) continue;
    ++missing_count;
    if (missing.size() < kMissingNamed) missing.push_back(ids[i]);
  }
  if (missing_count > 0) {
    throw InputError(path,
                     fmt::format("{} of the {} papers of split '{}' have no prediction line (first: {})",
                                 missing_count, ids.size(), split_name, fmt::join(missing, ", ")));
  }

  contents.known_labels = mapper.known();
  contents.codes = mapper.take_codes();
  const std::size_t width = contents.codes.size();
  contents.probabilities.assign(rows.size() * width, 0.0F);
  contents.predicted.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const auto& [label, probability] : rows[i].top)
      contents.probabilities[i * width + label] = probability;
    contents.predicted.push_back(std::move(rows[i].predicted));
  }
  return contents;
}

}  // namespace arxivc::app
