#include "metadata/provider_code.hpp"

#include <string>

namespace synthgate::metadata {

namespace {
bool is_code_character(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}
}  // namespace

ProviderCodeCheck check_provider_code(std::string_view text) {
  ProviderCodeCheck out;
  if (text.size() != 27) {
    out.problems.push_back("a provider code has 27 characters, this has " +
                           std::to_string(text.size()));
    return out;
  }
  for (char c : text) {
    if (!is_code_character(c)) {
      out.problems.push_back("a provider code has only digits and capital letters");
      return out;
    }
  }
  if (text.substr(0, 2) != "00") out.problems.push_back("a provider code starts with 00");
  if (text.substr(2, 2) != "11") {
    out.problems.push_back("the subject code of an organisation starts with 11");
  }
  const std::string_view uscc = text.substr(4, 18);
  if (!is_uscc_shape(uscc)) {
    out.problems.push_back("characters 5-22 are not a unified social credit code");
  }
  if (!out.problems.empty()) return out;
  out.is_code = true;
  const char want = uscc_check_character(uscc.substr(0, 17));
  out.check_character_ok = want == uscc[17];
  if (!out.check_character_ok) {
    out.problems.push_back(std::string("the credit code's check character is ") + uscc[17] +
                           ", GB 32100 calls for " + want +
                           " (some early pilot-region codes fail this check)");
  }
  return out;
}

}  // namespace synthgate::metadata
