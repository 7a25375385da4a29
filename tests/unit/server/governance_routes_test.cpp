#include "server/governance_routes.hpp"

#include <gtest/gtest.h>

#include "identity/user_registry.hpp"
#include "pipeline/pipeline_records.hpp"
#include "server/api_key_registry.hpp"
#include "server/key_authenticator.hpp"
#include "support/server_harness.hpp"
#include "unit/governance/governance_fixture.hpp"

namespace synthgate::server {
namespace {

using json = nlohmann::json;

// The compliance routes behind real API keys: only compliance_officer keys get in.
class GovernanceRoutesTest : public governance::GovernanceTest {
 protected:
  std::vector<store::MigrationSet> extra_migrations() override {
    return {identity::identity_migrations(), pipeline::pipeline_migrations()};
  }

  void SetUp() override {
    GovernanceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    const std::vector<store::MigrationSet> sets = {api_key_migrations()};
    ASSERT_TRUE(store::migrate(store(), sets, clock_));
    keys_ = std::make_unique<ApiKeyRegistry>(store(), *audit_, clock_, secure_);
    authenticator_ = std::make_unique<KeyAuthenticator>(*keys_, clock_);
    harness_.server().set_authenticator(
        [this](const httplib::Request& req, const RouteAccess& access, httplib::Headers& h) {
          return authenticator_->authenticate(req, access, h);
        });
    officer_ = token_of(Role::kComplianceOfficer);
    service_ = token_of(Role::kService);
    add_governance_routes(harness_.server(), *records_, {});
    harness_.start();
  }

  std::string token_of(Role role) {
    NewApiKey request;
    request.role = role;
    auto created = keys_->create(request);
    EXPECT_TRUE(created) << created.error().message;
    return created ? created->token : "";
  }

  httplib::Headers auth(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  std::unique_ptr<ApiKeyRegistry> keys_;
  std::unique_ptr<KeyAuthenticator> authenticator_;
  synthgate::testing::ServerHarness harness_;
  std::string officer_;
  std::string service_;
};

TEST_P(GovernanceRoutesTest, InventoryToSignedScopeOverHttp) {
  auto client = harness_.client();
  auto refused = client.Post("/v1/compliance/inventory", auth(service_),
                             governance::sample_inventory_text(), "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);

  json bad = json::parse(governance::sample_inventory_text());
  bad["products"][0]["unit"] = "bu-ghost";
  auto invalid =
      client.Post("/v1/compliance/inventory", auth(officer_), bad.dump(), "application/json");
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->status, 400);
  const json error = json::parse(invalid->body);
  EXPECT_EQ(error["error"]["code"], "invalid_argument");
  EXPECT_NE(error["error"]["message"].get<std::string>().find("product p-chat"), std::string::npos);

  auto imported = client.Post("/v1/compliance/inventory", auth(officer_),
                              governance::sample_inventory_text(), "application/json");
  ASSERT_TRUE(imported);
  ASSERT_EQ(imported->status, 201) << imported->body;
  EXPECT_EQ(json::parse(imported->body)["version"], 1);

  auto role = client.Post("/v1/compliance/roles", auth(officer_),
                          R"({"role":"compliance_lead","person":"wang"})", "application/json");
  ASSERT_TRUE(role);
  EXPECT_EQ(role->status, 200) << role->body;
  auto sign = client.Post("/v1/compliance/sign-offs", auth(officer_), R"({"signer":"wang"})",
                          "application/json");
  ASSERT_TRUE(sign);
  EXPECT_EQ(sign->status, 201) << sign->body;
  auto wrong = client.Post("/v1/compliance/sign-offs", auth(officer_), R"({"signer":"li"})",
                           "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);

  auto assessment = client.Get("/v1/compliance/assessment", auth(officer_));
  ASSERT_TRUE(assessment);
  ASSERT_EQ(assessment->status, 200) << assessment->body;
  const json a = json::parse(assessment->body);
  EXPECT_EQ(a["signed_by"], json::array({"wang"}));
  EXPECT_EQ(a["units"].size(), 3u);

  auto pdf = client.Get("/v1/compliance/reports/scope?format=pdf", auth(officer_));
  ASSERT_TRUE(pdf);
  ASSERT_EQ(pdf->status, 200);
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->body.substr(0, 5), "%PDF-");
  auto unknown = client.Get("/v1/compliance/reports/novel", auth(officer_));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);

  auto tasks = client.Get("/v1/compliance/tasks", auth(officer_));
  ASSERT_TRUE(tasks);
  ASSERT_EQ(tasks->status, 200);
  EXPECT_EQ(json::parse(tasks->body)["tasks"][0]["kind"], "log_completeness");
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(GovernanceRoutesTest);

}  // namespace
}  // namespace synthgate::server
