#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <map>
#include <string>

#include "core/result.hpp"

namespace synthgate::cli {

// What every command gets from main: the process environment and where to write.
// A command stores its exit code in `exit_code` (0 ok, 1 refused input, 2 usage).
struct CommandContext {
  std::map<std::string, std::string> environment;
  std::ostream& out;
  std::ostream& err;
  int exit_code = 0;
};

// Prints "synthgate: <message>" on stderr and returns the error's exit code.
int report(CommandContext& ctx, const Error& error);

void add_version_command(CLI::App& app, CommandContext& ctx);
void add_serve_command(CLI::App& app, CommandContext& ctx);
void add_meta_command(CLI::App& app, CommandContext& ctx);
void add_audit_command(CLI::App& app, CommandContext& ctx);
void add_moderate_command(CLI::App& app, CommandContext& ctx);
void add_pdq_command(CLI::App& app, CommandContext& ctx);
void add_watermark_command(CLI::App& app, CommandContext& ctx);
void add_label_command(CLI::App& app, CommandContext& ctx);
void add_detect_command(CLI::App& app, CommandContext& ctx);
void add_id_command(CLI::App& app, CommandContext& ctx);
void add_users_command(CLI::App& app, CommandContext& ctx);
void add_consents_command(CLI::App& app, CommandContext& ctx);
void add_keys_command(CLI::App& app, CommandContext& ctx);
void add_compliance_command(CLI::App& app, CommandContext& ctx);
void add_complaints_command(CLI::App& app, CommandContext& ctx);

}  // namespace synthgate::cli
