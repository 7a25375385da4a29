#include "identity/user_registry.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "identity/identity_value.hpp"
#include "identity/national_token_provider.hpp"
#include "unit/identity/identity_fixture.hpp"

// GCC 12 reports a false "may be used uninitialized" on copies of a disengaged
// std::optional<std::string> member (GCC bug 105562).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace synthgate::identity {
namespace {

using namespace std::chrono_literals;

std::string with_check(const std::string& first17) {
  return first17 + mod11_2_check(first17);
}

const std::string kAdultId = "11010519491231002X";
const std::string kChildId = with_check("11010520160501003");  // 10 years old
const std::string kTeenId = with_check("11010520100501003");   // 16 years old
const std::string kPhone = "13800138000";
const std::string kEvidence(64, 'a');

class UserRegistryTest : public IdentityTest {
 protected:
  User create_individual(const std::string& id_number, const std::string& phone = kPhone) {
    Registration reg;
    reg.name = "张三";
    reg.id_number = id_number;
    reg.phone = phone;
    auto user = users_->create(reg);
    EXPECT_TRUE(user) << user.error().message;
    return user ? *user : User{};
  }

  std::size_t user_rows() {
    auto rows = store().query("SELECT COUNT(*) FROM identity_users");
    return rows ? static_cast<std::size_t>(*rows->rows[0].integer(0)) : 0;
  }
};

TEST_P(UserRegistryTest, OneTimeCodeVerifiesAndIsSingleUse) {
  const User user = create_individual(kAdultId);
  EXPECT_EQ(user.state, UserState::kUnverified);
  EXPECT_FALSE(*users_->can_generate(user.id));
  auto v = users_->start_verification(user.id, "sms_code", "api");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->status, "pending");
  ASSERT_EQ(sender_.sent.size(), 1u);
  EXPECT_EQ(sender_.sent[0].first, kPhone);
  EXPECT_EQ(users_->get(user.id)->state, UserState::kPending);

  auto done = users_->confirm(user.id, v->id, sender_.last_code(), "api");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->state, UserState::kVerified);
  EXPECT_EQ(done->verified_by, "sms_code");
  EXPECT_TRUE(*users_->can_generate(user.id));

  auto replay = users_->confirm(user.id, v->id, sender_.last_code(), "api");
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(replay.error().message.find("already used"), std::string::npos);
  EXPECT_EQ(users_->get(user.id)->state, UserState::kVerified);

  auto history = users_->history(user.id);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[1].to, "pending");
  EXPECT_EQ((*history)[2].to, "verified");
  EXPECT_EQ(audit_count(audit::EventType::kUserRegistered), 1u);
  EXPECT_EQ(audit_count(audit::EventType::kUserVerified), 1u);
  EXPECT_GE(audit_count(audit::EventType::kPersonalDataRead), 1u);  // the phone, to send
}

