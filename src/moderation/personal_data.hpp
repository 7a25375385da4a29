#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "moderation/normalizer.hpp"

namespace synthgate::moderation {

enum class PersonalDataKind : std::uint8_t { kResidentId, kMobileNumber, kBankCard, kCreditCode };
enum class PersonalDataAction : std::uint8_t { kMask, kReview, kBlock };

std::string_view kind_name(PersonalDataKind kind);
std::string_view action_name(PersonalDataAction action);

// What to do when each kind is found.
struct PersonalDataPolicy {
  PersonalDataAction resident_id = PersonalDataAction::kBlock;
  PersonalDataAction mobile_number = PersonalDataAction::kMask;
  PersonalDataAction bank_card = PersonalDataAction::kMask;
  PersonalDataAction credit_code = PersonalDataAction::kReview;
  PersonalDataAction action_for(PersonalDataKind kind) const;
};

// The check digits, each per its standard.
bool resident_id_valid(std::string_view id);        // GB 11643-1999: date, MOD 11-2 check
bool luhn_valid(std::string_view digits);           // ISO/IEC 7812 bank card numbers
bool credit_code_valid(std::string_view code);      // GB 32100-2015 unified social credit code
bool mobile_number_valid(std::string_view digits);  // 11 digits, 1[3-9]...

struct PersonalDataMatch {
  PersonalDataKind kind;
  std::uint32_t source_begin;
  std::uint32_t source_end;
};

// Finds numbers in the normalised text (full-width digits and inserted spaces already
// folded away) that pass their kind's check. An ID is never also reported as a card.
std::vector<PersonalDataMatch> find_personal_data(const NormalizedText& text);

}  // namespace synthgate::moderation
