// Attended transfer and three-way calling from the API (issue 9 §2; the
// B2BUA's consultation, docs/CALL_CODES.md): start a consultation, then
// complete, cancel or merge it into a three-way conference. Same permission
// and scoping as the blind transfer.
#include <array>

#include "api/api_service.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

void ApiService::add_consult_routes() {
  ObjectSchema consult{{
      dialed_target("Who is consulted, dialed as the consulting party would dial it"),
      {.name = "party",
       .pattern = "caller|callee",
       .max_length = 6,
       .description = "The party that waits on hold (default: caller); the other one consults"},
  }};
  router_.add({
      .method = http::verb::post,
      .path = "/api/v1/calls/{call_id}/consult",
      .permission = Permission::kCallsTransfer,
      .summary = "Attended transfer: `party` hears music on hold while the other party's phone "
                 "is moved into a consultation call that rings `target`; then complete, cancel "
                 "or merge (three-way). The consultation appears in GET /api/v1/calls",
      .tag = "calls",
      .body = consult,
      .success_status = 202,
      .response_schema = nullptr,
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_core(
                [this, id = r.path.at("call_id"), party = r.body.value("party", "caller"),
                 target = r.body["target"].get<std::string>(), scope = r.principal.scope()] {
                  if (auto st = core_access_.consultation(id, "start", party, target, scope);
                      !st.ok()) {
                    return core_error(st.error(), 400, "invalid");
                  }
                  return text_response(202, "", "text/plain");
                },
                std::move(reply));
          },
  });
  struct Step {
    const char* action;
    const char* summary;
  };
  const std::array<Step, 3> steps{{
      {"complete",
       "Complete the attended transfer: the consulting party is released and the target takes "
       "its place (call.transferred); `call_id` is the held call or the consultation"},
      {"cancel", "End the consultation: the consulting party goes back to the held party"},
      {"merge",
       "Three-way calling: the held party, the consulting party and the target into one ad-hoc "
       "conference room (once the target answers)"},
  }};
  for (const auto& step : steps) {
    router_.add({
        .method = http::verb::post,
        .path = std::string("/api/v1/calls/{call_id}/consult/") + step.action,
        .permission = Permission::kCallsTransfer,
        .summary = step.summary,
        .tag = "calls",
        .success_status = 202,
        .response_schema = nullptr,
        .handler =
            [this, action = std::string(step.action)](ApiRequest r, Reply reply) {
              on_core(
                  [this, action, id = r.path.at("call_id"), scope = r.principal.scope()] {
                    if (auto st = core_access_.consultation(id, action, "", "", scope); !st.ok()) {
                      return core_error(st.error(), 400, "invalid");
                    }
                    return text_response(202, "", "text/plain");
                  },
                  std::move(reply));
            },
    });
  }
}

}  // namespace switchboard::api