TEST_P(UserRegistryTest, WrongCodeCountsAnAttemptAndChangesNothingElse) {
  const User user = create_individual(kAdultId);
  auto v = users_->start_verification(user.id, "sms_code", "api");
  ASSERT_TRUE(v);
  const std::string wrong = sender_.last_code() == "000000" ? "000001" : "000000";
  auto refused = users_->confirm(user.id, v->id, wrong, "api");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("wrong code; 4 attempts left"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(users_->get(user.id)->state, UserState::kPending);
  EXPECT_EQ(users_->verification(v->id)->attempts, 1);
  EXPECT_EQ(users_->history(user.id)->size(), 2u);
  // The right code still works afterwards.
  EXPECT_TRUE(users_->confirm(user.id, v->id, sender_.last_code(), "api"));
}

TEST_P(UserRegistryTest, AttemptLimitEndsTheVerification) {
  const User user = create_individual(kAdultId);
  auto v = users_->start_verification(user.id, "sms_code", "api");
  ASSERT_TRUE(v);
  const std::string wrong = sender_.last_code() == "000000" ? "000001" : "000000";
  for (int i = 0; i < options_.max_attempts - 1; ++i) {
    EXPECT_EQ(users_->confirm(user.id, v->id, wrong, "api").error().code,
              ErrorCode::kInvalidArgument);
  }
  auto last = users_->confirm(user.id, v->id, wrong, "api");
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(users_->get(user.id)->state, UserState::kUnverified);
  // Even the right code is refused now.
  auto late = users_->confirm(user.id, v->id, sender_.last_code(), "api");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(*users_->can_generate(user.id));
}

TEST_P(UserRegistryTest, ExpiredCodeIsRefused) {
  const User user = create_individual(kAdultId);
  auto v = users_->start_verification(user.id, "sms_code", "api");
  ASSERT_TRUE(v);
  clock_.advance(options_.code_lifetime + 1s);
  auto late = users_->confirm(user.id, v->id, sender_.last_code(), "api");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(late.error().message.find("expired"), std::string::npos);
  EXPECT_EQ(users_->verification(v->id)->status, "expired");
  EXPECT_EQ(users_->get(user.id)->state, UserState::kPending);
  // A new verification supersedes and works.
  auto again = users_->start_verification(user.id, "sms_code", "api");
  ASSERT_TRUE(again);
  EXPECT_TRUE(users_->confirm(user.id, again->id, sender_.last_code(), "api"));
}

TEST_P(UserRegistryTest, NewCodeSupersedesTheOldOne) {
  const User user = create_individual(kAdultId);
  auto first = users_->start_verification(user.id, "sms_code", "api");
  const std::string first_code = sender_.last_code();
  auto second = users_->start_verification(user.id, "sms_code", "api");
  ASSERT_TRUE(first && second);
  auto old = users_->confirm(user.id, first->id, first_code, "api");
  ASSERT_FALSE(old);
  EXPECT_NE(old.error().message.find("superseded"), std::string::npos);
}

TEST_P(UserRegistryTest, MalformedValuesAreRefusedAndNothingIsStored) {
  Registration reg;
  reg.name = "李四";
  reg.id_number = "110105194912310021";  // wrong check character
  reg.phone = "1380013800";              // ten digits
  auto refused = users_->create(reg);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("id_number: the check character"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("phone: a mobile number has 11 digits"),
            std::string::npos);
  EXPECT_EQ(user_rows(), 0u);
  EXPECT_EQ(store().query("SELECT COUNT(*) FROM vault_fields")->rows[0].integer(0).value(), 0);
  EXPECT_EQ(audit_count(audit::EventType::kUserRegistered), 0u);

  Registration org;
  org.kind = UserKind::kOrganisation;
  org.name = "Example Ltd";
  auto no_code = users_->create(org);
  ASSERT_FALSE(no_code);
  EXPECT_NE(no_code.error().message.find("credit code"), std::string::npos);
  EXPECT_EQ(user_rows(), 0u);
}

TEST_P(UserRegistryTest, UnknownUserAndMethodAreClearErrors) {
  EXPECT_EQ(users_->get("nobody").error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(*users_->can_generate("nobody"));
  const User user = create_individual(kAdultId);
  auto v = users_->start_verification(user.id, "carrier_pigeon", "api");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(users_->get(user.id)->state, UserState::kUnverified);
}

TEST_P(UserRegistryTest, FailedSmsSendChangesNothing) {
  const User user = create_individual(kAdultId);
  sender_.fail_next = true;
  auto v = users_->start_verification(user.id, "sms_code", "api");
  ASSERT_FALSE(v);
  EXPECT_EQ(users_->get(user.id)->state, UserState::kUnverified);
  EXPECT_EQ(
      store().query("SELECT COUNT(*) FROM identity_verifications")->rows[0].integer(0).value(), 0);
}

TEST_P(UserRegistryTest, ChildUnder14WaitsForGuardianConsent) {
  const User child = create_individual(kChildId);
  auto v = users_->start_verification(child.id, "sms_code", "api");
  ASSERT_TRUE(v);
  auto passed = users_->confirm(child.id, v->id, sender_.last_code(), "api");
  ASSERT_TRUE(passed) << passed.error().message;
  EXPECT_EQ(passed->state, UserState::kPending);
  EXPECT_EQ(passed->awaiting, "guardian_consent");
  EXPECT_FALSE(*users_->can_generate(child.id));

  GuardianConsent consent;
  consent.guardian_name = "张父";
  consent.guardian_id_number = kChildId;  // a child cannot be a guardian
  consent.relation = "parent";
  consent.evidence_sha256 = kEvidence;
  auto refused = users_->record_guardian_consent(child.id, consent);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("adult"), std::string::npos);
  EXPECT_FALSE(*users_->can_generate(child.id));

  consent.guardian_id_number = kAdultId;
  auto after = users_->record_guardian_consent(child.id, consent);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->state, UserState::kVerified);
  EXPECT_FALSE(after->awaiting);
  EXPECT_TRUE(*users_->can_generate(child.id));
}

