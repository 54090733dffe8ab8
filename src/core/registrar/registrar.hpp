// The registrar (RFC 3261 §10.3): REGISTER adds, refreshes and removes the
// bindings of an extension, or fetches them (no Contact). Several contacts
// per extension; expires per contact or from the Expires header, bounded by
// min (423 Interval Too Brief + Min-Expires) and max; "Contact: *" with
// Expires: 0 removes all; Path (RFC 3327) is kept; +sip.instance/reg-id
// (RFC 5626) make a phone that comes back from a new port replace its own
// binding. Each binding records the source address, transport and
// connection of its REGISTER (NAT). Expiry runs on Timers. Authentication
// happens before (RequestAuthenticator); this class trusts its caller.
// Core thread only.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/timers.hpp"
#include "core/registrar/binding.hpp"
#include "sip/transaction/transaction_layer.hpp"
#include "store/time.hpp"

namespace switchboard::core {

struct RegistrarOptions {
  uint32_t min_expires = 60;
  uint32_t max_expires = 3600;
  uint32_t default_expires = 3600;
  size_t max_contacts = 10;  ///< per extension
};

struct RegistrarStats {
  uint64_t registers = 0, refreshes = 0, added = 0, removed = 0, expired = 0;
  uint64_t fetches = 0, too_brief = 0, rejected = 0, unreachable_removed = 0;
};

class Registrar {
 public:
  using ExtensionExists = std::function<bool(std::string_view number)>;
  /// Told after the bindings of an extension changed (events, presence).
  using ChangeListener = std::function<void(const std::string& aor)>;

  Registrar(Timers& timers, RegistrarOptions options, store::NowFn wall_now,
            ExtensionExists exists, BindingStore* store = nullptr);
  ~Registrar();
  Registrar(const Registrar&) = delete;
  Registrar& operator=(const Registrar&) = delete;

  /// Handles a REGISTER (already authenticated) and answers it.
  void on_register(const sip::ServerTransactionPtr& txn);

  /// Bindings loaded from the store at start-up; expired ones are skipped
  /// (and removed from the store).
  void restore(std::vector<Binding> bindings);

  /// The live contacts of an extension, best q first (what to ring).
  std::vector<const Binding*> lookup(std::string_view aor) const;
  size_t binding_count() const;
  size_t aor_count() const { return by_aor_.size(); }
  /// Every binding, for keep-alive rounds.
  void for_each(const std::function<void(const Binding&)>& fn) const;

  /// Keep-alive result for a binding: an answer resets the misses; a miss
  /// marks it unreachable, and `max_misses` misses remove it.
  void ping_result(const std::string& aor, const std::string& key, bool answered,
                   int max_misses);
  /// Removes one binding (as if it expired); false if unknown.
  bool remove(const std::string& aor, const std::string& key);

  void set_options(RegistrarOptions o) { options_ = o; }
  void set_change_listener(ChangeListener l) { on_change_ = std::move(l); }
  const RegistrarStats& stats() const { return stats_; }

 private:
  using List = std::vector<std::unique_ptr<Binding>>;

  void answer(const sip::ServerTransactionPtr& txn, const List* list,
              bool require_outbound);
  void arm_expiry(Binding& b);
  void expire(const std::string& aor, const std::string& key);
  void erase(List& list, size_t index, bool persist);
  void changed(const std::string& aor);
  int64_t seconds_left(const Binding& b) const;

  Timers& timers_;
  RegistrarOptions options_;
  store::NowFn wall_now_;
  ExtensionExists exists_;
  BindingStore* store_;
  std::map<std::string, List, std::less<>> by_aor_;
  ChangeListener on_change_;
  RegistrarStats stats_;
};

}  // namespace switchboard::core
