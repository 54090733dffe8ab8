// Call recording on demand (issue 7 §5, issue 9 §2): POST starts recording
// an answered call into a new file, DELETE stops it. Operators and admins
// may record any call, a user only a call of their own extension (any other
// is "not found" for them). The B2BUA does the work on the core thread.
#include "api/api_service.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

void ApiService::add_recording_routes() {
  router_.add({
      .method = http::verb::post,
      .path = "/api/v1/calls/{call_id}/recording",
      .permission = Permission::kCallsRecord,
      .summary = "Start recording an answered call (both parties, one WAV); "
                 "409 when it is not answered or already recorded",
      .tag = "calls",
      .success_status = 201,
      .response_schema = {{"type", "object"},
                          {"required", {"recording"}},
                          {"properties",
                           {{"recording",
                             {{"type", "string"},
                              {"description", "The file, relative to recording.storage_path"}}}}}},
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_core(
                [this, id = r.path.at("call_id"), scope = r.principal.scope()] {
                  auto ref = core_access_.start_recording(id, scope);
                  if (!ref.ok()) return core_error(ref.error(), 500, "recording_failed");
                  return json_response(201, nlohmann::json{{"recording", *ref}});
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::delete_,
      .path = "/api/v1/calls/{call_id}/recording",
      .permission = Permission::kCallsRecord,
      .summary = "Stop recording a call (the file is completed); 409 when it is not recorded",
      .tag = "calls",
      .success_status = 204,
      .response_schema = nullptr,
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_core(
                [this, id = r.path.at("call_id"), scope = r.principal.scope()] {
                  if (auto st = core_access_.stop_recording(id, scope); !st.ok()) {
                    return core_error(st.error(), 500, "recording_failed");
                  }
                  return text_response(204, "", "text/plain");
                },
                std::move(reply));
          },
  });
}

}  // namespace switchboard::api