TEST_P(UserRegistryTest, GuardianConsentGivenFirstLetsTheChildVerifyAtOnce) {
  const User child = create_individual(kChildId);
  GuardianConsent consent{"张母", kAdultId, "parent", kEvidence, "operator"};
  ASSERT_TRUE(users_->record_guardian_consent(child.id, consent));
  auto v = users_->start_verification(child.id, "sms_code", "api");
  ASSERT_TRUE(v);
  auto done = users_->confirm(child.id, v->id, sender_.last_code(), "api");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, UserState::kVerified);
}

TEST_P(UserRegistryTest, Under18PolicyIsConfigurable) {
  options_.minors.under_18 = MinorPolicy::Under18::kRefuse;
  users_ = std::make_unique<UserRegistry>(store(), *audit_, *vault_, clock_, ids_, options_);
  users_->add_provider(sms_);
  const User teen = create_individual(kTeenId);
  auto v = users_->start_verification(teen.id, "sms_code", "api");
  ASSERT_TRUE(v);
  auto refused = users_->confirm(teen.id, v->id, sender_.last_code(), "api");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(users_->get(teen.id)->state, UserState::kUnverified);

  options_.minors.under_18 = MinorPolicy::Under18::kAllow;
  users_ = std::make_unique<UserRegistry>(store(), *audit_, *vault_, clock_, ids_, options_);
  users_->add_provider(sms_);
  const User other = create_individual(kTeenId);
  auto v2 = users_->start_verification(other.id, "sms_code", "api");
  ASSERT_TRUE(v2);
  EXPECT_EQ(users_->confirm(other.id, v2->id, sender_.last_code(), "api")->state,
            UserState::kVerified);
}

TEST_P(UserRegistryTest, SuspensionClosesTheGateAndIsReversible) {
  const User user = create_individual(kAdultId);
  auto v = users_->start_verification(user.id, "sms_code", "api");
  ASSERT_TRUE(users_->confirm(user.id, v->id, sender_.last_code(), "api"));
  ASSERT_TRUE(*users_->can_generate(user.id));
  EXPECT_FALSE(users_->suspend(user.id, "  ", "op"));
  auto suspended = users_->suspend(user.id, "fraud report 42", "op");
  ASSERT_TRUE(suspended);
  EXPECT_EQ(suspended->state, UserState::kSuspended);
  EXPECT_FALSE(*users_->can_generate(user.id));
  EXPECT_EQ(users_->start_verification(user.id, "sms_code", "api").error().code,
            ErrorCode::kFailedPrecondition);
  auto back = users_->reinstate(user.id, "report unfounded", "op");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->state, UserState::kVerified);
  EXPECT_TRUE(*users_->can_generate(user.id));
  EXPECT_EQ(audit_count(audit::EventType::kUserSuspended), 1u);
  EXPECT_EQ(audit_count(audit::EventType::kUserReinstated), 1u);
  EXPECT_EQ(users_->history(user.id)->back().reason, "report unfounded");
}

