#include "sip/transaction/transaction_key.hpp"

#include <fmt/format.h>

#include "sip/cseq.hpp"
#include "sip/grammar.hpp"
#include "sip/name_addr.hpp"
#include "sip/via.hpp"

namespace switchboard::sip {

using namespace grammar;  // trim, iequals, for_each_comma_item …
namespace {

std::string_view tag_of(std::optional<std::string_view> header) {
  if (!header) return {};
  auto na = parse_name_addr(*header);
  return na.ok() ? na->tag().value_or("") : std::string_view();
}

}  // namespace

std::optional<std::string_view> top_via_value(const Message& m) {
  auto v = m.value(HeaderId::kVia);
  if (!v) return std::nullopt;
  std::optional<std::string_view> first;
  for_each_comma_item(*v, [&](std::string_view item) {
    first = trim(item);
    return false;  // stop after the first
  });
  return first;
}

std::optional<std::string> server_key(const Message& req) {
  auto via_text = top_via_value(req);
  auto cseq_text = req.value(HeaderId::kCSeq);
  if (!via_text || !cseq_text) return std::nullopt;
  auto via = parse_via(*via_text);
  auto cseq = parse_cseq(*cseq_text);
  if (!via.ok() || !cseq.ok()) return std::nullopt;
  std::string method(req.method());
  if (method == "ACK") method = "INVITE";
  if (via->is_rfc3261_branch()) {
    return fmt::format("3261|{}|{}:{}|{}", *via->branch(), to_lower_copy(via->host),
                       via->port.value_or(0), method);
  }
  auto call_id = req.value(HeaderId::kCallId);
  if (!call_id) return std::nullopt;
  return fmt::format("2543|{}|{}|{}|{}|{}|{}", req.request_uri(),
                     tag_of(req.value(HeaderId::kFrom)), trim(*call_id),
                     cseq->number, *via_text, method);
}

std::optional<std::string> client_key(const Message& resp) {
  auto via_text = top_via_value(resp);
  auto cseq_text = resp.value(HeaderId::kCSeq);
  if (!via_text || !cseq_text) return std::nullopt;
  auto via = parse_via(*via_text);
  auto cseq = parse_cseq(*cseq_text);
  if (!via.ok() || !cseq.ok() || !via->branch()) return std::nullopt;
  return client_key_for(*via->branch(), cseq->method);
}

std::string client_key_for(std::string_view branch, std::string_view method) {
  return fmt::format("{}|{}", branch, method == "ACK" ? std::string_view("INVITE") : method);
}

}  // namespace switchboard::sip
