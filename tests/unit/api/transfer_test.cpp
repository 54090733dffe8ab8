// POST /api/v1/calls/{id}/transfer, /park and /consult[/complete|cancel|
// merge] (issue 9) through the real
// route table with a fake core: the body's validation, the defaults, the
// user's scope handed to the core, and the core's errors as HTTP statuses.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>

#include "api/api_service.hpp"
#include "core/events/event_bus.hpp"
#include "no_core.hpp"
#include "store/migrations.hpp"

namespace switchboard::api {
namespace {

namespace http = boost::beast::http;

/// Records what the API asked; answers with `status`.
class TransferCore : public fakes::NoCore {
 public:
  Status transfer(const std::string& call_id, const std::string& party, const std::string& target,
                  const std::optional<std::string>& extension) override {
    asked.push_back({"transfer", call_id, party, target, extension});
    return result;
  }
  Result<std::string> park(const std::string& call_id, const std::string& party,
                           const std::optional<std::string>& extension) override {
    asked.push_back({"park", call_id, party, "", extension});
    if (!result.ok()) return result.error();
    return std::string("70");
  }
  Status consultation(const std::string& call_id, const std::string& action,
                      const std::string& party, const std::string& target,
                      const std::optional<std::string>& extension) override {
    asked.push_back({"consult " + action, call_id, party, target, extension});
    return result;
  }

