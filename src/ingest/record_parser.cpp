#include "record_parser.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <array>

#include "chunk.hpp"

namespace arxivc::ingest {
namespace {

namespace od = simdjson::ondemand;

static_assert(kParserPadding >= simdjson::SIMDJSON_PADDING, "chunk buffers must carry simdjson's padding");

// Deeper nesting in a field the reader does not keep is rejected rather than recursed into.
constexpr int kMaxNesting = 128;

// The fields kept in a Paper. Every other field is checked to be valid JSON and then ignored.
struct KeptField {
  std::string_view name;
  unsigned bit;
  std::string Paper::*member;
  bool required;  // when false, the field may be absent or null
};

constexpr std::array<KeptField, 5> kKeptFields{{
    {"id", 1U << 0U, &Paper::id, true},
    {"title", 1U << 1U, &Paper::title, true},
    {"abstract", 1U << 2U, &Paper::abstract, true},
    {"categories", 1U << 3U, &Paper::categories, true},
    {"update_date", 1U << 4U, &Paper::update_date, false},
}};

const KeptField* find_kept_field(std::string_view key) {
  for (const KeptField& field : kKeptFields) {
    if (field.name == key) return &field;
  }
  return nullptr;
}

std::string_view describe(od::json_type type) {
  switch (type) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "an unknown value";
}

RecordProblem invalid_json(std::string detail) { return {SkipReason::invalid_json, std::move(detail)}; }

RecordProblem document_problem(simdjson::error_code error) {
  if (error == simdjson::UTF8_ERROR) return {SkipReason::invalid_utf8, "the line is not valid UTF-8"};
  return invalid_json(fmt::format("not valid JSON: {}", simdjson::error_message(error)));
}

RecordProblem field_problem(std::string_view field, simdjson::error_code error) {
  if (error == simdjson::DEPTH_ERROR)
    return invalid_json(fmt::format("field '{}' is nested too deeply", field));
  return invalid_json(fmt::format("field '{}' is not valid JSON: {}", field, simdjson::error_message(error)));
}

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// Walks a value the reader does not keep, so that malformed JSON inside it (a bad number, escape or
// literal) is caught: On Demand would otherwise skip over it unchecked.
simdjson::error_code validate(od::value& value, int depth) {
  if (depth > kMaxNesting) return simdjson::DEPTH_ERROR;
  od::json_type type{};
  SIMDJSON_TRY(value.type().get(type));
  switch (type) {
    case od::json_type::array: {
      od::array array;
      SIMDJSON_TRY(value.get_array().get(array));
      for (auto element : array) {
        od::value item;
        SIMDJSON_TRY(element.get(item));
        SIMDJSON_TRY(validate(item, depth + 1));
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::object: {
      od::object object;
      SIMDJSON_TRY(value.get_object().get(object));
      for (auto member : object) {
        od::field field;
        SIMDJSON_TRY(std::move(member).get(field));
        std::string_view key;
        SIMDJSON_TRY(field.unescaped_key().get(key));
        SIMDJSON_TRY(validate(field.value(), depth + 1));
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      od::number number;
      return value.get_number().get(number);
    }
    case od::json_type::string: {
      std::string_view text;
      return value.get_string().get(text);
    }
    case od::json_type::boolean: {
      bool flag = false;
      return value.get_bool().get(flag);
    }
    case od::json_type::null: {
      bool is_null = false;
      SIMDJSON_TRY(value.is_null().get(is_null));
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

std::optional<RecordProblem> read_kept_field(od::value& value, const KeptField& field, bool required,
                                             Paper& paper) {
  od::json_type type{};
  if (auto error = value.type().get(type)) return field_problem(field.name, error);
  std::string& out = paper.*field.member;
  if (type == od::json_type::string) {
    std::string_view text;
    if (auto error = value.get_string().get(text)) return field_problem(field.name, error);
    out.assign(text);
    return std::nullopt;
  }
  if (type == od::json_type::null && !required) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return field_problem(field.name, error);
    if (!is_null) return field_problem(field.name, simdjson::N_ATOM_ERROR);
    out.clear();
    return std::nullopt;
  }
  // A malformed literal (`nul`, `tru`) is bad JSON rather than a value of the wrong type.
  if (auto error = validate(value, 1)) return field_problem(field.name, error);
  return RecordProblem{SkipReason::wrong_type,
                       fmt::format("field '{}' is {}, expected a string{}", field.name, describe(type),
                                   required ? "" : " or null")};
}

}  // namespace

struct RecordParser::State {
  od::parser parser;
};

RecordParser::RecordParser(bool require_categories)
    : state_(std::make_unique<State>()), require_categories_(require_categories) {}

RecordParser::~RecordParser() = default;

std::optional<RecordProblem> RecordParser::parse(std::string_view line, std::size_t readable, Paper& paper) {
  od::document document;
  if (auto error = state_->parser.iterate(line.data(), line.size(), readable).get(document)) {
    return document_problem(error);
  }
  od::object object;
  if (auto error = document.get_object().get(object)) {
    od::json_type type{};
    if (error == simdjson::INCORRECT_TYPE && document.type().get(type) == simdjson::SUCCESS) {
      return invalid_json(fmt::format("the line holds {}, expected a JSON object", describe(type)));
    }
    return document_problem(error);
  }
  const auto is_required = [this](const KeptField& field) {
    return field.required && (require_categories_ || field.member != &Paper::categories);
  };
  unsigned seen = 0;
  for (auto member : object) {
    od::field field;
    if (auto error = std::move(member).get(field)) return document_problem(error);
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return document_problem(error);
    const KeptField* kept = find_kept_field(key);
    if (kept == nullptr) {
      if (auto error = validate(field.value(), 1)) return field_problem(key, error);
      continue;
    }
    if ((seen & kept->bit) != 0) return invalid_json(fmt::format("field '{}' appears twice", kept->name));
    seen |= kept->bit;
    if (auto problem = read_kept_field(field.value(), *kept, is_required(*kept), paper)) return problem;
  }
  // After the object, the only place left is the end of the line: anything else is trailing content.
  const char* location = nullptr;
  if (document.current_location().get(location) != simdjson::OUT_OF_BOUNDS) {
    return invalid_json("unexpected content after the JSON object");
  }
  for (const KeptField& field : kKeptFields) {
    if ((seen & field.bit) != 0) continue;
    if (is_required(field))
      return RecordProblem{SkipReason::missing_field, fmt::format("field '{}' is missing", field.name)};
    (paper.*field.member).clear();
  }
  if (is_blank(paper.id)) return RecordProblem{SkipReason::empty_field, "field 'id' is empty"};
  if (require_categories_ && is_blank(paper.categories))
    return RecordProblem{SkipReason::empty_field, "field 'categories' is empty"};
  return std::nullopt;
}

}  // namespace arxivc::ingest
