#include "api/http_types.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::api {

namespace http = boost::beast::http;

Response text_response(unsigned status, std::string body, std::string_view content_type) {
  Response res{static_cast<http::status>(status), 11};
  res.set(http::field::server, "Switchboard");
  res.set(http::field::content_type, bsv(content_type));
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response json_response(unsigned status, std::string body, unsigned version, bool keep_alive) {
  Response res = text_response(status, std::move(body), "application/json");
  res.version(version);
  res.keep_alive(keep_alive);
  return res;
}

Response json_response(unsigned status, const nlohmann::json& body) {
  return json_response(status, body.dump());
}

Response json_error(unsigned status, std::string_view code, std::string_view message,
                    const nlohmann::json& details) {
  nlohmann::json j = {{"error", code}, {"message", message}, {"details", details}};
  return json_response(status, j.dump());
}

Response json_error(unsigned status, std::string_view code, std::string_view message) {
  return json_error(status, code, message, nlohmann::json::object());
}

Response core_error(const Error& e, unsigned other_status, std::string_view other_code) {
  switch (e.code) {
    case ErrorCode::kNotFound:
      return json_error(404, "not_found", e.message);
    case ErrorCode::kFailedPrecondition:
      return json_error(409, "conflict", e.message);
    case ErrorCode::kUnavailable:
      return json_error(503, "unavailable", e.message);
    default:
      return json_error(other_status, other_code, e.message);
  }
}

}  // namespace switchboard::api
