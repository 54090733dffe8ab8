// The route table: method, path template ("/api/v1/extensions/{number}"),
// permission, typed body and query parameters, response schema, handler.
// The server's dispatch, the RBAC check, request validation and the OpenAPI
// document all read this one table.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.hpp"
#include "api/json_schema.hpp"
#include "api/rbac.hpp"

namespace switchboard::api {

struct QueryParam {
  std::string name;
  JsonType type = JsonType::kString;
  std::string description{};
};

struct ApiRequest {
  std::shared_ptr<const Request> http;
  RequestInfo info;
  Principal principal;
  std::map<std::string, std::string> path;   ///< {name} segments
  std::map<std::string, std::string> query;  ///< validated against the route
  nlohmann::json body;                       ///< validated against the route; null when none
};

using RouteHandler = std::function<void(ApiRequest, Reply)>;

struct RouteSpec {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string path{};
  Permission permission = Permission::kPublic;
  std::string summary{};
  std::string tag{};
  std::optional<ObjectSchema> body{};
  std::vector<QueryParam> query{};
  unsigned success_status = 200;
  nlohmann::json response_schema{};  ///< JSON Schema of a success body; null: no body
  std::string content_type = "application/json";
  RouteHandler handler{};
};

struct RouteMatch {
  const RouteSpec* route = nullptr;  ///< nullptr: see method_mismatch
  std::map<std::string, std::string> path;
  bool method_mismatch = false;  ///< the path exists with other methods (405)
};

class Router {
 public:
  void add(RouteSpec spec) { routes_.push_back(std::move(spec)); }
  RouteMatch match(boost::beast::http::verb method, std::string_view path) const;
  const std::vector<RouteSpec>& routes() const { return routes_; }

 private:
  std::vector<RouteSpec> routes_;
};

/// Splits "a=1&b=x%20y" into decoded pairs; nullopt on a malformed escape.
std::optional<std::map<std::string, std::string>> parse_query(std::string_view query);
/// Unknown names and values of the wrong type are errors.
std::optional<ValidationError> validate_query(const std::vector<QueryParam>& spec,
                                              const std::map<std::string, std::string>& query);

}  // namespace switchboard::api