TEST_P(UserRegistryTest, OrganisationIsApprovedByAnOperator) {
  Registration org;
  org.kind = UserKind::kOrganisation;
  org.name = "Example Technology Co., Ltd.";
  org.credit_code = "91350100M0001TGQXM";  // pilot code: check fails, still legal
  auto user = users_->create(org);
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(users_->start_verification(user->id, "sms_code", "api").error().code,
            ErrorCode::kInvalidArgument);
  auto v = users_->start_verification(user->id, "manual", "api");
  ASSERT_TRUE(v);
  EXPECT_EQ(users_->confirm(user->id, v->id, "maybe", "op").error().code,
            ErrorCode::kInvalidArgument);
  auto approved = users_->confirm(user->id, v->id, "approve", "op");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->state, UserState::kVerified);
  auto found = users_->find("credit_code", "91350100m0001tgqxm");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, std::vector<std::string>{user->id});
}

class FakeTokenVerifier final : public TokenVerifier {
 public:
  Result<TokenClaims> verify(std::string_view token) override {
    if (token == "good-token") return TokenClaims{"NID-7f3a9c"};
    if (token == "down") return fail(ErrorCode::kUnavailable, "service down");
    return fail(ErrorCode::kInvalidArgument, "signature does not verify");
  }
};

TEST_P(UserRegistryTest, NationalTokenVerifiesWithoutAnyIdNumber) {
  FakeTokenVerifier verifier;
  NationalTokenProvider tokens(verifier);
  users_->add_provider(tokens);
  Registration reg;  // nothing but the token
  auto user = users_->create(reg);
  ASSERT_TRUE(user);
  auto v = users_->start_verification(user->id, "national_token", "api");
  ASSERT_TRUE(v);
  auto bad = users_->confirm(user->id, v->id, "forged", "api");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("refused"), std::string::npos);
  EXPECT_EQ(users_->confirm(user->id, v->id, "down", "api").error().code, ErrorCode::kUnavailable);
  auto ok = users_->confirm(user->id, v->id, "good-token", "api");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->state, UserState::kVerified);
  EXPECT_FALSE(*vault_->has(user->id, "id_number"));
  EXPECT_EQ(*users_->find("network_id", "NID-7f3a9c"), std::vector<std::string>{user->id});
}

TEST_P(UserRegistryTest, LookupsUseTheBlindIndex) {
  const User a = create_individual(kAdultId, "13800138000");
  const User b = create_individual(kTeenId, "13900139000");
  EXPECT_EQ(*users_->find("phone", "+86 139 0013 9000"), std::vector<std::string>{b.id});
  EXPECT_EQ(*users_->find("id_number", "11010519491231002x"), std::vector<std::string>{a.id});
  EXPECT_TRUE(users_->find("phone", "13700137000")->empty());
  EXPECT_FALSE(users_->find("name", "张三"));  // names are not indexed
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(UserRegistryTest);

}  // namespace
}  // namespace synthgate::identity

namespace synthgate::identity {
namespace {

TEST(FileSmsSender, AppendsLinesToAPrivateFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("synthgate-sms-" + std::to_string(::getpid()) + ".txt");
  std::filesystem::remove(path);
  FileSmsSender sender(path);
  ASSERT_TRUE(sender.send("13800138000", "code 123456"));
  ASSERT_TRUE(sender.send("13900139000", "code 654321"));
  std::ifstream in(path);
  std::string first;
  std::string second;
  std::getline(in, first);
  std::getline(in, second);
  EXPECT_EQ(first, "13800138000\tcode 123456");
  EXPECT_EQ(second, "13900139000\tcode 654321");
  const auto perms = std::filesystem::status(path).permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  std::filesystem::remove(path);
  EXPECT_EQ(FileSmsSender("/nonexistent-dir/sms.txt").send("1", "x").error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace synthgate::identity
