// The OpenAPI 3 document, generated from the route table: every route is in
// it with its permission, parameters, request and response schemas, so the
// document cannot drift from what the server does.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api/router.hpp"

namespace switchboard::api {

struct OpenApiInfo {
  std::string title = "Switchboard API";
  std::string version;
};

nlohmann::json openapi_document(const Router& router, const OpenApiInfo& info);

/// The schema of every error body: {error, message, details}.
nlohmann::json error_schema();

}  // namespace switchboard::api
