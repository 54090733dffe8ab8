#include "core/registrar/binding_persistence.hpp"

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "common/log.hpp"

namespace switchboard::core {

namespace asio = boost::asio;

store::StoredBinding to_stored(const Binding& b) {
  store::StoredBinding s;
  s.aor = b.aor;
  s.binding_key = b.key;
  s.contact = b.contact;
  s.instance = b.instance;
  s.reg_id = b.reg_id;
  s.call_id = b.call_id;
  s.cseq = b.cseq;
  s.q = b.q;
  for (const auto& p : b.path) s.path += (s.path.empty() ? "" : ",") + p;
  s.user_agent = b.user_agent;
  s.transport = sip::to_string(b.protocol);
  s.source_ip = b.source_ip.to_string();
  s.source_port = b.source_port;
  s.expires_at = b.expires_at;
  return s;
}

Result<Binding> from_stored(const store::StoredBinding& s) {
  Binding b;
  b.aor = s.aor;
  b.key = s.binding_key;
  b.contact = s.contact;
  b.instance = s.instance;
  b.reg_id = static_cast<uint32_t>(s.reg_id);
  b.call_id = s.call_id;
  b.cseq = static_cast<uint32_t>(s.cseq);
  b.q = s.q;
  // Path values are <uri> name-addrs; a comma never appears inside one here
  // because the registrar stores only the bracketed URI.
  size_t start = 0;
  while (start < s.path.size()) {
    size_t comma = s.path.find(">,", start);
    size_t end = comma == std::string::npos ? s.path.size() : comma + 1;
    b.path.push_back(s.path.substr(start, end - start));
    start = end + (comma == std::string::npos ? 0 : 1);
  }
  b.user_agent = s.user_agent;
  if (s.transport == "UDP") b.protocol = sip::Protocol::kUdp;
  else if (s.transport == "TCP") b.protocol = sip::Protocol::kTcp;
  else if (s.transport == "TLS") b.protocol = sip::Protocol::kTls;
  else return make_error(ErrorCode::kInvalidArgument, "binding: bad transport " + s.transport);
  boost::system::error_code ec;
  b.source_ip = asio::ip::make_address(s.source_ip, ec);
  if (ec) return make_error(ErrorCode::kInvalidArgument, "binding: bad address " + s.source_ip);
  b.source_port = static_cast<uint16_t>(s.source_port);
  b.expires_at = s.expires_at;
  return b;
}

StoreBindingSink::StoreBindingSink(asio::io_context& core, asio::thread_pool& workers,
                                   store::Database& db)
    : core_(core), workers_(workers), db_(db) {}

StoreBindingSink::~StoreBindingSink() { *alive_ = false; }

void StoreBindingSink::save(const Binding& binding) {
  queue_.push_back({false, to_stored(binding)});
  flush();
}

void StoreBindingSink::remove(const std::string& aor, const std::string& key) {
  store::BindingWrite w;
  w.remove = true;
  w.binding.aor = aor;
  w.binding.binding_key = key;
  queue_.push_back(std::move(w));
  flush();
}

void StoreBindingSink::flush() {
  if (in_flight_ || queue_.empty()) return;
  in_flight_ = true;
  auto batch = std::make_shared<std::vector<store::BindingWrite>>(std::move(queue_));
  queue_.clear();
  stats_.writes += batch->size();
  ++stats_.batches;
  asio::post(workers_, [this, batch, alive = std::weak_ptr<bool>(alive_)] {
    // The sink outlives the worker pool's drain (Application joins the pool
    // before destroying it), so db_ is still open here.
    store::BindingRepository repo(db_);
    Status st = repo.apply(*batch);
    asio::post(core_, [this, st, alive] {
      if (alive.expired()) return;
      in_flight_ = false;
      if (!st.ok()) {
        ++stats_.errors;
        log::get("registrar")->error("saving bindings failed: {}", st.error().message);
      }
      flush();
    });
  });
}

void StoreBindingSink::drain_blocking() {
  if (queue_.empty()) return;
  store::BindingRepository repo(db_);
  stats_.writes += queue_.size();
  if (auto st = repo.apply(queue_); !st.ok()) {
    ++stats_.errors;
    log::get("registrar")->error("saving bindings failed: {}", st.error().message);
  }
  queue_.clear();
}

Result<std::vector<Binding>> load_bindings(store::Database& db, store::Timestamp now) {
  store::BindingRepository repo(db);
  if (auto purged = repo.purge_expired(now); !purged.ok()) return purged.error();
  auto rows = repo.list_live(now);
  if (!rows.ok()) return rows.error();
  std::vector<Binding> out;
  for (const auto& s : *rows) {
    auto b = from_stored(s);
    if (!b.ok()) {
      log::get("registrar")->warn("skipping stored binding of {}: {}", s.aor, b.error().message);
      continue;
    }
    out.push_back(std::move(*b));
  }
  return out;
}

}  // namespace switchboard::core
