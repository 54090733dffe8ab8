// Helpers shared by the repositories (internal to the store layer).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/time.hpp"

namespace switchboard::store::detail {

/// `e` with "what: " prepended to its message, keeping its code.
Error with_context(Error e, std::string_view what);

/// The Status of a statement whose rows do not matter.
Status status_of(const Result<QueryResult>& r);

/// kNotFound unless the statement changed at least one row.
Status expect_changed(const Result<QueryResult>& r, std::string_view what);

/// Reads an ISO-8601 TEXT column we wrote; kInternal if someone else wrote
/// garbage there.
Result<Timestamp> read_time(const Row& row, std::string_view column);

/// kInvalidArgument unless 1 <= limit <= kMaxPageSize and offset >= 0.
Status check_page(std::int64_t limit, std::int64_t offset);

/// Number of Unicode code points (VARCHAR(n) counts characters, not bytes).
std::size_t utf8_length(std::string_view s);

/// Builds "WHERE a = ? AND b >= ?" and its parameters; values are bound,
/// only the fixed condition text is concatenated.
class WhereBuilder {
 public:
  void add(std::string condition, std::vector<Value> values);
  std::string sql() const;
  const std::vector<Value>& params() const { return params_; }

 private:
  std::vector<std::string> conditions_;
  std::vector<Value> params_;
};

}  // namespace switchboard::store::detail
