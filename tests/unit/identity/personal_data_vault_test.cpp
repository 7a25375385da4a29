#include "identity/personal_data_vault.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/encoding.hpp"
#include "identity/identity_value.hpp"
#include "unit/identity/identity_fixture.hpp"

namespace synthgate::identity {
namespace {

namespace fs = std::filesystem;

class VaultTest : public IdentityTest {
 protected:
  Status put(PersonalDataVault& vault, const std::string& record, const std::string& field,
             const std::string& value, bool indexed) {
    return store().transact(
        [&](store::Session& session) { return vault.put(session, record, field, value, indexed); });
  }

  // Every byte the database holds: the SQLite files, or each PostgreSQL row as text.
  std::string raw_database() {
    std::string all;
    if (!postgres()) {
      const std::string url = database().url();
      const fs::path db = url.substr(std::string("sqlite:").size());
      for (const auto& entry : fs::directory_iterator(db.parent_path())) {
        std::ifstream in(entry.path(), std::ios::binary);
        all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
      return all;
    }
    for (const char* table :
         {"vault_keys", "vault_fields", "identity_users", "identity_state_changes",
          "identity_verifications", "identity_guardian_consents", "consent_subjects", "consents",
          "audit_entries", "audit_checkpoints"}) {
      auto rows = store().query(std::string("SELECT CAST(t AS TEXT) FROM ") + table + " t");
      EXPECT_TRUE(rows) << table << ": " << rows.error().message;
      if (!rows) continue;
      for (const auto& row : rows->rows) all += *row.text(0) + "\n";
    }
    return all;
  }

  void expect_absent(const std::string& raw, const std::string& plaintext) {
    EXPECT_EQ(raw.find(plaintext), std::string::npos) << "plaintext found: " << plaintext;
    const std::string hex = hex_encode(as_bytes(plaintext));
    EXPECT_EQ(raw.find(hex), std::string::npos) << "hex of plaintext found: " << plaintext;
  }
};

TEST_P(VaultTest, SealsRevealsAndAuditsEveryRead) {
  ASSERT_TRUE(put(*vault_, "rec-1", "phone", "13800138000", true));
  const auto reads_before = audit_count(audit::EventType::kPersonalDataRead);
  auto phone = vault_->reveal_text("rec-1", "phone", {"alice", "support call", "user-9"});
  ASSERT_TRUE(phone) << phone.error().message;
  EXPECT_EQ(*phone, "13800138000");
  EXPECT_EQ(audit_count(audit::EventType::kPersonalDataRead), reads_before + 1);
  audit::EntryFilter filter;
  filter.type = audit::EventType::kPersonalDataRead;
  auto entries = audit_->entries(filter);
  ASSERT_TRUE(entries);
  ASSERT_TRUE(entries->back().event);
  const auto& event = *entries->back().event;
  EXPECT_EQ(event.actor, "alice");
  EXPECT_EQ(event.user_id, "user-9");
  EXPECT_EQ(event.details.at("purpose"), "support call");
  EXPECT_EQ(event.details.at("field"), "phone");
  for (const auto& [k, v] : event.details) EXPECT_EQ(v.find("13800138000"), std::string::npos);
  EXPECT_EQ(vault_->reveal("rec-1", "name", {"alice", "x", {}}).error().code, ErrorCode::kNotFound);
}

TEST_P(VaultTest, BlindIndexFindsExactMatchesOnly) {
  ASSERT_TRUE(put(*vault_, "a", "phone", "13800138000", true));
  ASSERT_TRUE(put(*vault_, "b", "phone", "13900139000", true));
  ASSERT_TRUE(put(*vault_, "c", "name", "13800138000", false));
  EXPECT_EQ(*vault_->find("phone", "13800138000"), std::vector<std::string>{"a"});
  EXPECT_TRUE(vault_->find("phone", "1380013800")->empty());
  EXPECT_TRUE(vault_->find("name", "13800138000")->empty());
  // The index is keyed: it is not a plain hash of the value.
  auto index = vault_->blind_index("phone", "13800138000");
  ASSERT_TRUE(index);
  EXPECT_NE(hex_encode(*index), hex_encode(sha256(as_bytes(std::string_view("13800138000")))));
}

TEST_P(VaultTest, RotationRewrapsWithoutDowntime) {
  ASSERT_TRUE(put(*vault_, "rec", "id_number", "11010519491231002X", true));
  const std::string old_id = vault_->current_key_id();
  // During the rotation both keys are loaded: reads keep working before and after rewrap.
  auto rotating = make_vault(kek(2), {kek(1)});
  ASSERT_TRUE(rotating->open());
  EXPECT_NE(rotating->current_key_id(), old_id);
  EXPECT_EQ(*rotating->reveal_text("rec", "id_number", {"t", "test", {}}), "11010519491231002X");
  auto report = rotating->rewrap();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->rewrapped, 2u);  // the data key and the index key
  EXPECT_EQ(rotating->rewrap()->rewrapped, 0u);
  EXPECT_EQ(*vault_->reveal_text("rec", "id_number", {"t", "old process", {}}),
            "11010519491231002X");  // a process that already holds the unwrapped keys
  // After the rotation the new key alone opens everything; the old one alone does not.
  auto rotated = make_vault(kek(2), {});
  ASSERT_TRUE(rotated->open());
  EXPECT_EQ(*rotated->reveal_text("rec", "id_number", {"t", "test", {}}), "11010519491231002X");
  EXPECT_EQ(*rotated->find("id_number", "11010519491231002X"), std::vector<std::string>{"rec"});
  auto stale = make_vault(kek(1), {});
  auto opened = stale->open();
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("not loaded"), std::string::npos);
}

TEST_P(VaultTest, AlteredOrMovedBoxesDoNotOpen) {
  ASSERT_TRUE(put(*vault_, "rec", "name", "王五", false));
  ASSERT_TRUE(store().execute(
      "UPDATE vault_fields SET record_id = 'other' WHERE record_id = 'rec' AND field = 'name'"));
  auto moved = vault_->reveal("other", "name", {"t", "test", {}});
  ASSERT_FALSE(moved);
  EXPECT_NE(moved.error().message.find("does not open"), std::string::npos);
}

TEST_P(VaultTest, KeyFromEnvironmentOrFile) {
  const SecretBytes file(std::vector<std::uint8_t>(32, 7));
  auto from_file = load_vault_key({}, file);
  ASSERT_TRUE(from_file);
  EXPECT_EQ(from_file->view()[0], 7);
  auto from_env = load_vault_key({{"SYNTHGATE_VAULT_KEY", std::string(64, 'a')}}, file);
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->view()[0], 0xaa);
  auto bad = load_vault_key({{"SYNTHGATE_VAULT_KEY", "abc"}}, file);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kConfig);
  EXPECT_EQ(bad.error().message.find("abc"), std::string::npos);  // never echo a key
}

