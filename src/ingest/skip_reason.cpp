#include "arxivc/ingest/reader.hpp"

namespace arxivc::ingest {

std::string_view to_string(SkipReason reason) {
  switch (reason) {
    case SkipReason::invalid_json:
      return "invalid_json";
    case SkipReason::missing_field:
      return "missing_field";
    case SkipReason::wrong_type:
      return "wrong_type";
    case SkipReason::invalid_utf8:
      return "invalid_utf8";
    case SkipReason::empty_field:
      return "empty_field";
  }
  return "unknown";
}

}  // namespace arxivc::ingest