  struct Asked {
    std::string what, call_id, party, target;
    std::optional<std::string> extension;
  };
  std::vector<Asked> asked;
  Status result;
};

class TransferRoutes : public testing::Test {
 protected:
  void SetUp() override {
    // One file per process: ctest runs this fixture's tests in parallel.
    path_ = std::filesystem::temp_directory_path() /
            ("sb_api_transfer_test_" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    store::DatabaseOptions o;
    o.path = path_.string();
    auto db = store::open_database(o);
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(store::migrate(*db_).ok());
    ApiOptions opts;
    opts.http.port = 0;
    api_ = std::make_unique<ApiService>(opts, *db_, core_.get_executor(), workers_.get_executor(),
                                        fake_, bus_);
  }
  void TearDown() override {
    api_.reset();
    db_.reset();
    std::filesystem::remove(path_);
  }

  const RouteSpec& route(const char* action) {
    const std::string p = std::string("/api/v1/calls/{call_id}/") + action;
    for (const auto& r : api_->router().routes()) {
      if (r.method == http::verb::post && r.path == p) return r;
    }
    ADD_FAILURE() << "no route " << p;
    return api_->router().routes().front();
  }

  /// Validates `body` as the dispatcher does, then runs the handler.
  Response post(const char* action, const nlohmann::json& body, Principal who) {
    const RouteSpec& r = route(action);
    if (!r.body && !body.empty()) return json_error(400, "no_body_expected", action);
    if (r.body) {
      if (auto err = validate(*r.body, body)) {
        return json_error(400, "validation_failed", err->field);
      }
    }
    ApiRequest req;
    req.principal = std::move(who);
    req.path = {{"call_id", "c1"}};
    req.body = body;
    Response out;
    r.handler(std::move(req), [&](Response res) { out = std::move(res); });
    core_.restart();
    core_.run();
    return out;
  }

  static Principal op() { return {"token:op", Role::kOperator, std::nullopt}; }
  static Principal user(const char* ext) { return {"token:u", Role::kUser, ext}; }

  std::filesystem::path path_;
  std::unique_ptr<store::Database> db_;
  boost::asio::io_context core_, workers_;
  TransferCore fake_;
  core::EventBus bus_;
  std::unique_ptr<ApiService> api_;
};

TEST_F(TransferRoutes, TransferNeedsATargetAndRefusesWhatItDoesNotKnow) {
  for (const auto& body :
       {nlohmann::json::object(), nlohmann::json{{"target", 1003}},
        nlohmann::json{{"target", "x1003"}}, nlohmann::json{{"target", "1003"}, {"party", "both"}},
        nlohmann::json{{"target", "1003"}, {"extra", true}}}) {
    EXPECT_EQ(post("transfer", body, op()).result_int(), 400u) << body.dump();
  }
  EXPECT_TRUE(fake_.asked.empty());
  EXPECT_EQ(post("park", {{"party", "nobody"}}, op()).result_int(), 400u);
  EXPECT_EQ(post("park", {{"target", "70"}}, op()).result_int(), 400u);
  EXPECT_TRUE(fake_.asked.empty());
}

TEST_F(TransferRoutes, TheCallerIsMovedByDefaultAndAUserIsConfinedToTheirExtension) {
  EXPECT_EQ(post("transfer", {{"target", "1003"}}, op()).result_int(), 202u);
  EXPECT_EQ(post("transfer", {{"target", "1004"}, {"party", "callee"}}, user("1002")).result_int(),
            202u);
  auto parked = post("park", nlohmann::json::object(), user("1001"));
  EXPECT_EQ(parked.result_int(), 202u);
  EXPECT_EQ(nlohmann::json::parse(parked.body()), (nlohmann::json{{"park_extension", "70"}}));
  ASSERT_EQ(fake_.asked.size(), 3u);
  EXPECT_EQ(fake_.asked[0].party, "caller");
  EXPECT_EQ(fake_.asked[0].target, "1003");
  EXPECT_EQ(fake_.asked[0].extension, std::nullopt);  // an operator: any call
  EXPECT_EQ(fake_.asked[1].party, "callee");
  EXPECT_EQ(fake_.asked[1].extension, std::optional<std::string>("1002"));
  EXPECT_EQ(fake_.asked[2].what, "park");
  EXPECT_EQ(fake_.asked[2].party, "caller");
  EXPECT_EQ(fake_.asked[2].call_id, "c1");
  EXPECT_EQ(fake_.asked[2].extension, std::optional<std::string>("1001"));
}

TEST_F(TransferRoutes, TheCoresRefusalsAreStatuses) {
  const std::pair<ErrorCode, unsigned> cases[] = {{ErrorCode::kNotFound, 404},
                                                  {ErrorCode::kFailedPrecondition, 409},
                                                  {ErrorCode::kUnavailable, 503}};
  for (auto [code, status] : cases) {
    fake_.result = make_error(code, "no");
    for (const char* action : {"transfer", "park"}) {
      const bool transfer = std::string(action) == "transfer";
      auto res = post(
          action, transfer ? nlohmann::json{{"target", "1003"}} : nlohmann::json::object(), op());
      EXPECT_EQ(res.result_int(), status) << action;
      auto j = nlohmann::json::parse(res.body());
      EXPECT_TRUE(j.contains("error") && j.contains("message") && j.contains("details")) << j;
    }
  }
}

TEST_F(TransferRoutes, AttendedTransferStartsAConsultationThenCompletesCancelsOrMerges) {
  EXPECT_EQ(post("consult", nlohmann::json::object(), op()).result_int(), 400u);  // no target
  EXPECT_EQ(post("consult", {{"target", "1003"}, {"party", "x"}}, op()).result_int(), 400u);
  EXPECT_TRUE(fake_.asked.empty());
  EXPECT_EQ(post("consult", {{"target", "1003"}}, op()).result_int(), 202u);
  EXPECT_EQ(post("consult", {{"target", "1004"}, {"party", "callee"}}, user("1002")).result_int(),
            202u);
  for (const char* step : {"consult/complete", "consult/cancel", "consult/merge"}) {
    EXPECT_EQ(post(step, nlohmann::json::object(), user("1001")).result_int(), 202u) << step;
  }
  ASSERT_EQ(fake_.asked.size(), 5u);
  EXPECT_EQ(fake_.asked[0].what, "consult start");
  EXPECT_EQ(fake_.asked[0].party, "caller");  // the caller waits by default
  EXPECT_EQ(fake_.asked[0].target, "1003");
  EXPECT_EQ(fake_.asked[1].party, "callee");
  EXPECT_EQ(fake_.asked[1].extension, std::optional<std::string>("1002"));
  EXPECT_EQ(fake_.asked[2].what, "consult complete");
  EXPECT_EQ(fake_.asked[3].what, "consult cancel");
  EXPECT_EQ(fake_.asked[4].what, "consult merge");
  EXPECT_EQ(fake_.asked[4].extension, std::optional<std::string>("1001"));
  fake_.result = make_error(ErrorCode::kNotFound, "no consultation c1");
  EXPECT_EQ(post("consult/cancel", nlohmann::json::object(), op()).result_int(), 404u);
}

}  // namespace
}  // namespace switchboard::api
