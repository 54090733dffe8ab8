#include "api/router.hpp"

#include <gtest/gtest.h>

#include "api/cors.hpp"
#include "api/json_schema.hpp"
#include "api/metrics.hpp"

namespace switchboard::api {
namespace {

namespace http = boost::beast::http;

RouteSpec route(http::verb m, std::string path) {
  RouteSpec r;
  r.method = m;
  r.path = std::move(path);
  return r;
}

TEST(Router, MatchesTemplatesAndTellsMethodMismatchFromMissing) {
  Router router;
  router.add(route(http::verb::get, "/api/v1/extensions"));
  router.add(route(http::verb::get, "/api/v1/extensions/{number}"));
  router.add(route(http::verb::delete_, "/api/v1/extensions/{number}"));
  auto m = router.match(http::verb::delete_, "/api/v1/extensions/1001");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, http::verb::delete_);
  EXPECT_EQ(m.path.at("number"), "1001");
  m = router.match(http::verb::post, "/api/v1/extensions/1001");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.method_mismatch);
  m = router.match(http::verb::get, "/api/v1/extensions/1001/extra");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.method_mismatch);
  EXPECT_EQ(router.match(http::verb::get, "/api/v1/extension").route, nullptr);
}

TEST(Router, QueryStringsDecodeAndValidate) {
  auto q = parse_query("from=2026-01-01T00%3A00%3A00Z&extension=1001&x=a+b");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->at("from"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(q->at("x"), "a b");
  EXPECT_FALSE(parse_query("a=%4"));
  EXPECT_FALSE(parse_query("a=%zz"));
  std::vector<QueryParam> spec = {{"limit", JsonType::kInteger, ""},
                                  {"extension", JsonType::kString, ""}};
  EXPECT_FALSE(validate_query(spec, {{"limit", "10"}, {"extension", "1001"}}));
  auto err = validate_query(spec, {{"limit", "10x"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(err->field, "limit");
  EXPECT_EQ(err->reason, "expected integer");
  err = validate_query(spec, {{"colour", "red"}});
  ASSERT_TRUE(err);
  EXPECT_EQ(err->reason, "unknown query parameter");
}

TEST(JsonSchema, RejectsUnknownFieldsWrongTypesMissingAndOutOfBounds) {
  ObjectSchema s{{
      {.name = "number",
       .type = JsonType::kString,
       .required = true,
       .pattern = "[0-9]{1,4}",
       .max_length = 4},
      {.name = "enabled", .type = JsonType::kBoolean},
      {.name = "count", .type = JsonType::kInteger, .minimum = 1, .maximum = 10},
  }};
  EXPECT_FALSE(validate(s, {{"number", "1001"}, {"enabled", true}, {"count", 3}}));
  auto why = [&](const nlohmann::json& body) {
    auto e = validate(s, body);
    return e ? e->field + ": " + e->reason : std::string("ok");
  };
  EXPECT_EQ(why({{"number", "1001"}, {"x", 1}}), "x: unknown field");
  EXPECT_EQ(why({{"number", 1001}}), "number: expected string");
  EXPECT_EQ(why({{"enabled", true}}), "number: required");
  EXPECT_EQ(why({{"number", "12a"}}), "number: does not match [0-9]{1,4}");
  EXPECT_EQ(why({{"number", "12345"}}), "number: longer than 4 characters");
  EXPECT_EQ(why({{"number", "1"}, {"enabled", 1}}), "enabled: expected boolean");
  EXPECT_EQ(why({{"number", "1"}, {"count", 11}}), "count: out of range [1, 10]");
  EXPECT_EQ(why({{"number", "1"}, {"count", 1.5}}), "count: expected integer");
  EXPECT_EQ(why(nlohmann::json::array()), ": expected a JSON object");
  auto js = to_json_schema(s);
  EXPECT_EQ(js["additionalProperties"], false);
  EXPECT_EQ(js["required"], nlohmann::json::array({"number"}));
  EXPECT_EQ(js["properties"]["count"]["maximum"], 10);
}

TEST(Cors, OnlyListedOriginsAndOnlyWhenEnabled) {
  Request pre{http::verb::options, "/api/v1/status", 11};
  pre.set(http::field::origin, "https://ok.example");
  pre.set(http::field::access_control_request_method, "GET");
  CorsPolicy on(true, {"https://ok.example"});
  auto res = on.preflight(pre);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 204u);
  EXPECT_EQ(res->at(http::field::access_control_allow_origin), "https://ok.example");
  pre.set(http::field::origin, "https://evil.example");
  EXPECT_EQ(on.preflight(pre)->result_int(), 403u);
  CorsPolicy off(false, {"https://ok.example"});
  EXPECT_FALSE(off.allows("https://ok.example"));
  Response r = text_response(200, "", "text/plain");
  off.decorate("https://ok.example", r);
  EXPECT_EQ(r.find(http::field::access_control_allow_origin), r.end());
  on.decorate("https://ok.example", r);
  EXPECT_EQ(r.at(http::field::access_control_allow_origin), "https://ok.example");
  Request get{http::verb::get, "/", 11};
  EXPECT_FALSE(on.preflight(get));  // not a preflight
}

TEST(Metrics, PrometheusTextGroupsHelpAndTypeOncePerName) {
  std::vector<MetricSample> s = {
      {"calls_total", MetricKind::kCounter, "Calls.", 3, {{"disposition", "answered"}}},
      {"calls_total", MetricKind::kCounter, "Calls.", 1, {{"disposition", "a\"b"}}},
      {"active", MetricKind::kGauge, "Active.", 2, {}},
  };
  EXPECT_EQ(to_prometheus(s),
            "# HELP calls_total Calls.\n# TYPE calls_total counter\n"
            "calls_total{disposition=\"answered\"} 3\n"
            "calls_total{disposition=\"a\\\"b\"} 1\n"
            "# HELP active Active.\n# TYPE active gauge\nactive 2\n");
  auto p = process_metrics();
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[1].name, "process_resident_memory_bytes");
  EXPECT_GT(p[1].value, 1e6);
}

}  // namespace
}  // namespace switchboard::api
