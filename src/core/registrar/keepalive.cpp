#include "core/registrar/keepalive.hpp"

#include <fmt/format.h>

#include "sip/builder.hpp"

namespace switchboard::core {

KeepAlive::KeepAlive(Timers& timers, Registrar& registrar, KeepAliveOptions options,
                     Pinger pinger)
    : timers_(timers), registrar_(registrar), options_(options), pinger_(std::move(pinger)) {
  schedule();
}

KeepAlive::~KeepAlive() {
  *alive_ = false;
  timers_.cancel(timer_);
}

void KeepAlive::set_options(KeepAliveOptions o) {
  const bool changed = o.interval != options_.interval;
  options_ = o;
  if (changed) {
    timers_.cancel(timer_);
    timer_ = 0;
    schedule();
  }
}

void KeepAlive::schedule() {
  if (options_.interval.count() <= 0) return;
  timer_ = timers_.schedule(options_.interval, [this] { round(); });
}

void KeepAlive::round() {
  // Collect first: a ping may answer at once and change the registrar.
  std::vector<std::pair<std::string, std::string>> keys;
  std::vector<Binding> targets;
  registrar_.for_each([&](const Binding& b) { targets.push_back(b); });
  for (const auto& b : targets) {
    ++sent_;
    pinger_(b, [this, alive = std::weak_ptr<bool>(alive_), aor = b.aor,
                key = b.key](bool answered) {
      if (alive.expired()) return;
      registrar_.ping_result(aor, key, answered, options_.max_misses);
    });
  }
  schedule();
}

KeepAlive::Pinger make_sip_pinger(sip::TransactionLayer& transactions,
                                  sip::TransportLayer& transport, std::string from_uri) {
  return [&transactions, &transport, from_uri](const Binding& b,
                                               std::function<void(bool)> done) {
    const sip::Destination to = b.destination();
    if (sip::is_stream(b.protocol)) {
      if (b.connection == 0 || !transport.connection_open(b.connection)) return done(false);
      transport.send(to, "\r\n\r\n", [done](Status st) { done(st.ok()); });
      return;
    }
    const std::string call_id = sip::random_hex(12);
    const std::string tag = sip::random_hex(6);
    const std::string to_hdr = "<" + b.contact + ">";
    sip::RequestParams p;
    p.method = "OPTIONS";
    p.request_uri = b.contact;
    p.from = from_uri;
    p.from_tag = tag;
    p.to = to_hdr;
    p.call_id = call_id;
    p.cseq = 1;
    auto req = sip::make_request(p);
    // make_request wrote a Via; send_request adds ours with a fresh branch.
    req.remove_headers(sip::HeaderId::kVia);
    auto answered = std::make_shared<bool>(false);
    sip::ClientTransaction::Handlers h;
    h.response = [done, answered](const sip::Message& r) {
      if (r.status_code() >= 200 && !*answered) {
        *answered = true;
        done(true);
      }
    };
    h.failure = [done, answered](sip::ClientTransaction::Failure) {
      if (!*answered) {
        *answered = true;
        done(false);
      }
    };
    transactions.send_request(std::move(req), to, std::move(h));
  };
}

}  // namespace switchboard::core
