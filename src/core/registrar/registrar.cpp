#include "core/registrar/registrar.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "common/log.hpp"
#include "sip/builder.hpp"
#include "sip/message_headers.hpp"
#include "sip/uri.hpp"

namespace switchboard::core {
namespace {

std::string binding_key(const sip::Contact& c, const std::optional<std::string>& instance) {
  if (instance) return fmt::format("{};reg-id={}", *instance, c.reg_id().value_or(0));
  return std::string(c.address.uri.text);
}

bool same_contact(const Binding& b, const sip::Contact& c, const std::string& key,
                  bool has_instance) {
  if (has_instance || !b.instance.empty()) return b.key == key;
  auto stored = sip::parse_uri(b.contact);
  return stored.ok() && sip::uri_equal(*stored, c.address.uri);
}

// RFC 1123 date for the Date header of a 200 (RFC 3261 §10.3 step 8).
std::string http_date(store::Timestamp t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);  // C locale
  return buf;
}

}  // namespace

const char* to_string(Binding::State s) {
  return s == Binding::State::kActive ? "active" : "unreachable";
}

Registrar::Registrar(Timers& timers, RegistrarOptions options, store::NowFn wall_now,
                     ExtensionExists exists, BindingStore* store)
    : timers_(timers), options_(options), wall_now_(std::move(wall_now)),
      exists_(std::move(exists)), store_(store) {}

Registrar::~Registrar() {
  for (auto& [aor, list] : by_aor_) {
    for (auto& b : list) timers_.cancel(b->expiry_timer);
  }
}

int64_t Registrar::seconds_left(const Binding& b) const {
  auto left = std::chrono::duration_cast<std::chrono::seconds>(b.expires_at - wall_now_());
  return std::max<int64_t>(0, left.count());
}

