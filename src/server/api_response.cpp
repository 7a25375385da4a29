#include "server/api_response.hpp"

namespace synthgate::server {

void write_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void write_error(httplib::Response& res, const Error& error) {
  write_json(res, http_status(error.code),
             {{"error", {{"code", code_name(error.code)}, {"message", error.message}}}});
}

void write_error_for_status(httplib::Response& res, int status) {
  std::string_view code = "error";
  std::string_view message = "the request failed";
  switch (status) {
    case 400:
      code = "bad_request";
      message = "the request is malformed";
      break;
    case 404:
      code = "not_found";
      message = "no such route";
      break;
    case 405:
      code = "method_not_allowed";
      message = "this route does not take that method";
      break;
    case 413:
      code = "payload_too_large";
      message = "the request body exceeds the size limit";
      break;
    case 414:
      code = "uri_too_long";
      message = "the request URI is too long";
      break;
    case 416:
      code = "range_not_satisfiable";
      message = "the requested range cannot be served";
      break;
    case 500:
      code = "internal";
      message = "internal error";
      break;
    case 503:
      code = "unavailable";
      message = "the service is unavailable";
      break;
    default:
      break;
  }
  write_json(res, status, {{"error", {{"code", code}, {"message", message}}}});
}

}  // namespace synthgate::server
