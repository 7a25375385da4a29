#include "identity/division_codes.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace synthgate::identity {

extern const std::string_view kDivisionCodesText;

namespace {

using Code = std::array<char, 6>;

// Parsed once, on first use, from the text compiled into the library; immutable afterwards.
const std::vector<Code>& codes() {
  static const std::vector<Code> list = [] {
    std::vector<Code> out;
    std::string_view text = kDivisionCodesText;
    while (!text.empty()) {
      const auto end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
      if (line.size() != 6 || line.front() == '#') continue;
      Code code{};
      std::copy(line.begin(), line.end(), code.begin());
      out.push_back(code);
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return list;
}

bool contains(std::string_view code) {
  Code key{};
  std::copy(code.begin(), code.end(), key.begin());
  return std::binary_search(codes().begin(), codes().end(), key);
}

}  // namespace

DivisionMatch match_division_code(std::string_view code) {
  if (code.size() != 6 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return DivisionMatch::kUnknown;
  }
  if (contains(code)) return DivisionMatch::kCounty;
  const std::string prefecture = std::string(code.substr(0, 4)) + "00";
  if (contains(prefecture)) return DivisionMatch::kPrefecture;
  const std::string province = std::string(code.substr(0, 2)) + "0000";
  if (contains(province)) return DivisionMatch::kProvince;
  return DivisionMatch::kUnknown;
}

std::size_t division_code_count() {
  return codes().size();
}

}  // namespace synthgate::identity
