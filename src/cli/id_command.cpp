// synthgate id check VALUE [--kind K] [--json]: is this a well-formed resident ID number,
// permit number, mobile number or unified social credit code?
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.hpp"
#include "core/clock.hpp"
#include "identity/identity_value.hpp"

namespace synthgate::cli {

namespace {

struct IdOptions {
  std::string value;
  std::optional<std::string> kind;
  bool json = false;
};

int run_check(CommandContext& ctx, const IdOptions& opts) {
  std::optional<identity::ValueKind> kind;
  if (opts.kind) {
    kind = identity::parse_kind(*opts.kind);
    if (!kind) {
      return report(ctx, Error{ErrorCode::kUsage, "--kind: unknown kind " + *opts.kind});
    }
  }
  SystemClock clock;
  const auto c = identity::check_value(opts.value, kind, identity::china_date(clock.now()));
  if (opts.json) {
    nlohmann::json out{{"valid", c.valid},
                       {"kind", identity::kind_name(c.kind)},
                       {"errors", c.errors},
                       {"warnings", c.warnings}};
    if (c.holder) {
      const auto& d = c.holder->birth_date;
      char date[16];
      std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(d.year()),
                    static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
      out["birth_date"] = date;
      out["sex"] = c.holder->male ? "male" : "female";
      out["division_code"] = c.holder->division_code;
    }
    ctx.out << out.dump() << "\n";
  } else {
    ctx.out << (c.valid ? "valid " : "invalid ") << identity::kind_name(c.kind) << "\n";
    for (const auto& e : c.errors) ctx.out << "error: " << e << "\n";
    for (const auto& w : c.warnings) ctx.out << "warning: " << w << "\n";
  }
  if (!c.valid) {
    ctx.err << "synthgate: invalid " << identity::kind_name(c.kind) << ": "
            << (c.errors.empty() ? std::string("refused") : c.errors.front()) << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

void add_id_command(CLI::App& app, CommandContext& ctx) {
  auto* id = app.add_subcommand("id", "Check identifying values (no database needed)");
  id->require_subcommand(1);
  auto opts = std::make_shared<IdOptions>();
  auto* check = id->add_subcommand(
      "check",
      "Check a resident ID number (18 or 15 digits), Hong Kong/Macao/Taiwan residence or "
      "travel permit, foreign permanent resident ID, mobile number or unified social credit "
      "code. Exit 0 valid, 1 invalid.");
  check->add_option("VALUE", opts->value, "The value to check")->required();
  check->add_option("--kind", opts->kind,
                    "Check as this kind: resident_id, resident_id_15, hmt_residence_permit, "
                    "foreign_permanent_resident_id, hk_macao_travel_permit, "
                    "taiwan_travel_permit, mobile, credit_code (default: by its shape)");
  check->add_flag("--json", opts->json,
                  "Print {\"valid\", \"kind\", \"errors\", \"warnings\", ...} on stdout");
  check->callback([&ctx, opts] { ctx.exit_code = run_check(ctx, *opts); });
}

}  // namespace synthgate::cli
