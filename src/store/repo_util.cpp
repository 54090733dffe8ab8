#include "store/repo_util.hpp"

#include <fmt/format.h>

#include "store/page.hpp"

namespace switchboard::store::detail {

Error with_context(Error e, std::string_view what) {
  e.message = fmt::format("{}: {}", what, e.message);
  return e;
}

Status status_of(const Result<QueryResult>& r) {
  return r ? Status{} : Status{r.error()};
}

Status expect_changed(const Result<QueryResult>& r, std::string_view what) {
  if (!r) return with_context(r.error(), what);
  if (r->affected_rows() == 0) {
    return make_error(ErrorCode::kNotFound, fmt::format("{}: not found", what));
  }
  return {};
}

Result<Timestamp> read_time(const Row& row, std::string_view column) {
  auto t = parse_timestamp(row.get_text(column));
  if (!t) return make_error(ErrorCode::kInternal, fmt::format("{}: {}", column, t.error().message));
  return t;
}

Status check_page(std::int64_t limit, std::int64_t offset) {
  if (limit < 1 || limit > kMaxPageSize) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("limit must be between 1 and {}", kMaxPageSize));
  }
  if (offset < 0) return make_error(ErrorCode::kInvalidArgument, "offset must not be negative");
  return {};
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;  // not a continuation byte
  }
  return n;
}

void WhereBuilder::add(std::string condition, std::vector<Value> values) {
  conditions_.push_back(std::move(condition));
  for (auto& v : values) params_.push_back(std::move(v));
}

std::string WhereBuilder::sql() const {
  std::string out;
  for (const auto& c : conditions_) {
    out += out.empty() ? " WHERE " : " AND ";
    out += c;
  }
  return out;
}

}  // namespace switchboard::store::detail