// The acceptance test: after users, guardians, subjects and consents are stored,
// no ID number, name or phone number appears anywhere in the database's bytes.
TEST_P(VaultTest, RawDatabaseHoldsNoPlaintextPersonalData) {
  Registration reg;
  reg.name = "张三丰";
  reg.id_number = "11010519491231002X";
  reg.phone = "13812345678";
  auto user = users_->create(reg);
  ASSERT_TRUE(user) << user.error().message;
  auto v = users_->start_verification(user->id, "sms_code", "api");
  ASSERT_TRUE(v);
  ASSERT_TRUE(users_->confirm(user->id, v->id, sender_.last_code(), "api"));
  GuardianConsent guardian{"李监护", "110105197001010019", "parent", std::string(64, 'b'), "op"};
  guardian.guardian_id_number =
      "11010519700101001" + std::string(1, mod11_2_check("11010519700101001"));
  ASSERT_TRUE(users_->record_guardian_consent(user->id, guardian));
  consent::NewSubject subject{"赵演员", "11010519491231002X", std::nullopt, "api"};
  auto s = consents_->add_subject(subject);
  ASSERT_TRUE(s) << s.error().message;
  consent::Grant grant;
  grant.subject_id = s->id;
  grant.modalities = {"face"};
  grant.purposes = {"video"};
  grant.services = {"*"};
  grant.users = {"*"};
  grant.valid_from = kNow;
  grant.valid_until = kNow + std::chrono::hours(24);
  grant.granted_by = "guardian";
  grant.guardian_name = "钱监护人";
  const std::string document = "signed consent of 赵演员, ID 11010519491231002X";
  grant.evidence_document = Bytes(document.begin(), document.end());
  grant.evidence_sha256 = hex_encode(sha256(as_bytes(document)));
  ASSERT_TRUE(consents_->grant(grant));
  ASSERT_TRUE(audit_->publish_checkpoint());

  const std::string raw = raw_database();
  ASSERT_GT(raw.size(), 1000u);
  for (const std::string& plaintext :
       {std::string("11010519491231002X"), std::string("110105194912310"),
        guardian.guardian_id_number, std::string("13812345678"), std::string("张三丰"),
        std::string("李监护"), std::string("赵演员"), std::string("钱监护人"),
        std::string("signed consent of")}) {
    expect_absent(raw, plaintext);
  }
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(VaultTest);

}  // namespace
}  // namespace synthgate::identity