void Registrar::on_register(const sip::ServerTransactionPtr& txn) {
  const sip::Message& req = txn->request();
  ++stats_.registers;
  auto fail = [&](int code, std::string_view reason) {
    ++stats_.rejected;
    txn->respond(sip::make_response(req, code, reason, sip::random_hex(6)));
  };
  auto to = sip::get_to(req);
  auto call_id = sip::get_call_id(req);
  auto cseq = sip::get_cseq(req);
  if (!to.ok() || !call_id.ok() || !cseq.ok()) return fail(400, "Bad Request");
  if (!to->uri.is_sip()) return fail(416, "Unsupported URI Scheme");
  const std::string aor(to->uri.user);
  if (aor.empty() || !exists_(aor)) return fail(404, "Not Found");

  auto contacts = sip::get_contacts(req);
  auto it = by_aor_.find(aor);
  if (!contacts.ok()) {
    if (contacts.error().code != ErrorCode::kNotFound) return fail(400, "Bad Contact");
    ++stats_.fetches;  // no Contact: list the bindings (§10.2.3)
    return answer(txn, it == by_aor_.end() ? nullptr : &it->second, false);
  }
  std::optional<uint32_t> header_expires;
  if (auto e = sip::get_expires(req); e.ok()) header_expires = *e;
  const std::string cid(*call_id);

  if (contacts->front().star) {  // §10.3 step 6: "*" only alone with Expires: 0
    if (contacts->size() != 1 || header_expires != 0u) return fail(400, "Invalid Contact *");
    if (it != by_aor_.end()) {
      auto& list = it->second;
      for (size_t i = list.size(); i-- > 0;) {
        if (list[i]->call_id == cid && cseq->number <= list[i]->cseq) continue;
        erase(list, i, true);
      }
      if (list.empty()) by_aor_.erase(it);
      changed(aor);
    }
    it = by_aor_.find(aor);
    return answer(txn, it == by_aor_.end() ? nullptr : &it->second, false);
  }

  // Validate everything before changing anything (step 7 is all or nothing).
  struct Change {
    const sip::Contact* contact;
    std::string key;
    std::optional<std::string> instance;
    uint32_t expires;
    Binding* existing;
  };
  std::vector<Change> changes;
  List* list = it == by_aor_.end() ? nullptr : &it->second;
  size_t adds = 0;
  bool outbound = false;
  for (const auto& c : *contacts) {
    if (!c.address.uri.is_sip()) return fail(400, "Bad Contact URI");
    Change ch{&c, {}, c.instance(), 0, nullptr};
    ch.key = binding_key(c, ch.instance);
    uint32_t expires = c.expires().value_or(header_expires.value_or(options_.default_expires));
    if (expires != 0 && expires < options_.min_expires) {
      ++stats_.too_brief;
      ++stats_.rejected;
      auto r = sip::make_response(req, 423, "Interval Too Brief", sip::random_hex(6));
      r.add_header(sip::HeaderId::kMinExpires, std::to_string(options_.min_expires));
      txn->respond(std::move(r));
      return;
    }
    ch.expires = std::min(expires, options_.max_expires);
    if (list) {
      for (auto& b : *list) {
        if (same_contact(*b, c, ch.key, ch.instance.has_value())) ch.existing = b.get();
      }
    }
    if (ch.existing && ch.existing->call_id == cid && cseq->number <= ch.existing->cseq) {
      return fail(500, "Out of Order REGISTER");  // §10.3 step 7: abort
    }
    if (!ch.existing && ch.expires > 0) ++adds;
    if (ch.instance && c.reg_id()) outbound = true;
    changes.push_back(std::move(ch));
  }
  if ((list ? list->size() : 0) + adds > options_.max_contacts) {
    return fail(403, "Too Many Contacts");
  }

  std::vector<std::string> path;
  if (auto p = sip::get_name_addrs(req, sip::HeaderId::kPath); p.ok()) {
    for (const auto& na : *p) path.push_back("<" + std::string(na.uri.text) + ">");
  }
  const auto ua = sip::get_user_agent(req);
  const auto now = wall_now_();
  List& target = by_aor_[aor];
  for (auto& ch : changes) {
    if (ch.expires == 0) {
      if (!ch.existing) continue;
      for (size_t i = 0; i < target.size(); ++i) {
        if (target[i].get() == ch.existing) {
          erase(target, i, true);
          break;
        }
      }
      continue;
    }
    Binding* b = ch.existing;
    if (b) {
      ++stats_.refreshes;
    } else {
      target.push_back(std::make_unique<Binding>());
      b = target.back().get();
      b->aor = aor;
      ++stats_.added;
    }
    b->key = ch.key;
    b->contact = std::string(ch.contact->address.uri.text);
    b->instance = ch.instance.value_or("");
    b->reg_id = ch.contact->reg_id().value_or(0);
    b->call_id = cid;
    b->cseq = cseq->number;
    b->q = ch.contact->q_thousandths().value_or(1000);
    b->path = path;
    b->user_agent = ua ? std::string(*ua) : std::string();
    b->protocol = txn->source().protocol;
    b->source_ip = txn->source().remote_ip;
    b->source_port = txn->source().remote_port;
    b->connection = txn->source().connection;
    b->expires_at = now + std::chrono::seconds(ch.expires);
    b->state = Binding::State::kActive;
    b->missed_pings = 0;
    arm_expiry(*b);
    if (store_) store_->save(*b);
  }
  if (target.empty()) by_aor_.erase(aor);
  changed(aor);
  auto after = by_aor_.find(aor);
  bool supported_outbound = false;
  if (auto s = sip::get_tokens(req, sip::HeaderId::kSupported); s.ok()) {
    for (auto t : *s) supported_outbound = supported_outbound || t == "outbound";
  }
  answer(txn, after == by_aor_.end() ? nullptr : &after->second, outbound && supported_outbound);
}

void Registrar::answer(const sip::ServerTransactionPtr& txn, const List* list,
                       bool require_outbound) {
  const sip::Message& req = txn->request();
  auto r = sip::make_response(req, 200, "OK", sip::random_hex(6));
  if (list) {
    for (const auto& b : *list) {
      std::string v = fmt::format("<{}>;expires={}", b->contact, seconds_left(*b));
      if (b->q != 1000) v += fmt::format(";q={}.{:03}", b->q / 1000, b->q % 1000);
      if (!b->instance.empty()) {
        v += ";+sip.instance=\"" + b->instance + "\"";
        if (b->reg_id) v += fmt::format(";reg-id={}", b->reg_id);
      }
      r.add_header(sip::HeaderId::kContact, v);
    }
  }
  // RFC 3327 §5.3: the Path the registrar stored, echoed in the 200.
  for (auto v : req.values(sip::HeaderId::kPath)) r.add_header(sip::HeaderId::kPath, v);
  if (require_outbound) r.add_header(sip::HeaderId::kRequire, "outbound");
  r.add_header(sip::HeaderId::kDate, http_date(wall_now_()));
  txn->respond(std::move(r));
}

