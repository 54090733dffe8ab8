// What both engines share: one connection guarded by one mutex, and a
// transaction that keeps the mutex for the thread that began it.
#pragma once

#include <atomic>
#include <mutex>
#include <thread>

#include "store/database.hpp"

namespace switchboard::store {

/// Base of SqliteDatabase and PostgresDatabase. Subclasses implement the
/// do_* primitives, which are always called with the mutex held.
class LockedDatabase : public Database {
 public:
  Status begin() final;
  Status commit() final;
  Status rollback() final;
  bool in_transaction() const final;

 protected:
  Result<QueryResult> run(std::string_view sql, std::vector<Value> params) final;

  virtual Result<QueryResult> do_exec(std::string_view sql, const std::vector<Value>& params) = 0;
  virtual Status do_begin() = 0;
  virtual Status do_commit() = 0;
  virtual Status do_rollback() = 0;

 private:
  // Recursive: begin() locks it once more and keeps that lock until the
  // transaction ends, so the owner's own exec() calls still get through
  // while every other thread waits.
  mutable std::recursive_mutex mutex_;
  bool in_tx_ = false;  // guarded by mutex_
  // Readable without the mutex, so in_transaction() never blocks.
  std::atomic<std::thread::id> tx_owner_{};
};

}  // namespace switchboard::store
