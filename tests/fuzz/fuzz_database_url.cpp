// DatabaseUrl::parse and redact_database_url on arbitrary text. Redaction is what keeps
// database passwords out of logs and error messages, so for a URL of the simple shape
// scheme://user:PASSWORD@host the password must never survive it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "store/database_url.hpp"

namespace {

// The password of `url` when it has the shape scheme://user:PASSWORD@rest, where the scheme
// is [A-Za-z][A-Za-z0-9+.-]*, the user has no ':', '/' or '@', the password is non-empty
// with no '/' or '@', and rest has no '@'. This is how libpq reads the userinfo of a URI:
// it ends at the first '@' before any '/', so '?' and '#' belong to the password.
// Inputs where the check could be fooled are skipped: a password holding '*' (the
// replacement text) or '"', or occurring anywhere else in the URL.
std::optional<std::string_view> simple_password(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  for (std::size_t i = 0; i < scheme_end; ++i) {
    const char c = url[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool ok =
        alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-'));
    if (!ok) return std::nullopt;
  }
  const std::string_view authority = url.substr(scheme_end + 3);
  const auto at = authority.find('@');
  if (at == std::string_view::npos || authority.find('@', at + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view userinfo = authority.substr(0, at);
  if (userinfo.find('/') != std::string_view::npos) return std::nullopt;
  const auto colon = userinfo.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view password = userinfo.substr(colon + 1);
  // A '"' could meet the quote that closes the echoed URL in an error message and fake a leak.
  if (password.empty() || password == "***" ||
      password.find_first_of("*\"") != std::string_view::npos) {
    return std::nullopt;
  }
  const auto first = url.find(password);
  if (url.find(password, first + 1) != std::string_view::npos) return std::nullopt;
  return password;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace store = synthgate::store;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const std::string redacted = store::redact_database_url(text);
  auto url = store::DatabaseUrl::parse(text);
  std::string described;
  if (url) {
    described = url->redacted();
    if (url->backend == store::Backend::kPostgresql) {
      FUZZ_CHECK(url->postgres_uri == text);
      FUZZ_CHECK(described == redacted);
    }
  } else {
    FUZZ_CHECK(!url.error().message.empty());
  }

  if (auto password = simple_password(text)) {
    FUZZ_CHECK(redacted.find(*password) == std::string::npos);
    // (A sqlite: URL names a file; described() shows its path as given, "@" and all.)
    if (url && url->backend == store::Backend::kPostgresql) {
      FUZZ_CHECK(described.find(*password) == std::string::npos);
    }
    if (!url) {
      // Only the echoed input ("... got \"URL\""), not the fixed wording around it.
      const std::string& message = url.error().message;
      if (const auto got = message.find("got \""); got != std::string::npos) {
        FUZZ_CHECK(message.find(*password, got + 5) == std::string::npos);
      }
    }
  }
  return 0;
}
