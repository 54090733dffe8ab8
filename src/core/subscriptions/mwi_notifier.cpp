#include "core/subscriptions/mwi_notifier.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/log.hpp"
#include "sip/builder.hpp"

namespace switchboard::core {
namespace {

bool same_place(const sip::Destination& a, const sip::Destination& b) {
  return a.protocol == b.protocol && a.ip == b.ip && a.port == b.port;
}

}  // namespace

MwiNotifier::MwiNotifier(SubscriptionServer& server, sip::TransactionLayer& layer,
                         const Registrar& registrar, MessageSummaryPackage::MailboxExists exists,
                         MessageSummaryPackage::CountsLookup counts, MwiOptions options)
    : server_(server),
      layer_(layer),
      registrar_(registrar),
      package_(std::make_shared<MessageSummaryPackage>(options.domain, std::move(exists), counts)),
      counts_(std::move(counts)),
      options_(std::move(options)) {
  server_.add_package(package_);
}

void MwiNotifier::publish(const std::string& mailbox, int64_t new_count, int64_t old_count) {
  ++stats_.published;
  const std::string body = package_->body(mailbox, MessageCounts{new_count, old_count});
  log::get("mwi")->debug("mailbox {}: {} new, {} old", mailbox, new_count, old_count);
  server_.notify(kMessageSummaryEvent, mailbox, body);
  if (options_.unsolicited) send_unsolicited(mailbox, body);
}

void MwiNotifier::on_registered(const std::string& mailbox) {
  if (!options_.unsolicited || !counts_) return;
  std::weak_ptr<bool> alive = alive_;
  counts_(mailbox, [this, alive, mailbox](Result<MessageCounts> c) {
    if (alive.expired()) return;
    if (!c.ok()) {
      log::get("mwi")->warn("mailbox {}: counts unavailable: {}", mailbox, c.error().message);
      return;
    }
    send_unsolicited(mailbox, package_->body(mailbox, *c));
  });
}

void MwiNotifier::send_unsolicited(const std::string& mailbox, const std::string& body) {
  const auto watchers = server_.watchers(kMessageSummaryEvent, mailbox);
  const std::string account = package_->account_uri(mailbox);
  for (const Binding* b : registrar_.lookup(mailbox)) {
    const sip::Destination to = b->destination();
    if (std::any_of(watchers.begin(), watchers.end(),
                    [&](const sip::Destination& w) { return same_place(w, to); })) {
      continue;  // subscribed: it has its in-dialog NOTIFY
    }
    sip::Message m = sip::Message::request("NOTIFY", b->contact);
    m.add_header(sip::HeaderId::kMaxForwards, "70");
    for (const auto& p : b->path) m.add_header(sip::HeaderId::kRoute, p);
    m.add_header(sip::HeaderId::kFrom, fmt::format("<{}>;tag={}", account, sip::random_hex(6)));
    m.add_header(sip::HeaderId::kTo, fmt::format("<{}>", account));
    m.add_header(sip::HeaderId::kCallId, sip::random_hex(16));
    m.add_header(sip::HeaderId::kCSeq, "1 NOTIFY");
    const std::string sent_by =
        layer_.options().sent_by ? layer_.options().sent_by(to.protocol) : "127.0.0.1";
    m.add_header(sip::HeaderId::kContact, fmt::format("<sip:switchboard@{}>", sent_by));
    m.add_header(sip::HeaderId::kEvent, kMessageSummaryEvent);
    m.add_header(sip::HeaderId::kSubscriptionState, "active");
    sip::set_body(m, kMessageSummaryType, body);
    ++stats_.unsolicited_sent;
    std::weak_ptr<bool> alive = alive_;
    sip::ClientTransaction::Handlers h;
    h.response = [this, alive, mailbox](const sip::Message& r) {
      if (alive.expired() || r.status_code() < 300) return;
      ++stats_.unsolicited_failed;
      log::get("mwi")->debug("unsolicited NOTIFY for {} answered {}", mailbox, r.status_code());
    };
    h.failure = [this, alive, mailbox](sip::ClientTransaction::Failure) {
      if (alive.expired()) return;
      ++stats_.unsolicited_failed;
      log::get("mwi")->debug("unsolicited NOTIFY for {}: no answer", mailbox);
    };
    layer_.send_request(std::move(m), to, std::move(h));
  }
}

}  // namespace switchboard::core
