#include "sip/dialog/uac_invite.hpp"

#include "common/log.hpp"
#include "sip/cseq.hpp"
#include "sip/dialog/next_hop.hpp"
#include "sip/name_addr.hpp"

namespace switchboard::sip {

namespace {
std::string remote_tag_of(const Message& r) {
  auto na = parse_name_addr(r.value(HeaderId::kTo).value_or(""));
  return na.ok() && na->tag() ? std::string(*na->tag()) : std::string();
}
}  // namespace

UacInvite::UacInvite(TransactionLayer& layer, Message invite, Destination to, Handlers handlers)
    : layer_(layer), invite_(std::move(invite)), to_(to), handlers_(std::move(handlers)) {
  if (auto c = parse_cseq(invite_.value(HeaderId::kCSeq).value_or("")); c.ok()) cseq_ = c->number;
}

void UacInvite::start() {
  ClientTransaction::Handlers h;
  auto weak = weak_from_this();
  h.response = [weak](const Message& r) {
    if (auto self = weak.lock()) self->on_response(r);
  };
  h.failure = [weak](ClientTransaction::Failure f) {
    auto self = weak.lock();
    if (!self || self->answered_) return;
    self->finished_ = true;
    if (self->handlers_.failed) self->handlers_.failed(f);
  };
  txn_ = layer_.send_request(invite_, to_, std::move(h));
  invite_ = txn_->request();  // keep the Via the layer added (CANCEL needs it)
}

void UacInvite::cancel() {
  if (finished_ || answered_ || cancel_sent_) return;
  cancel_wanted_ = true;
  if (provisional_seen_) send_cancel();
}

void UacInvite::send_cancel() {
  cancel_sent_ = true;
  layer_.send_request(make_cancel(invite_), to_, {});
}

void UacInvite::on_response(const Message& r) {
  int code = r.status_code();
  std::string tag = remote_tag_of(r);
  if (code < 200) {
    provisional_seen_ = true;
    if (!tag.empty() && !dialogs_.count(tag)) {
      if (auto d = Dialog::from_response(invite_, r); d.ok()) dialogs_.emplace(tag, std::move(*d));
    }
    if (cancel_wanted_ && !cancel_sent_) send_cancel();
    if (handlers_.provisional) handlers_.provisional(r);
    return;
  }
  if (code < 300) return on_2xx(r);
  if (finished_ || answered_) return;
  finished_ = true;
  dialogs_.clear();  // early dialogs end with the final non-2xx
  if (handlers_.rejected) handlers_.rejected(r);
}

void UacInvite::on_2xx(const Message& r) {
  std::string tag = remote_tag_of(r);
  if (auto it = acks_.find(tag); it != acks_.end()) {
    // A retransmission of a 2xx we ACKed: ACK again (§13.2.2.4).
    auto d = resolve_next_hop(dialogs_.at(tag).next_hop_uri());
    if (d.ok()) layer_.send_stateless(it->second, *d);
    return;
  }
  auto made = Dialog::from_response(invite_, r);
  if (!made.ok()) {
    log::get("sip")->info("2xx without a usable dialog: {}", made.error().message);
    return;
  }
  Dialog& dialog = dialogs_.insert_or_assign(tag, std::move(*made)).first->second;
  dialog.confirm();
  auto dest = resolve_next_hop(dialog.next_hop_uri());
  if (!dest.ok()) {
    log::get("sip")->warn("cannot ACK 2xx: {}", dest.error().message);
    return;
  }
  Message ack = dialog.make_ack(cseq_);
  layer_.add_via(ack, dest->protocol);
  layer_.send_stateless(ack, *dest);
  acks_.emplace(tag, std::move(ack));
  if (answered_) {
    // Another fork answered too: we keep the first and end this one.
    log::get("sip")->debug("ending extra fork {} of {}", tag, dialog.id().call_id);
    layer_.send_request(dialog.make_request("BYE"), *dest, {});
    dialog.terminate();
    return;
  }
  answered_ = tag;
  finished_ = true;
  if (handlers_.answered) handlers_.answered(dialog, r);
}

bool UacInvite::on_stray_response(const Message& r) {
  if (r.status_code() < 200 || r.status_code() >= 300) return false;
  auto c = parse_cseq(r.value(HeaderId::kCSeq).value_or(""));
  if (!c.ok() || c->method != "INVITE" || c->number != cseq_) return false;
  if (r.value(HeaderId::kCallId).value_or("") != invite_.value(HeaderId::kCallId).value_or("")) {
    return false;
  }
  on_2xx(r);
  return true;
}

}  // namespace switchboard::sip
