// Queues and parked calls (read). Queues come from the running
// configuration (number, name, strategy, agents); each agent carries its
// registration and presence. Parked calls come from the parking feature's
// ParkedCallsView once the application hands one over; without it the list
// is empty. A user sees the queues they answer and the parked calls that
// concern their extension.
#include <algorithm>

#include "api/api_service.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

void ApiService::add_queue_routes() {
  const nlohmann::json agent_schema = {{"type", "object"},
                                       {"required", {"extension", "registered", "presence"}},
                                       {"properties",
                                        {{"extension", {{"type", "string"}}},
                                         {"registered", {{"type", "boolean"}}},
                                         {"presence", {{"type", "string"}}}}}};
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/queues",
      .permission = Permission::kQueuesRead,
      .summary = "Configured queues with their agents' registration and presence (a user: the "
                 "queues they answer)",
      .tag = "queues",
      .response_schema =
          {{"type", "object"},
           {"required", {"queues"}},
           {"properties",
            {{"queues",
              {{"type", "array"},
               {"items",
                {{"type", "object"},
                 {"required",
                  {"number", "name", "strategy", "max_wait_time", "agents", "agents_available"}},
                 {"properties",
                  {{"number", {{"type", "string"}}},
                   {"name", {{"type", "string"}}},
                   {"strategy", {{"type", "string"}}},
                   {"max_wait_time", {{"type", "integer"}}},
                   {"agents", {{"type", "array"}, {"items", agent_schema}}},
                   {"agents_available", {{"type", "integer"}}}}}}}}}}}},
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_core(
                [this, scope = r.principal.scope()] {
                  const nlohmann::json cfg = core_access_.config();
                  nlohmann::json out = nlohmann::json::array();
                  for (const auto& q : cfg.value("queues", nlohmann::json::array())) {
                    const auto agents = q.value("agents", std::vector<std::string>{});
                    if (scope && std::find(agents.begin(), agents.end(), *scope) == agents.end()) {
                      continue;
                    }
                    nlohmann::json list = nlohmann::json::array();
                    int available = 0;
                    for (const auto& a : agents) {
                      const auto v = presence_.view(a, live_state(a));
                      if (v.state == PresenceState::kAvailable) ++available;
                      list.push_back({{"extension", a},
                                      {"registered", v.live.registered},
                                      {"presence", to_string(v.state)}});
                    }
                    out.push_back({{"number", q.value("number", "")},
                                   {"name", q.value("name", "")},
                                   {"strategy", q.value("strategy", "")},
                                   {"max_wait_time", q.value("max_wait_time", 0)},
                                   {"agents", list},
                                   {"agents_available", available}});
                  }
                  return json_response(200, nlohmann::json{{"queues", out}});
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/parked",
      .permission = Permission::kCallsRead,
      .summary = "Parked calls by slot, and the configured slot range (a user: calls that "
                 "concern their extension)",
      .tag = "calls",
      .response_schema = {{"type", "object"},
                          {"required", {"parked", "slots"}},
                          {"properties",
                           {{"parked",
                             {{"type", "array"},
                              {"items",
                               {{"type", "object"},
                                {"required", {"slot", "call_id", "parked", "parked_by", "since"}},
                                {"properties",
                                 {{"slot", {{"type", "string"}}},
                                  {"call_id", {{"type", "string"}}},
                                  {"parked", {{"type", "string"}}},
                                  {"parked_by", {{"type", "string"}}},
                                  {"since", {{"type", "string"}}},
                                  {"timeout_at", {{"type", "string"}}}}}}}}},
                            {"slots",
                             {{"type", "object"},
                              {"required", {"first", "last"}},
                              {"properties",
                               {{"first", {{"type", "integer"}}},
                                {"last", {{"type", "integer"}}}}}}}}}},
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_core(
                [this, scope = r.principal.scope()] {
                  nlohmann::json out = nlohmann::json::array();
                  if (parked_) {
                    for (const auto& p : parked_->parked_calls()) {
                      if (scope && p.parked != *scope && p.parked_by != *scope) continue;
                      nlohmann::json j = {{"slot", p.slot},
                                          {"call_id", p.call_id},
                                          {"parked", p.parked},
                                          {"parked_by", p.parked_by},
                                          {"since", store::to_iso(p.since)}};
                      if (p.timeout_at) j["timeout_at"] = store::to_iso(*p.timeout_at);
                      out.push_back(std::move(j));
                    }
                  }
                  const nlohmann::json parking =
                      core_access_.config().value("parking", nlohmann::json::object());
                  return json_response(200,
                                       nlohmann::json{{"parked", out},
                                                      {"slots",
                                                       {{"first", parking.value("range_start", 0)},
                                                        {"last", parking.value("range_end", 0)}}}});
                },
                std::move(reply));
          },
  });
}

}  // namespace switchboard::api
