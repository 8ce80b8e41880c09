#include "arxivc/prepare/paper_dates.hpp"

#include <string>

namespace arxivc::prepare {
namespace {

// The number written by `count` digits at `pos`, or none.
std::optional<std::uint32_t> digits(std::string_view s, std::size_t pos, std::size_t count) {
  if (pos + count > s.size()) return std::nullopt;
  std::uint32_t value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint32_t>(s[i] - '0');
  }
  return value;
}

std::uint32_t days_in_month(std::uint32_t year, std::uint32_t month) {
  constexpr std::uint32_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::uint32_t month_from_yymm(std::string_view s, std::size_t pos) {
  const auto yy = digits(s, pos, 2);
  const auto mm = digits(s, pos + 2, 2);
  if (!yy || !mm || *mm < 1 || *mm > 12) return 0;
  const std::uint32_t year = *yy >= 91 ? 1900 + *yy : 2000 + *yy;
  return year * 100 + *mm;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Removes a version suffix: "0704.0001v2" -> "0704.0001".
std::string_view without_version(std::string_view id) {
  const auto v = id.rfind('v');
  if (v != std::string_view::npos && v > 0 && all_digits(id.substr(v + 1))) return id.substr(0, v);
  return id;
}

}  // namespace

std::uint32_t month_from_id(std::string_view id) {
  id = without_version(id);
  if (const auto slash = id.find('/'); slash != std::string_view::npos) {
    const auto number = id.substr(slash + 1);
    if (number.size() != 7 || !all_digits(number) || slash == 0) return 0;
    return month_from_yymm(number, 0);
  }
  const auto dot = id.find('.');
  if (dot != 4 || !all_digits(id.substr(0, 4))) return 0;
  const auto sequence = id.substr(5);
  if ((sequence.size() != 4 && sequence.size() != 5) || !all_digits(sequence)) return 0;
  return month_from_yymm(id, 0);
}

std::uint32_t day_from_date(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return 0;
  const auto year = digits(date, 0, 4);
  const auto month = digits(date, 5, 2);
  const auto day = digits(date, 8, 2);
  if (!year || !month || !day || *year == 0 || *month < 1 || *month > 12 || *day < 1 ||
      *day > days_in_month(*year, *month)) {
    return 0;
  }
  return *year * 10000 + *month * 100 + *day;
}

std::optional<std::uint32_t> parse_cutoff(std::string_view text) {
  if (text.size() == 7) {
    const auto day = day_from_date(std::string(text) + "-01");
    if (day == 0) return std::nullopt;
    return day;
  }
  const auto day = day_from_date(text);
  if (day == 0) return std::nullopt;
  return day;
}

}  // namespace arxivc::prepare
