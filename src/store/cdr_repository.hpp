// Call detail records: one row per finished call, plus the reports built on
// them (daily totals, per-extension totals).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/page.hpp"
#include "store/time.hpp"

namespace switchboard::store {

enum class CallDirection { kInternal, kInbound, kOutbound };
enum class Disposition { kAnswered, kNoAnswer, kBusy, kFailed, kCancelled };
/// A row's life: kOpen from call start, kComplete at its end, kInterrupted
/// when the process stopped with the call up (marked at the next start-up).
enum class CdrStatus { kOpen, kComplete, kInterrupted };

const char* to_string(CallDirection d);  ///< "internal", "inbound", "outbound"
const char* to_string(Disposition d);    ///< "ANSWERED", "NO_ANSWER", …
const char* to_string(CdrStatus s);      ///< "open", "complete", "interrupted"
std::optional<CallDirection> call_direction_from(std::string_view text);
std::optional<Disposition> disposition_from(std::string_view text);

/// One transfer of a call (issue 7 §7): who moved whom where, in order.
struct CdrTransfer {
  std::string kind;  ///< "blind", "attended", "replaces", "recall", "api"
  std::string by;    ///< the transferrer's extension, or "api"
  std::string from;  ///< the party that left
  std::string to;    ///< the party that took its place
  Timestamp at{};
  bool operator==(const CdrTransfer&) const = default;
};

/// The compact JSON array the `transfers` column holds, and back
/// (kInvalidArgument for text that is not such an array).
std::string transfers_to_json(const std::vector<CdrTransfer>& transfers);
Result<std::vector<CdrTransfer>> transfers_from_json(std::string_view text);

struct CdrRecord {
  std::int64_t id = 0;  ///< assigned on insert
  std::string call_id;
  std::string caller;
  std::string caller_name;
  std::string callee;
  /// Call forwarding (issue 7 §3): the extension that forwarded the call to
  /// `callee`, why ("always", "busy", "no_answer"; "" = not forwarded), and
  /// whether a forwarding loop was cut short. Written by set_forwarding().
  std::string forwarded_from, forward_reason;
  bool forward_loop = false;
  CallDirection direction = CallDirection::kInternal;
  Timestamp start_time{};
  std::optional<Timestamp> answer_time;  ///< unset: never answered
  Timestamp end_time{};
  std::int64_t duration_s = 0;  ///< start to end
  std::int64_t billsec_s = 0;   ///< answer to end
  Disposition disposition = Disposition::kAnswered;
  std::string hangup_cause;
  /// The call's recordings, relative to recording.storage_path, separated
  /// by ';' (unset: not recorded).
  std::optional<std::string> recording_path;
  std::string hangup_side;  ///< "caller", "callee", "system" or "" (never answered)
  std::string codec;        ///< e.g. "PCMU/8000"
  std::string caller_user_agent, callee_user_agent;
  std::int64_t packets_caller = 0;  ///< RTP packets relayed from the caller
  std::int64_t packets_callee = 0;  ///< … and from the callee
  std::int64_t packets_lost = 0;    ///< from RTCP reports
  std::int64_t jitter_ms = 0;       ///< from RTCP reports
  CdrStatus status = CdrStatus::kComplete;
  std::vector<CdrTransfer> transfers;  ///< the call's transfers, in order
};

/// Every field is optional; the time range is [from, to) on start_time.
struct CdrFilter {
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  std::optional<std::string> extension;  ///< matches caller, callee or forwarded_from
  std::optional<Disposition> disposition;
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

/// Calls started on one UTC day.
struct DailyStats {
  std::string day;  ///< "YYYY-MM-DD"
  std::int64_t total = 0;
  std::int64_t answered = 0;
  double answer_rate = 0;  ///< answered / total, 0..1
  double avg_billsec = 0;  ///< over answered calls; 0 if none
};

/// One extension's calls in a period. An extension is the caller of
/// internal and outbound calls and the callee of internal and inbound ones
/// (the other party of an inbound/outbound call is an outside number).
struct ExtensionStats {
  std::string extension;
  std::int64_t outgoing = 0;
  std::int64_t incoming = 0;
  std::int64_t answered = 0;  ///< of outgoing + incoming
  std::int64_t total_billsec = 0;
  double avg_billsec = 0;  ///< over answered calls; 0 if none
};

class CdrRepository {
 public:
  explicit CdrRepository(Database& db) : db_(db) {}

  /// Returns the new row's id. kInvalidArgument for negative durations,
  /// billsec above duration, or end before start.
  Result<std::int64_t> insert(const CdrRecord& record);
  /// Writes the row of a call that has just started (status open, end =
  /// start), so that a crash leaves a trace; returns its id.
  Result<std::int64_t> open(const CdrRecord& record);
  /// Completes the open row of `record.call_id` with every field of
  /// `record`; kNotFound when there is none (then insert() it instead).
  Status close(const CdrRecord& record);
  /// Names the recording(s) of the open row of `call_id` (a recording
  /// started mid-call); kNotFound when there is no open row.
  Status set_recording(std::string_view call_id, std::string_view recording_path);
  /// Writes the forwarding fields of `record` to the row of its call_id.
  Status set_forwarding(const CdrRecord& record);
  /// Marks every open row interrupted (start-up after a crash); how many.
  Result<std::int64_t> mark_interrupted();
  /// Matching rows, newest first, and how many match in all.
  Result<Page<CdrRecord>> query(const CdrFilter& filter);
  /// One entry per UTC day in [from, to) that has calls, oldest first.
  Result<std::vector<DailyStats>> daily_stats(Timestamp from, Timestamp to);
  /// One entry per extension with calls in [from, to), ordered by extension.
  Result<std::vector<ExtensionStats>> extension_stats(Timestamp from, Timestamp to);

 private:
  Database& db_;
};

}  // namespace switchboard::store
