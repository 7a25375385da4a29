#include "audit/time_text.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace synthgate::audit {

namespace chr = std::chrono;

std::string format_time(TimePoint t) {
  const auto ms = chr::floor<chr::milliseconds>(t);
  const auto day = chr::floor<chr::days>(ms);
  const chr::year_month_day ymd{day};
  const chr::hh_mm_ss hms{ms - day};
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buffer;
}

namespace {
bool read_number(std::string_view text, std::size_t at, std::size_t digits, int& out) {
  if (at + digits > text.size()) return false;
  for (std::size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return std::from_chars(text.data() + at, text.data() + at + digits, out).ec == std::errc();
}
}  // namespace

Result<TimePoint> parse_time(std::string_view text) {
  const auto refuse = [&] {
    return fail(ErrorCode::kInvalidArgument,
                "expected a UTC time such as 2026-03-01 or 2026-03-01T08:00:00Z, got \"" +
                    std::string(text) + "\"");
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (!read_number(text, 0, 4, y) || text.size() < 10 || text[4] != '-' ||
      !read_number(text, 5, 2, mo) || text[7] != '-' || !read_number(text, 8, 2, d)) {
    return refuse();
  }
  if (text.size() > 10) {
    if (text.size() < 20 || (text[10] != 'T' && text[10] != 't') || !read_number(text, 11, 2, h) ||
        text[13] != ':' || !read_number(text, 14, 2, mi) || text[16] != ':' ||
        !read_number(text, 17, 2, s)) {
      return refuse();
    }
    std::size_t at = 19;
    if (text[at] == '.') {
      const std::size_t start = ++at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
      const std::size_t n = at - start;
      if (n == 0) return refuse();
      int frac = 0;
      if (!read_number(text, start, std::min<std::size_t>(n, 3), frac)) return refuse();
      for (std::size_t i = n; i < 3; ++i) frac *= 10;
      ms = frac;
    }
    if (at + 1 != text.size() || (text[at] != 'Z' && text[at] != 'z')) return refuse();
  }
  const chr::year_month_day ymd{chr::year{y}, chr::month{static_cast<unsigned>(mo)},
                                chr::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return refuse();
  return TimePoint(chr::sys_days{ymd}) + chr::hours{h} + chr::minutes{mi} + chr::seconds{s} +
         chr::milliseconds{ms};
}

}  // namespace synthgate::audit
