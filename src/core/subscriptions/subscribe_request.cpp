#include "core/subscriptions/subscribe_request.hpp"

#include "sip/escape.hpp"
#include "sip/event_headers.hpp"
#include "sip/message_headers.hpp"
#include "sip/uri.hpp"

namespace switchboard::core {

std::variant<SubscribeRequest, Refusal> parse_subscribe(const sip::Message& request) {
  SubscribeRequest out;
  if (!request.value(sip::HeaderId::kEvent)) {
    return Refusal{400, "Missing Event Header", {}};
  }
  auto event = sip::get_event(request);
  if (!event.ok()) return Refusal{400, "Bad Event Header", {}};
  out.package = std::string(event->package);
  if (auto id = event->id()) out.event_id = std::string(*id);

  if (request.value(sip::HeaderId::kExpires)) {
    auto e = sip::get_expires(request);
    if (!e.ok()) return Refusal{400, "Bad Expires Header", {}};
    out.expires = *e;
  }

  auto uri = sip::parse_uri(request.request_uri());
  if (!uri.ok()) return Refusal{400, "Bad Request-URI", {}};
  if (!uri->is_sip()) return Refusal{416, "Unsupported URI Scheme", {}};
  if (uri->user.empty()) return Refusal{404, "Not Found", {}};
  out.resource = sip::unescape(uri->user);
  return out;
}

std::variant<std::uint32_t, Refusal> grant_expires(std::optional<std::uint32_t> requested,
                                                   const ExpiryBounds& bounds) {
  if (!requested) return std::min(bounds.default_, bounds.max);
  if (*requested == 0) return std::uint32_t{0};
  if (*requested < bounds.min) {
    return Refusal{423, "Interval Too Brief", {{"Min-Expires", std::to_string(bounds.min)}}};
  }
  return std::min(*requested, bounds.max);
}

std::optional<Refusal> check_accept(const sip::Message& request, std::string_view content_type) {
  if (request.count(sip::HeaderId::kAccept) == 0) return std::nullopt;
  const auto slash = content_type.find('/');
  const auto type = content_type.substr(0, slash);
  const auto subtype =
      slash == std::string_view::npos ? std::string_view() : content_type.substr(slash + 1);
  auto accept = sip::get_accept(request);
  if (accept.ok()) {
    for (const auto& range : *accept) {
      if (range.matches(type, subtype)) return std::nullopt;
    }
  }
  return Refusal{406, "Not Acceptable", {{"Accept", std::string(content_type)}}};
}

}  // namespace switchboard::core
