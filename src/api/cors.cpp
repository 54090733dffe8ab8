#include "api/cors.hpp"

#include <algorithm>

namespace switchboard::api {

namespace http = boost::beast::http;

bool CorsPolicy::allows(std::string_view origin) const {
  if (!enabled_ || origin.empty()) return false;
  return std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

std::optional<Response> CorsPolicy::preflight(const Request& req) const {
  if (req.method() != http::verb::options ||
      req.find(http::field::access_control_request_method) == req.end()) {
    return std::nullopt;
  }
  const std::string_view origin = sv(req[http::field::origin]);
  if (!allows(origin)) {
    return json_error(403, "cors_forbidden", "origin not allowed");
  }
  Response res = text_response(204, "", "text/plain");
  res.set(http::field::access_control_allow_origin, bsv(origin));
  res.set(http::field::access_control_allow_methods, "GET, POST, PUT, PATCH, DELETE");
  res.set(http::field::access_control_allow_headers, "Authorization, Content-Type");
  res.set(http::field::access_control_allow_credentials, "true");
  res.set(http::field::access_control_max_age, "600");
  res.set(http::field::vary, "Origin");
  return res;
}

void CorsPolicy::decorate(std::string_view origin, Response& res) const {
  if (!allows(origin)) return;
  res.set(http::field::access_control_allow_origin, bsv(origin));
  res.set(http::field::access_control_allow_credentials, "true");
  res.set(http::field::vary, "Origin");
}

}  // namespace switchboard::api
