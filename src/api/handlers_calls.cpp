// Call control beyond hang-up (issue 9 §2): click-to-dial (originate),
// hold/resume, blind transfer and park. The B2BUA does the work on the core
// thread; a user may only originate from their own extension, and transfer
// or park only calls of their own extension (any other is "not found").
#include "api/api_service.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

void ApiService::add_call_control_routes() {
  ObjectSchema originate{{
      {.name = "from",
       .required = true,
       .pattern = "[0-9]{1,15}",
       .max_length = 15,
       .description = "The extension whose phones ring first"},
      {.name = "to",
       .required = true,
       .pattern = "[0-9*#+]{1,32}",
       .max_length = 32,
       .description = "What that extension dials once it answers (dialplan and permissions apply)"},
  }};
  router_.add({
      .method = http::verb::post,
      .path = "/api/v1/calls",
      .permission = Permission::kCallsOriginate,
      .summary = "Click-to-dial: ring `from`, then connect it to `to`",
      .tag = "calls",
      .body = originate,
      .success_status = 201,
      .response_schema = {{"type", "object"},
                          {"required", {"call_id"}},
                          {"properties", {{"call_id", {{"type", "string"}}}}}},
      .handler =
          [this](ApiRequest r, Reply reply) {
            const std::string from = r.body["from"];
            const std::string to = r.body["to"];
            if (auto scope = r.principal.scope(); scope && *scope != from) {
              return reply(
                  json_error(403, "forbidden", "users originate from their own extension"));
            }
            on_core(
                [this, from, to] {
                  auto id = core_access_.originate(from, to);
                  if (!id.ok()) return core_error(id.error(), 400, "invalid");
                  return json_response(201, nlohmann::json{{"call_id", *id}});
                },
                std::move(reply));
          },
  });
  ObjectSchema hold{{
      {.name = "party",
       .pattern = "caller|callee",
       .max_length = 6,
       .description = "Who hears music on hold (default: callee)"},
  }};
  router_.add({
      .method = http::verb::post,
      .path = "/api/v1/calls/{call_id}/hold",
      .permission = Permission::kCallsControl,
      .summary = "Put one party of an answered call on music on hold",
      .tag = "calls",
      .body = hold,
      .success_status = 204,
      .response_schema = nullptr,
      .handler =
          [this](ApiRequest r, Reply reply) {
            const std::string party = r.body.value("party", "callee");
            on_core(
                [this, id = r.path.at("call_id"), party] {
                  if (auto st = core_access_.hold(id, party); !st.ok())
                    return core_error(st.error(), 400, "invalid");
                  return text_response(204, "", "text/plain");
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::post,
      .path = "/api/v1/calls/{call_id}/resume",
      .permission = Permission::kCallsControl,
      .summary = "Take a call off hold",
      .tag = "calls",
      .success_status = 204,
      .response_schema = nullptr,
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_core(
                [this, id = r.path.at("call_id")] {
                  if (auto st = core_access_.resume(id); !st.ok())
                    return core_error(st.error(), 400, "invalid");
                  return text_response(204, "", "text/plain");
                },
                std::move(reply));
          },
  });
}

FieldSpec ApiService::dialed_target(std::string description) {
  return {.name = "target",
          .required = true,
          .pattern = "[0-9*#+]{1,32}",
          .max_length = 32,
          .description = std::move(description)};
}

void ApiService::add_transfer_routes() {
  const FieldSpec party{
      .name = "party",
      .pattern = "caller|callee",
      .max_length = 6,
      .description = "The party that is moved (default: caller); the other one is released"};
  ObjectSchema transfer{{
      dialed_target("Where `party` goes, dialed as the other party would dial it"),
      party,
  }};
  router_.add({
      .method = http::verb::post,
      .path = "/api/v1/calls/{call_id}/transfer",
      .permission = Permission::kCallsTransfer,
      .summary = "Blind transfer: `party` hears ringback while `target` rings and stays; the "
                 "other party is released when it answers (call.transferred), a target that "
                 "fails returns the call as it was",
      .tag = "calls",
      .body = transfer,
      .success_status = 202,
      .response_schema = nullptr,
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_core(
                [this, id = r.path.at("call_id"), party = r.body.value("party", "caller"),
                 target = r.body["target"].get<std::string>(), scope = r.principal.scope()] {
                  if (auto st = core_access_.transfer(id, party, target, scope); !st.ok()) {
                    return core_error(st.error(), 400, "invalid");
                  }
                  return text_response(202, "", "text/plain");
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::post,
      .path = "/api/v1/calls/{call_id}/park",
      .permission = Permission::kCallsTransfer,
      .summary = "Park `party` (a blind transfer to the park extension); the slot follows in "
                 "call.parked and GET /api/v1/parked",
      .tag = "calls",
      .body = ObjectSchema{{party}},
      .success_status = 202,
      .response_schema = {{"type", "object"},
                          {"required", {"park_extension"}},
                          {"properties", {{"park_extension", {{"type", "string"}}}}}},
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_core(
                [this, id = r.path.at("call_id"), party = r.body.value("party", "caller"),
                 scope = r.principal.scope()] {
                  auto ext = core_access_.park(id, party, scope);
                  if (!ext.ok()) return core_error(ext.error(), 400, "invalid");
                  return json_response(202, nlohmann::json{{"park_extension", *ext}});
                },
                std::move(reply));
          },
  });
}

}  // namespace switchboard::api
