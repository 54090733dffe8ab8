#include "store/locked_database.hpp"

namespace switchboard::store {

Result<QueryResult> LockedDatabase::run(std::string_view sql, std::vector<Value> params) {
  std::lock_guard lock(mutex_);
  return do_exec(sql, params);
}

Status LockedDatabase::begin() {
  mutex_.lock();
  if (in_tx_) {
    mutex_.unlock();
    return make_error(ErrorCode::kFailedPrecondition, "a transaction is already open");
  }
  if (Status s = do_begin(); !s) {
    mutex_.unlock();
    return s;
  }
  in_tx_ = true;
  tx_owner_ = std::this_thread::get_id();
  return {};  // the mutex stays locked until commit() or rollback()
}

Status LockedDatabase::commit() {
  // Checked before locking: another thread's transaction is not ours to end,
  // and waiting for it would only delay the error.
  if (!in_transaction()) {
    return make_error(ErrorCode::kFailedPrecondition, "no transaction is open on this thread");
  }
  std::lock_guard lock(mutex_);
  Status s = do_commit();
  if (!s) (void)do_rollback();  // end it either way; the commit error is what matters
  in_tx_ = false;
  tx_owner_ = std::thread::id{};
  mutex_.unlock();  // the lock begin() kept
  return s;
}

Status LockedDatabase::rollback() {
  // Checked before locking: another thread's transaction is not ours to end,
  // and waiting for it would only delay the error.
  if (!in_transaction()) {
    return make_error(ErrorCode::kFailedPrecondition, "no transaction is open on this thread");
  }
  std::lock_guard lock(mutex_);
  Status s = do_rollback();
  in_tx_ = false;
  tx_owner_ = std::thread::id{};
  mutex_.unlock();
  return s;
}

bool LockedDatabase::in_transaction() const {
  return tx_owner_.load() == std::this_thread::get_id();
}

}  // namespace switchboard::store
