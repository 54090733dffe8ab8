// CORS with an explicit origin list (api.enable_cors, api.cors_origins): no
// wildcard, credentials allowed only for listed origins.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/http_types.hpp"

namespace switchboard::api {

class CorsPolicy {
 public:
  CorsPolicy() = default;
  CorsPolicy(bool enabled, std::vector<std::string> origins)
      : enabled_(enabled), origins_(std::move(origins)) {}

  bool allows(std::string_view origin) const;
  /// The answer to a preflight (OPTIONS with Access-Control-Request-Method),
  /// or nullopt when `req` is not one.
  std::optional<Response> preflight(const Request& req) const;
  /// Adds the CORS headers to `res` when the request's Origin is allowed.
  void decorate(std::string_view origin, Response& res) const;

 private:
  bool enabled_ = false;
  std::vector<std::string> origins_;
};

}  // namespace switchboard::api
