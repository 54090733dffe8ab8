#include "sip/screen.hpp"

#include <algorithm>

#include "sip/builder.hpp"
#include "sip/grammar.hpp"

namespace switchboard::sip {
namespace {

Screened drop(std::string reason) {
  Screened s;
  s.action = Screened::Action::kDrop;
  s.reason = std::move(reason);
  return s;
}

// The 400 (or 513) for a request the strict parser refused. The lenient
// parse recovers the header section; without the headers a response is
// matched on, sending one would only add noise, so then nothing is sent.
Screened answer_unparseable(std::string bytes, const Error& error, const ParseLimits& limits) {
  const bool too_large = bytes.size() > limits.max_message_size;
  ParseLimits relaxed = limits;
  relaxed.max_message_size = bytes.size();
  Result<Message> m = parse_message_leniently(std::move(bytes), relaxed);
  if (!m.ok() || m->is_response()) return drop(error.message);
  if (m->method_id() == Method::kAck) return drop(error.message);
  for (HeaderId id :
       {HeaderId::kVia, HeaderId::kFrom, HeaderId::kTo, HeaderId::kCallId, HeaderId::kCSeq}) {
    if (m->count(id) == 0) return drop(error.message);
  }
  Screened s;
  s.action = Screened::Action::kRespond;
  s.reason = error.message;
  s.response = make_response(*m, too_large ? 513 : 400, error.message);
  s.response->set_body({});
  return s;
}

}  // namespace

Screened screen_message(std::string bytes, const ValidationPolicy& policy,
                        const ParseLimits& limits, Framing framing) {
  // Responses are recognisable from their first octets even when they do
  // not parse; they are never answered.
  const std::size_t start = std::min(bytes.find_first_not_of("\r\n"), bytes.size());
  const std::string_view head = std::string_view(bytes).substr(start, 4);
  const bool looks_like_response = grammar::iequals(head, "SIP/");

  Result<Message> parsed = try_parse_message(bytes, limits, framing);
  if (!parsed.ok()) {
    if (looks_like_response) return drop(parsed.error().message);
    return answer_unparseable(std::move(bytes), parsed.error(), limits);
  }

  Screened s;
  if (parsed->is_response()) {
    if (auto why = validate_response(*parsed, policy)) return drop(std::move(*why));
    s.action = Screened::Action::kProcess;
    s.message = std::move(*parsed);
    return s;
  }
  if (auto rejection = validate_request(*parsed, policy)) {
    s.reason = rejection->reason;
    if (!rejection->respond) return drop(std::move(s.reason));
    s.action = Screened::Action::kRespond;
    s.response = make_rejection_response(*parsed, *rejection);
    s.message = std::move(*parsed);
    return s;
  }
  s.action = Screened::Action::kProcess;
  s.message = std::move(*parsed);
  return s;
}

}  // namespace switchboard::sip
