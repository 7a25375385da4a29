// identity::check_value on arbitrary text, by shape and as every kind. A verdict must be
// consistent (valid exactly when there are no errors), and checking the normalised form
// again must give the same verdict and the same normalised form.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "identity/identity_value.hpp"

namespace {

using synthgate::identity::ValueKind;

void check_consistent(std::string_view text, std::optional<ValueKind> kind) {
  const std::chrono::year_month_day today{std::chrono::year(2026), std::chrono::month(11),
                                          std::chrono::day(28)};
  const auto first = synthgate::identity::check_value(text, kind, today);
  FUZZ_CHECK(first.valid == first.errors.empty());
  if (first.holder) FUZZ_CHECK(first.holder->birth_date.ok());
  const auto again = synthgate::identity::check_value(first.normalized, first.kind, today);
  FUZZ_CHECK(again.valid == first.valid || first.kind == ValueKind::kUnknown);
  FUZZ_CHECK(again.normalized == first.normalized || first.kind == ValueKind::kUnknown);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_consistent(text, std::nullopt);
  for (auto kind :
       {ValueKind::kResidentId, ValueKind::kLegacyResidentId, ValueKind::kHmtResidencePermit,
        ValueKind::kForeignPermanentId, ValueKind::kHkMacaoTravelPermit,
        ValueKind::kTaiwanTravelPermit, ValueKind::kMobileNumber, ValueKind::kCreditCode}) {
    check_consistent(text, kind);
  }
  return 0;
}
