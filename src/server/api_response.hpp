#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace synthgate::server {

void write_json(httplib::Response& res, int status, const nlohmann::json& body);

// {"error": {"code": "snake_case", "message": "..."}} with the status the code maps to.
void write_error(httplib::Response& res, const Error& error);

// The same body for a status that the HTTP layer chose itself (404, 413, ...).
void write_error_for_status(httplib::Response& res, int status);

}  // namespace synthgate::server
