#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "core/secure_random.hpp"

namespace synthgate::identity {

// Where and how to reach an outside verification service (the identity-check service, the
// national online identity service's token endpoint).
struct ServiceEndpoint {
  std::string host = "127.0.0.1";
  int port = 443;
  bool https = true;
  std::string path = "/v1/identity/verify";
  std::string app_id;
  SecretBytes secret;  // HMAC-SHA256 request-signing key shared with the service
  std::chrono::milliseconds timeout{3000};
  int retries = 2;                         // further tries after the first
  std::chrono::milliseconds backoff{200};  // doubled before each retry
};

// "http[s]://host[:port]/path" into host, port, scheme and path (the rest of the endpoint is
// left as it is). kConfig names what is wrong.
Status parse_endpoint_url(std::string_view url, ServiceEndpoint& endpoint);

// The request signature: hex HMAC-SHA256 over
// "POST\n<path>\n<timestamp ms>\n<nonce>\n<hex SHA-256 of the body>", sent in
// X-Signature beside X-App-Id, X-Timestamp and X-Nonce. Exposed so the service side (and
// the test fakes) can check it.
std::string identity_check_signature(const SecretBytes& secret, std::string_view path,
                                     std::string_view timestamp, std::string_view nonce,
                                     std::string_view body);

// Posts a signed JSON body and returns the JSON object answered with 200. Connection errors,
// timeouts, 429 and 5xx are retried with exponential backoff (kUnavailable when all fail);
// another status is kInternal (the request itself was wrong); a 200 that is not a JSON object
// is kUnavailable. `service` names the service in messages.
Result<nlohmann::json> post_signed(const ServiceEndpoint& endpoint, std::string_view service,
                                   const nlohmann::json& body, RandomSource& random);

}  // namespace synthgate::identity
