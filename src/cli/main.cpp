// synthgate: the command line. Exit codes: 0 success, 1 refused input or failure,
// 2 usage or configuration error. Errors are one line on stderr, never a stack trace.
#include <malloc.h>

#include <exception>
#include <iostream>

#include "cli/command.hpp"

extern char** environ;

namespace synthgate::cli {

int report(CommandContext& ctx, const Error& error) {
  ctx.err << "synthgate: " << error.message << "\n";
  return exit_code(error.code);
}

namespace {

std::map<std::string, std::string> read_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry(*e);
    if (const auto eq = entry.find('='); eq != std::string::npos) {
      env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
  }
  return env;
}

int run(int argc, char** argv) {
  CommandContext ctx{read_environment(), std::cout, std::cerr};
  CLI::App app{
      "SynthGate: the compliance engine for deep-synthesis (generative AI) services under "
      "China's Deep Synthesis Provisions, the Labeling Measures and GB 45438-2025.",
      "synthgate"};
  app.require_subcommand(1);
  app.fallthrough(false);
  add_version_command(app, ctx);
  add_serve_command(app, ctx);
  add_meta_command(app, ctx);
  add_audit_command(app, ctx);
  add_moderate_command(app, ctx);
  add_pdq_command(app, ctx);
  add_watermark_command(app, ctx);
  add_label_command(app, ctx);
  add_detect_command(app, ctx);
  add_id_command(app, ctx);
  add_users_command(app, ctx);
  add_consents_command(app, ctx);
  add_keys_command(app, ctx);
  add_compliance_command(app, ctx);
  add_complaints_command(app, ctx);
  // CLI11 reports an unknown command as a missing one; name it instead.
  const auto known = [&app](const std::string& name) {
    for (const CLI::App* sub : app.get_subcommands({})) {
      if (sub->check_name(name)) return true;
    }
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !known(argv[1])) {
    ctx.err << "synthgate: unknown command '" << argv[1] << "' (see synthgate --help)\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, ctx.out, ctx.err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, ctx.out, ctx.err);
  } catch (const CLI::ParseError& e) {
    ctx.err << "synthgate: " << e.what() << " (see synthgate --help)\n";
    return 2;
  }
  return ctx.exit_code;
}

}  // namespace
}  // namespace synthgate::cli

int main(int argc, char** argv) {
  // glibc hands freed blocks above its mmap threshold back to the kernel and trims the heap's
  // top beyond 128 KiB, so every picture and video frame got its large buffers afresh and
  // page-faulted them in: marking a 6 s 1080p30 clip spent more time faulting than working
  // (7.9 s wall; 3.2 s with large blocks kept). Blocks up to 64 MiB (a 4K BGR frame is 24) now
  // come from the heap and up to 256 MiB of free heap is kept; resident memory stays at its
  // peak instead of shrinking between pictures.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  try {
    return synthgate::cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "synthgate: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "synthgate: internal error\n";
  }
  return 1;
}
