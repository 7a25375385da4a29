#pragma once

#include <filesystem>
#include <string>

namespace synthgate::cli {

// What a newcomer pastes into a second terminal after `make run`: create a user, verify them
// with the development code sender, admit a prompt, label an image, detect it. Printed by
// `synthgate serve` in development; tests/integration/walkthrough_test.sh runs it as printed.
struct WalkthroughSetup {
  std::string base_url;              // http://127.0.0.1:8080
  std::filesystem::path key_file;    // the development API keys ("ROLE TOKEN" lines)
  std::filesystem::path sms_outbox;  // where the development code sender writes
};

std::string walkthrough(const WalkthroughSetup& setup);

}  // namespace synthgate::cli
