#include "core/credit_code.hpp"

#include <array>

namespace synthgate {

namespace {
constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kUsccWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                              29, 25, 13, 8,  24, 10, 30, 28};
}  // namespace

bool is_uscc_shape(std::string_view code) {
  if (code.size() != 18) return false;
  for (char c : code) {
    if (kUsccAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

char uscc_check_character(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const auto value = kUsccAlphabet.find(first17[i]);
    if (value == std::string_view::npos) return '\0';
    sum += static_cast<int>(value) * kUsccWeights[i];
  }
  const int check = (31 - sum % 31) % 31;
  return kUsccAlphabet[static_cast<std::size_t>(check)];
}

}  // namespace synthgate
