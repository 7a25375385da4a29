#pragma once

#include "server/gateway_server.hpp"
#include "store/store.hpp"

namespace synthgate::server {

// GET /healthz (checks the database), GET /metrics (Prometheus), GET /openapi.json.
// None needs an API key.
void add_system_routes(GatewayServer& server, store::Store& store);

}  // namespace synthgate::server
