#include "consent/consent_registry.hpp"

#include <gtest/gtest.h>

#include "core/digest.hpp"
#include "identity/identity_value.hpp"
#include "unit/identity/identity_fixture.hpp"

namespace synthgate::consent {
namespace {

using namespace std::chrono_literals;
using identity::kNow;

const std::string kEvidence(64, 'c');

class ConsentTest : public identity::IdentityTest {
 protected:
  std::string subject(const std::string& name = "赵六",
                      std::optional<std::string> id_number = std::nullopt) {
    auto s = consents_->add_subject({name, std::move(id_number), std::nullopt, "api"});
    EXPECT_TRUE(s) << s.error().message;
    return s ? s->id : "";
  }

  Grant grant_for(const std::string& subject_id) {
    Grant g;
    g.subject_id = subject_id;
    g.modalities = {"face", "voice"};
    g.purposes = {"video_generation"};
    g.services = {"svc-video"};
    g.users = {"user-1"};
    g.valid_from = kNow - 1h;
    g.valid_until = kNow + 24h;
    g.evidence_sha256 = kEvidence;
    return g;
  }

  CheckResult check(std::vector<std::string> subjects, std::string modality = "face",
                    std::string service = "svc-video", std::string user = "user-1") {
    auto r = consents_->check({std::move(subjects), modality, service, user, {}});
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : CheckResult{};
  }
};

TEST_P(ConsentTest, GrantAllowsExactlyWhatItCovers) {
  const auto s = subject();
  auto c = consents_->grant(grant_for(s));
  ASSERT_TRUE(c) << c.error().message;
  auto ok = check({s});
  EXPECT_TRUE(ok.allowed);
  EXPECT_EQ(ok.consent_ids, std::vector<std::string>{c->id});

  auto body = check({s}, "body");
  EXPECT_FALSE(body.allowed);
  ASSERT_EQ(body.missing.size(), 1u);
  EXPECT_EQ(body.missing[0].reason, "no_consent");
  EXPECT_EQ(check({s}, "face", "svc-other").missing.at(0).reason, "service_not_covered");
  EXPECT_EQ(check({s}, "voice", "svc-video", "user-2").missing.at(0).reason, "user_not_covered");
  EXPECT_EQ(audit_count(audit::EventType::kConsentSubjectAdded), 1u);
  EXPECT_EQ(audit_count(audit::EventType::kConsentGranted), 1u);
}

TEST_P(ConsentTest, CheckNamesEachMissingSubject) {
  const auto a = subject("甲");
  const auto b = subject("乙");
  ASSERT_TRUE(consents_->grant(grant_for(a)));
  auto r = check({a, b, "no-such-subject"});
  EXPECT_FALSE(r.allowed);
  ASSERT_EQ(r.missing.size(), 2u);
  EXPECT_EQ(r.missing[0].subject_id, b);
  EXPECT_EQ(r.missing[0].reason, "no_consent");
  EXPECT_EQ(r.missing[1].subject_id, "no-such-subject");
  EXPECT_EQ(r.missing[1].reason, "unknown_subject");
  EXPECT_EQ(r.consent_ids.size(), 1u);
}

TEST_P(ConsentTest, ExpiresAndIsNotValidBeforeItsWindow) {
  const auto s = subject();
  Grant g = grant_for(s);
  g.valid_from = kNow + 1h;
  ASSERT_TRUE(consents_->grant(g));
  EXPECT_EQ(check({s}).missing.at(0).reason, "not_yet_valid");
  clock_.advance(2h);
  EXPECT_TRUE(check({s}).allowed);
  clock_.advance(24h);
  auto expired = check({s});
  EXPECT_FALSE(expired.allowed);
  EXPECT_EQ(expired.missing.at(0).reason, "expired");
  // An explicit time is honoured too.
  auto then = consents_->check({{s}, "face", "svc-video", "user-1", kNow + 3h});
  ASSERT_TRUE(then);
  EXPECT_TRUE(then->allowed);
}

TEST_P(ConsentTest, RevocationTakesEffectAtOnce) {
  const auto s = subject();
  auto c = consents_->grant(grant_for(s));
  ASSERT_TRUE(c);
  ASSERT_TRUE(check({s}).allowed);
  EXPECT_EQ(consents_->revoke(c->id, " ", "api").error().code, ErrorCode::kInvalidArgument);
  auto revoked = consents_->revoke(c->id, "withdrawn by the subject", "api");
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_TRUE(revoked->revoked_ms);
  auto after = check({s});
  EXPECT_FALSE(after.allowed);
  EXPECT_EQ(after.missing.at(0).reason, "revoked");
  EXPECT_EQ(after.missing.at(0).consent_id, c->id);
  EXPECT_EQ(consents_->revoke(c->id, "again", "api").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(consents_->revoke("nope", "x", "api").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(audit_count(audit::EventType::kConsentRevoked), 1u);
  // A fresh consent allows again.
  ASSERT_TRUE(consents_->grant(grant_for(s)));
  EXPECT_TRUE(check({s}).allowed);
}

TEST_P(ConsentTest, MalformedGrantsAreRefusedAndNothingIsStored) {
  const auto s = subject();
  Grant g = grant_for(s);
  g.modalities = {"smell"};
  g.valid_until = g.valid_from;
  g.evidence_sha256 = "abc";
  g.granted_by = "neighbour";
  auto refused = consents_->grant(g);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  for (const char* part : {"smell", "valid_until", "evidence_sha256", "granted_by"}) {
    EXPECT_NE(refused.error().message.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(consents_->grant(grant_for("nobody")).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(consents_->consents_of(s)->empty());
  EXPECT_EQ(consents_->check({{s}, "smell", "x", "y", {}}).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(ConsentTest, EvidenceDocumentIsStoredEncryptedAndMustMatchItsHash) {
  const auto s = subject();
  Grant g = grant_for(s);
  const std::string doc = "%PDF-1.7 signed consent";
  g.evidence_document = Bytes(doc.begin(), doc.end());
  auto mismatch = consents_->grant(g);
  ASSERT_FALSE(mismatch);
  EXPECT_NE(mismatch.error().message.find("its SHA-256"), std::string::npos);
  g.evidence_sha256 = hex_encode(sha256(as_bytes(doc)));
  auto c = consents_->grant(g);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->has_document);
  auto back = consents_->evidence_document(c->id, "auditor");
  ASSERT_TRUE(back);
  EXPECT_EQ(std::string(as_chars(*back)), doc);
}

TEST_P(ConsentTest, ChildSubjectNeedsAGuardianGrant) {
  const std::string first17 = "11010520160501003";
  const auto s = subject("小明", first17 + identity::mod11_2_check(first17));
  ASSERT_TRUE(consents_->subject(s)->minor_under_14);
  auto by_child = consents_->grant(grant_for(s));
  ASSERT_FALSE(by_child);
  EXPECT_NE(by_child.error().message.find("guardian"), std::string::npos);
  Grant g = grant_for(s);
  g.granted_by = "guardian";
  EXPECT_FALSE(consents_->grant(g));  // no guardian name
  g.guardian_name = "小明妈妈";
  ASSERT_TRUE(consents_->grant(g));
  EXPECT_TRUE(check({s}).allowed);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(ConsentTest);

}  // namespace
}  // namespace synthgate::consent
