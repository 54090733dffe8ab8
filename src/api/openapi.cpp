#include "api/openapi.hpp"

namespace switchboard::api {

nlohmann::json error_schema() {
  return {{"type", "object"},
          {"required", {"error", "message", "details"}},
          {"properties",
           {{"error", {{"type", "string"}}},
            {"message", {{"type", "string"}}},
            {"details", {{"type", "object"}}}}}};
}

namespace {

nlohmann::json error_response(const char* what) {
  return {
      {"description", what},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

nlohmann::json operation(const RouteSpec& r) {
  nlohmann::json op = {
      {"summary", r.summary},
      {"operationId", std::string(boost::beast::http::to_string(r.method)) + " " + r.path},
      {"tags", {r.tag}},
      {"x-permission", to_string(r.permission)}};
  nlohmann::json params = nlohmann::json::array();
  // Path parameters, in the order of the template.
  for (size_t i = r.path.find('{'); i != std::string::npos; i = r.path.find('{', i + 1)) {
    const size_t j = r.path.find('}', i);
    params.push_back({{"name", r.path.substr(i + 1, j - i - 1)},
                      {"in", "path"},
                      {"required", true},
                      {"schema", {{"type", "string"}}}});
  }
  for (const auto& q : r.query) {
    params.push_back({{"name", q.name},
                      {"in", "query"},
                      {"required", false},
                      {"description", q.description},
                      {"schema", {{"type", to_string(q.type)}}}});
  }
  if (!params.empty()) op["parameters"] = params;
  if (r.body) {
    op["requestBody"] = {
        {"required", true},
        {"content", {{"application/json", {{"schema", to_json_schema(*r.body)}}}}}};
  }
  nlohmann::json ok = {{"description", "success"}};
  if (!r.response_schema.is_null()) {
    ok["content"] = {{r.content_type, {{"schema", r.response_schema}}}};
  }
  nlohmann::json responses = {{std::to_string(r.success_status), ok}};
  responses["400"] = error_response("malformed request, unknown field or wrong type");
  if (r.permission != Permission::kPublic) {
    responses["401"] = error_response("no or bad credentials");
    responses["403"] = error_response("the role may not do this");
    op["security"] = {{{"bearer", nlohmann::json::array()}}, {{"cookie", nlohmann::json::array()}}};
  } else {
    op["security"] = nlohmann::json::array();
  }
  responses["default"] = error_response("error");
  op["responses"] = responses;
  return op;
}

}  // namespace

nlohmann::json openapi_document(const Router& router, const OpenApiInfo& info) {
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& r : router.routes()) {
    std::string method(boost::beast::http::to_string(r.method));
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[r.path][method] = operation(r);
  }
  return {{"openapi", "3.0.3"},
          {"info", {{"title", info.title}, {"version", info.version}}},
          {"paths", paths},
          {"components",
           {{"schemas", {{"Error", error_schema()}}},
            {"securitySchemes",
             {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
              {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "sb_session"}}}}}}}};
}

}  // namespace switchboard::api
