#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "core/build_info.hpp"

namespace synthgate::cli {

void add_version_command(CLI::App& app, CommandContext& ctx) {
  auto* cmd =
      app.add_subcommand("version", "Print the version and the git revision it was built from");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print one JSON object");
  cmd->callback([&ctx, json] {
    if (*json) {
      ctx.out << nlohmann::json{{"name", "synthgate"},
                                {"version", std::string(build_version())},
                                {"revision", std::string(build_revision())}}
                     .dump()
              << "\n";
    } else {
      ctx.out << "synthgate " << build_version() << " (" << build_revision() << ")\n";
    }
    ctx.exit_code = 0;
  });
}

}  // namespace synthgate::cli
