#include "store/query_result.hpp"

#include <fmt/format.h>

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace switchboard::store {
namespace {

// Returned for an unknown column so release builds degrade to NULL instead of
// reading out of bounds. Immutable, hence not global mutable state.
const Value kNull{};

std::int64_t to_int(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(std::llround(*d));
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc{}) {
      if (ptr == s->data() + s->size()) return out;
      // "12.0": a NUMERIC rendered as text; fall back to strtod.
      return static_cast<std::int64_t>(std::llround(std::strtod(s->c_str(), nullptr)));
    }
    if (*s == "t" || *s == "true") return 1;
  }
  return 0;
}

double to_double(const Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
  return 0.0;
}

std::string to_text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return {};
}

}  // namespace

Row::Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
    : columns_(std::move(columns)), values_(std::move(values)) {}

const Value& Row::at(std::size_t index) const {
  assert(index < values_.size() && "column index out of range");
  return index < values_.size() ? values_[index] : kNull;
}

const Value& Row::at(std::string_view column) const {
  if (columns_) {
    for (std::size_t i = 0; i < columns_->size() && i < values_.size(); ++i) {
      if ((*columns_)[i] == column) return values_[i];
    }
  }
  assert(false && "unknown column");
  return kNull;
}

bool Row::is_null(std::size_t index) const {
  return store::is_null(at(index));
}
bool Row::is_null(std::string_view column) const {
  return store::is_null(at(column));
}
std::int64_t Row::get_int(std::size_t index) const {
  return to_int(at(index));
}
std::int64_t Row::get_int(std::string_view column) const {
  return to_int(at(column));
}
double Row::get_double(std::size_t index) const {
  return to_double(at(index));
}
double Row::get_double(std::string_view column) const {
  return to_double(at(column));
}
std::string Row::get_text(std::size_t index) const {
  return to_text(at(index));
}
std::string Row::get_text(std::string_view column) const {
  return to_text(at(column));
}
bool Row::get_bool(std::size_t index) const {
  return to_int(at(index)) != 0;
}
bool Row::get_bool(std::string_view column) const {
  return to_int(at(column)) != 0;
}

std::optional<std::string> Row::opt_text(std::string_view column) const {
  const Value& v = at(column);
  if (store::is_null(v)) return std::nullopt;
  return to_text(v);
}

std::optional<std::int64_t> Row::opt_int(std::string_view column) const {
  const Value& v = at(column);
  if (store::is_null(v)) return std::nullopt;
  return to_int(v);
}

QueryResult::QueryResult(std::vector<std::string> columns, std::vector<std::vector<Value>> rows,
                         std::int64_t affected_rows)
    : columns_(std::make_shared<const std::vector<std::string>>(std::move(columns))),
      affected_rows_(affected_rows) {
  rows_.reserve(rows.size());
  for (auto& r : rows) rows_.emplace_back(columns_, std::move(r));
}

const std::vector<std::string>& QueryResult::columns() const {
  return *columns_;
}

}  // namespace switchboard::store
