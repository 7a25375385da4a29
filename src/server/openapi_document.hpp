#pragma once

#include <string_view>

namespace synthgate::server {

// The OpenAPI 3.1 description of the HTTP API (src/server/openapi.json, built in).
std::string_view openapi_document();

}  // namespace synthgate::server
