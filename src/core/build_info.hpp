#pragma once

#include <string_view>

namespace synthgate {

// Fixed when the program is built.
std::string_view build_version();   // e.g. "0.1.0"
std::string_view build_revision();  // git revision, or "unknown"

}  // namespace synthgate
