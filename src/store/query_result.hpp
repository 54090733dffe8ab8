// The rows a statement returned, with typed getters by column index or name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/value.hpp"

namespace switchboard::store {

/// One result row. Getters convert leniently between the four value types
/// (PostgreSQL may hand back NUMERIC for an aggregate SQLite returns as
/// INTEGER), and return 0 / "" for NULL; use is_null() or the opt_*
/// getters where NULL means something. An unknown column or index is a
/// programming error (asserted in debug builds, NULL otherwise).
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values);

  std::size_t size() const { return values_.size(); }
  const std::vector<Value>& values() const { return values_; }

  const Value& at(std::size_t index) const;
  const Value& at(std::string_view column) const;

  bool is_null(std::size_t index) const;
  bool is_null(std::string_view column) const;
  std::int64_t get_int(std::size_t index) const;
  std::int64_t get_int(std::string_view column) const;
  double get_double(std::size_t index) const;
  double get_double(std::string_view column) const;
  std::string get_text(std::size_t index) const;
  std::string get_text(std::string_view column) const;
  /// INTEGER 0/1 (or 't'/'f' text) as bool.
  bool get_bool(std::size_t index) const;
  bool get_bool(std::string_view column) const;
  std::optional<std::string> opt_text(std::string_view column) const;
  std::optional<std::int64_t> opt_int(std::string_view column) const;

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

/// The outcome of one statement: column names, rows and, for INSERT,
/// UPDATE and DELETE, the number of rows changed (0 for anything else).
class QueryResult {
 public:
  QueryResult() = default;
  QueryResult(std::vector<std::string> columns, std::vector<std::vector<Value>> rows,
              std::int64_t affected_rows);

  const std::vector<std::string>& columns() const;
  const std::vector<Row>& rows() const { return rows_; }
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const Row& operator[](std::size_t i) const { return rows_[i]; }
  std::vector<Row>::const_iterator begin() const { return rows_.begin(); }
  std::vector<Row>::const_iterator end() const { return rows_.end(); }
  std::int64_t affected_rows() const { return affected_rows_; }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_ =
      std::make_shared<const std::vector<std::string>>();
  std::vector<Row> rows_;
  std::int64_t affected_rows_ = 0;
};

}  // namespace switchboard::store
