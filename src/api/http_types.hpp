// The HTTP vocabulary shared by the server, the router and the handlers.
#pragma once

#include <boost/beast/http.hpp>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace switchboard::api {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
/// Sends the response; may be called from any thread, exactly once.
using Reply = std::function<void(Response)>;

/// What the server knows about a request besides its bytes.
struct RequestInfo {
  std::string remote_ip;
  bool tls = false;
};

/// Boost 1.74's beast::string_view is boost::string_view: these cross over.
inline std::string_view sv(boost::beast::string_view s) {
  return {s.data(), s.size()};
}
inline boost::beast::string_view bsv(std::string_view s) {
  return {s.data(), s.size()};
}

/// A JSON response with the right headers.
Response json_response(unsigned status, std::string body, unsigned version = 11,
                       bool keep_alive = true);
Response json_response(unsigned status, const nlohmann::json& body);
/// `{"error": code, "message": message, "details": details}` with the status.
Response json_error(unsigned status, std::string_view code, std::string_view message);
/// The core's refusal of a call action as HTTP: kNotFound 404, kFailedPrecondition
/// 409, kUnavailable 503, anything else `other_status` / `other_code`.
Response core_error(const Error& e, unsigned other_status, std::string_view other_code);
Response json_error(unsigned status, std::string_view code, std::string_view message,
                    const nlohmann::json& details);
/// A response with any content type (CSV, Prometheus text).
Response text_response(unsigned status, std::string body, std::string_view content_type);

}  // namespace switchboard::api
