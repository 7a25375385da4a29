// Identity and consent benchmarks: value checks per second (the `id check` rules), and a
// consent check on SQLite with 200 subjects holding 3 consents each.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <filesystem>

#include "audit/audit_schema.hpp"
#include "consent/consent_registry.hpp"
#include "core/secure_random.hpp"
#include "identity/identity_value.hpp"
#include "store/migration.hpp"

using namespace synthgate;

namespace {

const std::chrono::year_month_day kToday{std::chrono::year(2026), std::chrono::month(11),
                                         std::chrono::day(28)};

void BM_CheckResidentId(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        identity::check_value("11010519491231002X", identity::ValueKind::kResidentId, kToday));
  }
}
BENCHMARK(BM_CheckResidentId);

void BM_CheckByShape(benchmark::State& state) {
  const char* values[] = {"11010519491231002X", "13800138000", "91350100M0001TGQXM",
                          "110105491231002", "H12345678"};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(identity::check_value(values[i++ % 5], std::nullopt, kToday));
  }
}
BENCHMARK(BM_CheckByShape);

void BM_ConsentCheckSqlite(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("synthgate-bench-consent-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto url = store::DatabaseUrl::parse("sqlite:" + (dir / "bench.db").string());
  auto opened = store::open_store(*url, {4, 30000});
  if (!opened) {
    state.SkipWithError(opened.error().message.c_str());
    return;
  }
  auto& db = **opened;
  SystemClock clock;
  SecureRandom random;
  const std::vector<store::MigrationSet> sets = {
      audit::audit_migrations(), identity::vault_migrations(), consent::consent_migrations()};
  (void)store::migrate(db, sets, clock);
  const auto signer = Ed25519SigningKey::generate(random);
  AuditConfig audit_config;
  audit::AuditLog log(db, audit_config, clock, &signer);
  identity::PersonalDataVault vault(db, log, {SecretBytes(random.bytes(32)), {}}, random);
  (void)vault.open();
  IdGenerator ids(clock, random);
  consent::ConsentRegistry consents(db, log, vault, clock, ids);
  std::string target;
  for (int i = 0; i < 200; ++i) {
    auto s =
        consents.add_subject({"subject " + std::to_string(i), std::nullopt, std::nullopt, "b"});
    if (!s) {
      state.SkipWithError(s.error().message.c_str());
      return;
    }
    for (const char* modality : {"face", "voice", "body"}) {
      consent::Grant g;
      g.subject_id = s->id;
      g.modalities = {modality};
      g.purposes = {"video"};
      g.services = {"svc"};
      g.users = {"*"};
      g.valid_from = clock.now() - std::chrono::hours(1);
      g.valid_until = clock.now() + std::chrono::hours(24);
      g.evidence_sha256 = std::string(64, 'a');
      (void)consents.grant(g);
    }
    if (i == 100) target = s->id;
  }
  for (auto _ : state) {
    auto r = consents.check({{target}, "voice", "svc", "user", {}});
    if (!r || !r->allowed) state.SkipWithError("check failed");
    benchmark::DoNotOptimize(r);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ConsentCheckSqlite)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
