// Writes the registrar's bindings to the store without blocking the core
// thread (DESIGN §3): writes are queued on the core thread and flushed in
// batches, one transaction per batch, on the worker pool; one batch at a
// time, so they land in order. At start-up the live bindings are loaded
// (blocking, before the core loop runs).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "core/registrar/binding.hpp"
#include "store/binding_repository.hpp"

namespace switchboard::core {

store::StoredBinding to_stored(const Binding& b);
/// kInvalidArgument for a row with a bad transport or address.
Result<Binding> from_stored(const store::StoredBinding& s);

struct PersistenceStats {
  uint64_t writes = 0, batches = 0, errors = 0;
};

class StoreBindingSink final : public BindingStore {
 public:
  /// `core` runs completions; `workers` runs the blocking writes.
  StoreBindingSink(boost::asio::io_context& core, boost::asio::thread_pool& workers,
                   store::Database& db);
  ~StoreBindingSink() override;

  void save(const Binding& binding) override;
  void remove(const std::string& aor, const std::string& key) override;

  /// At shutdown, after the worker pool has drained: writes what is still
  /// queued, on the calling thread.
  void drain_blocking();

  size_t queued() const { return queue_.size(); }
  bool idle() const { return queue_.empty() && !in_flight_; }
  const PersistenceStats& stats() const { return stats_; }

 private:
  void flush();

  boost::asio::io_context& core_;
  boost::asio::thread_pool& workers_;
  store::Database& db_;
  std::vector<store::BindingWrite> queue_;
  bool in_flight_ = false;
  PersistenceStats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

/// Live bindings in the store (blocking; start-up only); purges the expired.
Result<std::vector<Binding>> load_bindings(store::Database& db, store::Timestamp now);

}  // namespace switchboard::core