void Registrar::arm_expiry(Binding& b) {
  timers_.cancel(b.expiry_timer);
  auto delay = std::chrono::duration_cast<Duration>(b.expires_at - wall_now_());
  if (delay.count() < 0) delay = Duration(0);
  b.expiry_timer = timers_.schedule(delay, [this, aor = b.aor, key = b.key] { expire(aor, key); });
}

void Registrar::expire(const std::string& aor, const std::string& key) {
  auto it = by_aor_.find(aor);
  if (it == by_aor_.end()) return;
  auto& list = it->second;
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i]->key != key) continue;
    list[i]->expiry_timer = 0;  // fired
    log::get("registrar")->debug("{}: binding {} expired", aor, list[i]->contact);
    ++stats_.expired;
    erase(list, i, true);
    if (list.empty()) by_aor_.erase(it);
    changed(aor);
    return;
  }
}

bool Registrar::remove(const std::string& aor, const std::string& key) {
  auto it = by_aor_.find(aor);
  if (it == by_aor_.end()) return false;
  auto& list = it->second;
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i]->key != key) continue;
    erase(list, i, true);
    if (list.empty()) by_aor_.erase(it);
    changed(aor);
    return true;
  }
  return false;
}

void Registrar::erase(List& list, size_t index, bool persist) {
  Binding& b = *list[index];
  timers_.cancel(b.expiry_timer);
  if (persist && store_) store_->remove(b.aor, b.key);
  ++stats_.removed;
  list.erase(list.begin() + static_cast<std::ptrdiff_t>(index));
}

void Registrar::changed(const std::string& aor) {
  if (on_change_) on_change_(aor);
}

void Registrar::restore(std::vector<Binding> bindings) {
  const auto now = wall_now_();
  for (auto& b : bindings) {
    if (b.expires_at <= now) {
      if (store_) store_->remove(b.aor, b.key);
      continue;
    }
    auto& list = by_aor_[b.aor];
    list.push_back(std::make_unique<Binding>(std::move(b)));
    Binding& added = *list.back();
    added.connection = 0;  // connections did not survive the restart
    added.expiry_timer = 0;
    arm_expiry(added);
  }
}

std::vector<const Binding*> Registrar::lookup(std::string_view aor) const {
  std::vector<const Binding*> out;
  auto it = by_aor_.find(aor);
  if (it == by_aor_.end()) return out;
  for (const auto& b : it->second) {
    if (b->state == Binding::State::kActive) out.push_back(b.get());
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Binding* a, const Binding* b) { return a->q > b->q; });
  return out;
}

size_t Registrar::binding_count() const {
  size_t n = 0;
  for (const auto& [aor, list] : by_aor_) n += list.size();
  return n;
}

void Registrar::for_each(const std::function<void(const Binding&)>& fn) const {
  for (const auto& [aor, list] : by_aor_) {
    for (const auto& b : list) fn(*b);
  }
}

void Registrar::ping_result(const std::string& aor, const std::string& key, bool answered,
                            int max_misses) {
  auto it = by_aor_.find(aor);
  if (it == by_aor_.end()) return;
  for (auto& b : it->second) {
    if (b->key != key) continue;
    if (answered) {
      if (b->state != Binding::State::kActive) {
        log::get("registrar")->info("{}: {} reachable again", aor, b->contact);
        b->state = Binding::State::kActive;
        changed(aor);
      }
      b->missed_pings = 0;
      return;
    }
    ++b->missed_pings;
    if (b->missed_pings >= max_misses) {
      log::get("registrar")->info("{}: {} removed after {} unanswered keep-alives", aor,
                                  b->contact, b->missed_pings);
      ++stats_.unreachable_removed;
      remove(aor, key);
      return;
    }
    if (b->state == Binding::State::kActive) {
      log::get("registrar")->info("{}: {} unreachable", aor, b->contact);
      b->state = Binding::State::kUnreachable;
      changed(aor);
    }
    return;
  }
}

}  // namespace switchboard::core
