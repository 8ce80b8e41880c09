#pragma once

// Dates of papers, as integers that compare like the dates: months as YYYYMM, days as YYYYMMDD.

#include <cstdint>
#include <optional>
#include <string_view>

namespace arxivc::prepare {

// The month an arXiv id was assigned: "0704.0001" and "2601.05286" (YYMM.NNNN[N]) -> 200704, 202601;
// old-style "hep-th/9110025" and "math.GT/0309136" (archive/YYMMNNN) -> 199110, 200309. Two-digit years
// from 91 on are 19YY, the others 20YY. Version suffixes ("v2") are allowed. 0 when the id has no month.
std::uint32_t month_from_id(std::string_view id);

// "YYYY-MM-DD" -> YYYYMMDD; 0 when malformed.
std::uint32_t day_from_date(std::string_view date);

// A temporal cutoff, "YYYY-MM" (the first of the month) or "YYYY-MM-DD" -> YYYYMMDD; none when malformed.
std::optional<std::uint32_t> parse_cutoff(std::string_view text);

}  // namespace arxivc::prepare
