// The values that cross the Database interface: parameters bound to `?`
// placeholders and the cells of a result row. Four SQL types are enough for
// every table we own (booleans are INTEGER 0/1, times are ISO-8601 TEXT).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace switchboard::store {

/// NULL, INTEGER, REAL or TEXT. std::monostate is SQL NULL.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

/// SQL NULL.
inline Value null_value() {
  return std::monostate{};
}

/// Booleans are stored as INTEGER 0/1 on both engines.
inline Value bool_value(bool b) {
  return std::int64_t{b ? 1 : 0};
}

/// An optional text: NULL when empty-handed.
inline Value opt_value(const std::optional<std::string>& v) {
  return v ? Value{*v} : null_value();
}

/// An optional integer: NULL when empty-handed.
inline Value opt_value(const std::optional<std::int64_t>& v) {
  return v ? Value{*v} : null_value();
}

inline bool is_null(const Value& v) {
  return std::holds_alternative<std::monostate>(v);
}

}  // namespace switchboard::store
