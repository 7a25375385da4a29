#pragma once

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace synthgate::audit {

// RFC 3339 in UTC with milliseconds: 2026-03-01T08:00:00.000Z.
std::string format_time(TimePoint t);

// Accepts 2026-03-01, 2026-03-01T08:00:00Z, 2026-03-01T08:00:00.123Z (UTC only).
Result<TimePoint> parse_time(std::string_view text);

}  // namespace synthgate::audit
