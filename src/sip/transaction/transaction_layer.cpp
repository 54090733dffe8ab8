#include "sip/transaction/transaction_layer.hpp"

#include <fmt/format.h>

#include "common/log.hpp"
#include "sip/builder.hpp"
#include "sip/grammar.hpp"
#include "sip/serializer.hpp"
#include "sip/transaction/transaction_key.hpp"
#include "sip/via.hpp"

namespace switchboard::sip {

using namespace grammar;  // trim, iequals, for_each_comma_item …

namespace asio = boost::asio;

namespace {

std::string source_text(const Source& s) {
  return fmt::format("{} {}:{}", to_string(s.protocol), s.remote_ip.to_string(), s.remote_port);
}

}  // namespace

void stamp_received(Message& req, const Source& from) {
  auto first = req.values(HeaderId::kVia);
  if (first.empty()) return;
  std::string_view field = first[0];
  auto top = top_via_value(req);
  if (!top) return;
  auto via = parse_via(*top);
  if (!via.ok()) return;
  std::string ip = from.remote_ip.to_string();
  std::string host(via->host);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  bool add_received = via->has_rport() || host != ip;
  bool fill_rport = via->has_rport() && !via->rport();
  if (!add_received && !fill_rport) return;

  std::string stamped;
  std::string_view rest = *top;
  // Rebuild the via-parm's parameters: rport gets its value, received is set.
  size_t semi = rest.find(';');
  stamped = std::string(semi == std::string_view::npos ? rest : rest.substr(0, semi));
  for (const Param& p : via->params) {
    if (iequals(p.name, "received")) continue;
    if (iequals(p.name, "rport") && fill_rport) {
      stamped += fmt::format(";rport={}", from.remote_port);
      continue;
    }
    stamped += ";" + std::string(p.name);
    if (p.has_value) stamped += "=" + std::string(p.value);
  }
  if (add_received) stamped += ";received=" + ip;
  // The top field may carry further via-parms after a comma: keep them.
  std::string whole(field);
  size_t at = whole.find(*top);
  whole.replace(at == std::string::npos ? 0 : at, top->size(), stamped);
  req.remove_first(HeaderId::kVia);
  req.prepend_header(HeaderId::kVia, whole);
}

Destination TransactionLayer::response_destination(const Message& req, const Source& from) {
  Destination d{from.protocol, from.remote_ip, from.remote_port, from.connection};
  if (is_stream(from.protocol)) return d;  // the connection it came on (§18.2.2)
  auto top = top_via_value(req);
  if (!top) return d;
  auto via = parse_via(*top);
  if (!via.ok() || via->has_rport()) return d;  // RFC 3581: source address and port
  d.port = via->port.value_or(5060);          // received address, sent-by port
  return d;
}

TransactionLayer::TransactionLayer(Timers& timers, Sender send, TransactionLayerOptions options)
    : ctx_{timers, options.timers, std::move(send)}, options_(std::move(options)) {}

TransactionLayer::~TransactionLayer() {
  servers_.clear();
  clients_.clear();
}

void TransactionLayer::receive(std::string bytes, const Source& from) {
  // Copy kept only for the 400 path: parse_message takes ownership.
  std::string copy = bytes;
  auto framing = is_stream(from.protocol) ? Framing::kStream : Framing::kDatagram;
  auto msg = parse_message(std::move(bytes), options_.limits, framing);
  if (!msg.ok()) {
    ++stats_.parse_errors;
    return reject_unparsable(std::move(copy), msg.error().message, from);
  }
  if (msg->is_request()) {
    ++stats_.requests_in;
    on_request(std::move(msg.value()), from);
  } else {
    ++stats_.responses_in;
    on_response(std::move(msg.value()), from);
  }
}

void TransactionLayer::reject_unparsable(std::string bytes, const std::string& why,
                                         const Source& from) {
  auto rough = parse_message_leniently(std::move(bytes), options_.limits);
  if (!rough.ok() || !rough->is_request() || rough->method() == "ACK" ||
      !rough->value(HeaderId::kVia) || !rough->value(HeaderId::kCSeq)) {
    log::get("sip")->debug("dropped unparsable message from {}: {}", source_text(from), why);
    return;  // responses and hopeless requests are dropped (RFC 4475 §3.1.2)
  }
  Message resp = make_response(*rough, 400, why);
  send_stateless(resp, response_destination(*rough, from));
  log::get("sip")->info("400 {} to {}", why, source_text(from));
}

ServerTransactionPtr TransactionLayer::new_server(std::string key, Message req,
                                                  const Source& from) {
  Destination reply_to = response_destination(req, from);
  ServerTransaction::Hooks hooks;
  hooks.terminated = [this](ServerTransaction& t) { servers_.erase(t.key()); };
  hooks.ack_timeout = [this](ServerTransaction& t) {
    if (tu_.ack_timeout) tu_.ack_timeout(t);
  };
  auto txn = std::make_shared<ServerTransaction>(ctx_, key, std::move(req), from, reply_to,
                                                 std::move(hooks));
  servers_.emplace(std::move(key), txn);
  return txn;
}

void TransactionLayer::on_request(Message req, const Source& from) {
  stamp_received(req, from);
  auto key = server_key(req);
  if (!key) {
    // Without Via/CSeq no response can be routed: drop.
    ++stats_.rejected;
    log::get("sip")->debug("dropped request without Via/CSeq from {}", source_text(from));
    return;
  }
  if (auto it = servers_.find(*key); it != servers_.end()) {
    auto txn = it->second;
    if (req.method() == "ACK") {
      if (txn->state() == ServerTransaction::State::kAccepted) {
        if (tu_.ack) tu_.ack(req, from);  // RFC 6026: ACK of 2xx goes to the TU
      } else {
        txn->on_ack();
      }
      return;
    }
    ++stats_.retransmissions_absorbed;
    txn->on_retransmission();
    return;
  }
  if (req.method() == "ACK") {
    if (tu_.ack) tu_.ack(req, from);
    return;
  }
  if (auto rejection = validate_request(req, options_.policy)) {
    ++stats_.rejected;
    if (!rejection->respond) return;
    Message resp = make_response(req, rejection->status_code, rejection->reason,
                                 random_hex(6));
    for (const auto& [name, value] : rejection->headers) resp.add_header(name, value);
    log::get("sip")->info("{} {} for {} from {}", rejection->status_code, rejection->reason,
                          req.method(), source_text(from));
    auto txn = new_server(*key, std::move(req), from);
    txn->respond(std::move(resp));
    return;
  }
  if (req.method() == "CANCEL") return on_cancel(std::move(req), *key, from);
  auto txn = new_server(*key, std::move(req), from);
  if (txn->is_invite()) {
    // Answer at once so the caller stops retransmitting (§17.2.1).
    txn->respond(make_response(txn->request(), 100, "Trying"));
  }
  if (tu_.request) {
    tu_.request(txn);
  } else {
    txn->respond(make_response(txn->request(), 503, "Service Unavailable", random_hex(6)));
  }
}

void TransactionLayer::on_cancel(Message cancel, const std::string& key, const Source& from) {
  // The INVITE has the same key except for the method (§9.2).
  std::string invite_key = key;
  invite_key.replace(invite_key.rfind("CANCEL"), 6, "INVITE");
  auto invite = find_server(invite_key);
  auto txn = new_server(key, std::move(cancel), from);
  if (!invite || invite->state() != ServerTransaction::State::kProceeding) {
    txn->respond(make_response(txn->request(), 481, "Call/Transaction Does Not Exist",
                               random_hex(6)));
    return;
  }
  txn->respond(make_response(txn->request(), 200, "OK", random_hex(6)));
  if (tu_.cancelled) {
    tu_.cancelled(invite);
  } else {
    invite->respond(make_response(invite->request(), 487, "Request Terminated", random_hex(6)));
  }
}

void TransactionLayer::on_response(Message resp, const Source& from) {
  auto key = client_key(resp);
  auto it = key ? clients_.find(*key) : clients_.end();
  if (it == clients_.end()) {
    ++stats_.stray_responses;
    if (tu_.stray_response) tu_.stray_response(resp, from);
    return;
  }
  auto txn = it->second;
  txn->on_response(resp);
}

ClientTransactionPtr TransactionLayer::send_request(Message req, const Destination& to,
                                                    ClientTransaction::Handlers handlers) {
  std::string branch;
  if (req.method() == "CANCEL" && req.value(HeaderId::kVia)) {
    // A CANCEL carries its INVITE's top Via and branch (§9.1, see make_cancel).
    auto via = parse_via(top_via_value(req).value_or(""));
    if (via.ok() && via->branch()) branch = std::string(*via->branch());
  }
  if (branch.empty()) branch = add_via(req, to.protocol);
  std::string key = client_key_for(branch, req.method());
  ClientTransaction::Hooks hooks;
  hooks.terminated = [this](ClientTransaction& t) { clients_.erase(t.key()); };
  auto txn = std::make_shared<ClientTransaction>(ctx_, key, std::move(req), to,
                                                 std::move(handlers), std::move(hooks));
  clients_.emplace(key, txn);
  txn->start();
  return txn;
}

std::string TransactionLayer::add_via(Message& m, Protocol protocol) const {
  std::string branch = make_branch();
  std::string sent_by = options_.sent_by ? options_.sent_by(protocol) : "invalid";
  m.prepend_header(HeaderId::kVia, fmt::format("SIP/2.0/{} {};branch={};rport",
                                               to_string(protocol), sent_by, branch));
  return branch;
}

void TransactionLayer::send_stateless(const Message& m, const Destination& to) {
  ctx_.send(to, serialize(m), nullptr);
}

ServerTransactionPtr TransactionLayer::find_server(const std::string& key) const {
  auto it = servers_.find(key);
  return it == servers_.end() ? nullptr : it->second;
}

}  // namespace switchboard::sip
