// The OpenAPI document of the real route table (ApiService with a store and
// executors, never started): every route in it exactly once, with its
// permission, parameters and schemas; nothing else.
#include "api/openapi.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <set>

#include "api/api_service.hpp"
#include "core/events/event_bus.hpp"
#include "no_core.hpp"
#include "store/migrations.hpp"

namespace switchboard::api {
namespace {

using fakes::NoCore;

TEST(OpenApi, DocumentsEveryRouteOfTheTableAndNothingElse) {
  const auto path = std::filesystem::temp_directory_path() / "sb_api_openapi_test.db";
  std::filesystem::remove(path);
  store::DatabaseOptions o;
  o.path = path.string();
  auto db = store::open_database(o);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(store::migrate(**db).ok());
  boost::asio::io_context core, workers;
  NoCore nc;
  core::EventBus bus;
  ApiOptions opts;
  opts.http.port = 0;
  ApiService api(opts, **db, core.get_executor(), workers.get_executor(), nc, bus);

  auto doc = openapi_document(api.router(), {"t", "1"});
  std::set<std::pair<std::string, std::string>> routes, documented;
  for (const auto& r : api.router().routes()) {
    std::string m(boost::beast::http::to_string(r.method));
    for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(routes.insert({m, r.path}).second) << "duplicate route " << m << " " << r.path;
    const auto& op = doc["paths"][r.path][m];
    EXPECT_EQ(op["x-permission"], to_string(r.permission));
    EXPECT_TRUE(op["responses"].contains(std::to_string(r.success_status))) << r.path;
    EXPECT_EQ(op.contains("requestBody"), r.body.has_value()) << r.path;
    if (r.permission != Permission::kPublic) {
      EXPECT_TRUE(op["responses"].contains("401")) << r.path;
      EXPECT_TRUE(op["responses"].contains("403")) << r.path;
    }
  }
  for (const auto& [p, ops] : doc["paths"].items()) {
    for (const auto& [m, op] : ops.items()) documented.insert({m, p});
  }
  EXPECT_EQ(routes, documented);
  EXPECT_GE(routes.size(), 20u);
  // Path parameters are declared.
  const auto& get_ext = doc["paths"]["/api/v1/extensions/{number}"]["get"];
  EXPECT_EQ(get_ext["parameters"][0]["name"], "number");
  EXPECT_EQ(get_ext["parameters"][0]["in"], "path");
  // Recording on demand (issue 7 §5): start and stop, any role (users: own calls).
  for (const char* m : {"post", "delete"}) {
    const auto& op = doc["paths"]["/api/v1/calls/{call_id}/recording"][m];
    EXPECT_EQ(op["x-permission"], "calls:record") << m;
    EXPECT_EQ(op["parameters"][0]["name"], "call_id") << m;
  }
  // Blind transfer and park (issue 9): any role (users: own calls), a body
  // with `target` required for the transfer, `party` optional on both.
  for (const char* action : {"transfer", "park"}) {
    const auto& op = doc["paths"][std::string("/api/v1/calls/{call_id}/") + action]["post"];
    EXPECT_EQ(op["x-permission"], "calls:transfer") << action;
    EXPECT_TRUE(op["responses"].contains("202")) << action;
    const auto& body = op["requestBody"]["content"]["application/json"]["schema"];
    EXPECT_TRUE(body["properties"].contains("party")) << body.dump();
    EXPECT_EQ(body.value("additionalProperties", true), false) << body.dump();
  }
  const auto& transfer = doc["paths"]["/api/v1/calls/{call_id}/transfer"]["post"]["requestBody"]
                            ["content"]["application/json"]["schema"];
  EXPECT_EQ(transfer["required"], nlohmann::json::array({"target"}));
  // The CDR's transfer chain (issue 7 §7).
  const auto& cdr_item = doc["paths"]["/api/v1/cdr"]["get"]["responses"]["200"]["content"]
                            ["application/json"]["schema"]["properties"]["records"]["items"];
  EXPECT_EQ(cdr_item["properties"]["transfers"]["type"], "array") << cdr_item.dump();
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace switchboard::api
