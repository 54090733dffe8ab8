// Call detail records (issue 5 §5): one row per call, written from the
// core's call events on the worker pool — a row at call start (status
// open) and its completion at the end, so that a crash mid-call leaves a
// row that the next start-up marks interrupted (recover()). Writes go
// through one strand so a call's two writes never overtake each other, and
// whatever queued up meanwhile is written in one transaction (one commit
// for many calls under load). A recording's reference is written into the
// open row when the recording starts, so a crash mid-call leaves a row that
// names the (recovered) file.
#pragma once

#include <atomic>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>

#include "common/result.hpp"
#include "core/call/call_events.hpp"
#include "store/cdr_repository.hpp"
#include "store/database.hpp"

namespace switchboard::features {

/// The store row of a call record.
store::CdrRecord to_cdr(const core::CallRecord& call);

class CdrWriter {
 public:
  struct Stats {
    std::atomic<std::uint64_t> opened{0}, closed{0}, errors{0}, batches{0};
  };

  CdrWriter(boost::asio::thread_pool& workers, store::Database& db);

  /// Subscribes to call started/ended and recording started.
  void attach(core::CallEvents& events);

  /// Start-up, before calls: rows left open by a process that died are
  /// marked interrupted. Blocking; returns how many.
  static Result<std::int64_t> recover(store::Database& db);

  const Stats& stats() const { return stats_; }

 private:
  struct Write {
    enum class Kind { kOpen, kRecording, kClose };
    Kind kind = Kind::kClose;
    store::CdrRecord record;
  };

  void on_event(const core::CallEvent& e);
  void drain();
  Status write(store::CdrRepository& repo, const Write& w);
  Status write_row(store::CdrRepository& repo, const Write& w);

  boost::asio::strand<boost::asio::thread_pool::executor_type> strand_;
  store::Database& db_;
  std::mutex mu_;
  std::vector<Write> queue_;  ///< guarded by mu_
  bool scheduled_ = false;    ///< a drain is posted; guarded by mu_
  Stats stats_;
};

}  // namespace switchboard::features
