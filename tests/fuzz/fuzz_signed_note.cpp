// open_checkpoint and parse_verifier_key on arbitrary text (checkpoints and keys arrive
// from witnesses, regulators and files). A verifier key that parses must print back the
// same; a note must never open under a key that did not sign it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "audit/checkpoint.hpp"
#include "fuzz_check.hpp"

namespace {
const synthgate::audit::VerifierKey& fixed_key() {
  // The verifier key of golang.org/x/mod/sumdb/note's example.
  static const auto key = *synthgate::audit::parse_verifier_key(
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  return key;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto key = synthgate::audit::parse_verifier_key(text)) {
    FUZZ_CHECK(synthgate::audit::verifier_key(key->name, key->key) == text);
  }
  if (auto checkpoint = synthgate::audit::open_checkpoint(text, fixed_key())) {
    FUZZ_CHECK(text.starts_with(checkpoint->origin + "\n"));
  }
  return 0;
}
