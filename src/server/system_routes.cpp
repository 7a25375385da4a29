#include "server/system_routes.hpp"

#include "core/build_info.hpp"
#include "server/api_response.hpp"
#include "server/openapi_document.hpp"

namespace synthgate::server {

void add_system_routes(GatewayServer& server, store::Store& store) {
  server.add_route("get", "/healthz", [&store](const httplib::Request&, httplib::Response& res) {
    const auto ping = store.ping();
    nlohmann::json body = {
        {"status", ping ? "ok" : "unavailable"},
        {"version", std::string(build_version())},
        {"database", {{"backend", store::backend_name(store.backend())}, {"ok", bool(ping)}}}};
    if (!ping) body["database"]["error"] = ping.error().message;
    write_json(res, ping ? 200 : 503, body);
  });
  server.add_route("get", "/metrics", [&server](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content(server.metrics().render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server.add_route("get", "/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content(std::string(openapi_document()), "application/json");
  });
}

}  // namespace synthgate::server
