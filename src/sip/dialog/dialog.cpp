#include "sip/dialog/dialog.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sip/contact.hpp"
#include "sip/cseq.hpp"
#include "sip/grammar.hpp"
#include "sip/name_addr.hpp"

namespace switchboard::sip {

using namespace grammar;

namespace {

/// Every Record-Route value of a message, in order (fields and comma items).
std::vector<std::string> record_routes(const Message& m) {
  std::vector<std::string> out;
  for (auto field : m.values(HeaderId::kRecordRoute)) {
    for_each_comma_item(field, [&](std::string_view item) {
      out.emplace_back(item);
      return true;
    });
  }
  return out;
}

/// The URI of the first Contact, as text; nullopt if none is usable.
std::optional<std::string> contact_uri(const Message& m) {
  auto v = m.value(HeaderId::kContact);
  if (!v) return std::nullopt;
  std::vector<Contact> contacts;
  if (!parse_contact_list(*v, contacts).ok() || contacts.empty() || contacts[0].star) {
    return std::nullopt;
  }
  return std::string(contacts[0].address.uri.text);
}

std::optional<std::string> tag_of(std::optional<std::string_view> header) {
  if (!header) return std::nullopt;
  auto na = parse_name_addr(*header);
  if (!na.ok() || !na->tag()) return std::nullopt;
  return std::string(*na->tag());
}

bool uri_is_sips(std::string_view uri) {
  return uri.size() >= 5 && iequals(uri.substr(0, 5), "sips:");
}

/// The URI inside a Route value (name-addr) as text.
std::string route_uri(const std::string& route) {
  auto na = parse_name_addr(route);
  return na.ok() ? std::string(na->uri.text) : route;
}

bool route_is_loose(const std::string& route) {
  auto na = parse_name_addr(route);
  return na.ok() && na->uri.lr();
}

}  // namespace

bool is_target_refresh(std::string_view method) {
  return method == "INVITE" || method == "UPDATE" || method == "SUBSCRIBE" ||
         method == "NOTIFY" || method == "REFER";
}

Result<Dialog> Dialog::from_response(const Message& req, const Message& resp) {
  auto call_id = req.value(HeaderId::kCallId);
  auto local_tag = tag_of(req.value(HeaderId::kFrom));
  auto remote_tag = tag_of(resp.value(HeaderId::kTo));
  auto cseq = parse_cseq(req.value(HeaderId::kCSeq).value_or(""));
  if (!call_id || !local_tag || !remote_tag || !cseq.ok()) {
    return make_error(ErrorCode::kInvalidArgument, "response cannot create a dialog");
  }
  Dialog d;
  d.role_ = Role::kUac;
  d.id_ = {std::string(trim(*call_id)), *local_tag, *remote_tag};
  d.state_ = resp.status_code() < 200 ? State::kEarly : State::kConfirmed;
  d.local_cseq_ = cseq->number;
  d.local_uri_ = std::string(*req.value(HeaderId::kFrom));
  d.remote_uri_ = std::string(*resp.value(HeaderId::kTo));
  d.remote_target_ = contact_uri(resp).value_or(std::string(req.request_uri()));
  d.route_set_ = record_routes(resp);
  std::reverse(d.route_set_.begin(), d.route_set_.end());  // §12.1.2: reversed
  d.secure_ = uri_is_sips(req.request_uri());
  if (auto c = req.value(HeaderId::kContact)) d.local_contact_ = std::string(*c);
  return d;
}

Result<Dialog> Dialog::from_request(const Message& req, std::string local_tag,
                                    std::string local_contact) {
  auto call_id = req.value(HeaderId::kCallId);
  auto remote_tag = tag_of(req.value(HeaderId::kFrom));
  auto cseq = parse_cseq(req.value(HeaderId::kCSeq).value_or(""));
  auto target = contact_uri(req);
  if (!call_id || !remote_tag || !cseq.ok() || !target) {
    return make_error(ErrorCode::kInvalidArgument, "request cannot create a dialog");
  }
  Dialog d;
  d.role_ = Role::kUas;
  d.id_ = {std::string(trim(*call_id)), std::move(local_tag), *remote_tag};
  d.remote_cseq_ = cseq->number;
  d.local_cseq_ = 0;  // §12.1.1: empty until we send; start from a small value
  d.remote_uri_ = std::string(*req.value(HeaderId::kFrom));
  std::string to(*req.value(HeaderId::kTo));
  if (!tag_of(to)) to += ";tag=" + d.id_.local_tag;
  d.local_uri_ = std::move(to);
  d.remote_target_ = *target;
  d.route_set_ = record_routes(req);  // §12.1.1: in order
  d.secure_ = uri_is_sips(req.request_uri());
  d.local_contact_ = std::move(local_contact);
  return d;
}

void Dialog::request_uri_and_routes(std::string& request_uri,
                                    std::vector<std::string>& routes) const {
  routes.clear();
  if (route_set_.empty()) {
    request_uri = remote_target_;
    return;
  }
  if (route_is_loose(route_set_.front())) {
    request_uri = remote_target_;
    routes = route_set_;
    return;
  }
  // Strict routing (§12.2.1.1): first route becomes the Request-URI, the
  // remote target goes last.
  request_uri = route_uri(route_set_.front());
  routes.assign(route_set_.begin() + 1, route_set_.end());
  routes.push_back("<" + remote_target_ + ">");
}

std::string Dialog::next_hop_uri() const {
  if (!route_set_.empty() && route_is_loose(route_set_.front())) {
    return route_uri(route_set_.front());
  }
  std::string ruri;
  std::vector<std::string> routes;
  request_uri_and_routes(ruri, routes);
  return ruri;
}

Message Dialog::make_request(std::string_view method) {
  std::string ruri;
  std::vector<std::string> routes;
  request_uri_and_routes(ruri, routes);
  Message m = Message::request(method, ruri);
  m.add_header(HeaderId::kMaxForwards, "70");
  m.add_header(HeaderId::kFrom, local_uri_);
  m.add_header(HeaderId::kTo, remote_uri_);
  m.add_header(HeaderId::kCallId, id_.call_id);
  m.add_header(HeaderId::kCSeq, fmt::format("{} {}", ++local_cseq_, method));
  for (const auto& r : routes) m.add_header(HeaderId::kRoute, r);
  if (is_target_refresh(method) && !local_contact_.empty()) {
    m.add_header(HeaderId::kContact, local_contact_);
  }
  return m;
}

Message Dialog::make_ack(uint32_t invite_cseq) const {
  std::string ruri;
  std::vector<std::string> routes;
  request_uri_and_routes(ruri, routes);
  Message m = Message::request("ACK", ruri);
  m.add_header(HeaderId::kMaxForwards, "70");
  m.add_header(HeaderId::kFrom, local_uri_);
  m.add_header(HeaderId::kTo, remote_uri_);
  m.add_header(HeaderId::kCallId, id_.call_id);
  m.add_header(HeaderId::kCSeq, fmt::format("{} ACK", invite_cseq));
  for (const auto& r : routes) m.add_header(HeaderId::kRoute, r);
  return m;
}

Status Dialog::on_request(const Message& req) {
  auto cseq = parse_cseq(req.value(HeaderId::kCSeq).value_or(""));
  if (!cseq.ok()) return cseq.error();
  if (req.method() != "ACK" && req.method() != "CANCEL") {
    if (remote_cseq_ && cseq->number <= *remote_cseq_) {
      return make_error(ErrorCode::kFailedPrecondition,
                        fmt::format("CSeq {} out of order (last {})", cseq->number,
                                    *remote_cseq_));
    }
    remote_cseq_ = cseq->number;
  }
  if (is_target_refresh(req.method())) {
    if (auto target = contact_uri(req)) remote_target_ = *target;
  }
  return Status::Ok();
}

void Dialog::on_response(const Message& req, const Message& resp) {
  int code = resp.status_code();
  if (code >= 200 && code < 300) {
    if (req.method() == "INVITE") confirm();
    if (is_target_refresh(req.method())) {
      if (auto target = contact_uri(resp)) remote_target_ = *target;
    }
  }
  // 481/408 to an in-dialog request end the dialog (§12.2.1.2).
  if (code == 481 || code == 408) terminate();
}

}  // namespace switchboard::sip
