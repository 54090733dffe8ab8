// Generic ";name=value" parameter lists (RFC 3261 generic-param) as found in
// Via, From/To, Contact, Content-Type, Event, ... and URI parameters.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sip/small_vector.hpp"

namespace switchboard::sip {

/// One parameter; views into the message buffer. Names compare case-insensitively.
struct Param {
  std::string_view name;
  std::string_view value;  ///< raw: quoted-strings keep their quotes
  bool has_value = false;
};

/// An ordered parameter list with case-insensitive look-up.
class ParamList {
 public:
  void add(Param p) { items_.push_back(p); }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const Param* begin() const { return items_.begin(); }
  const Param* end() const { return items_.end(); }
  const Param& operator[](std::size_t i) const { return items_[i]; }

  /// The parameter named `name` (any case), or nullptr.
  const Param* find(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  /// The raw value of `name`; nullopt if absent, "" if present without value.
  std::optional<std::string_view> get(std::string_view name) const;
  /// The value of `name` with surrounding quotes removed and quoted-pairs resolved.
  std::optional<std::string> get_unquoted(std::string_view name) const;

 private:
  SmallVector<Param, 6> items_;
};

/// Parses header parameters `*( SEMI generic-param )` from the front of `s`,
/// tolerating LWS around ";" and "=" (RFC 3261 §25.1 SEMI, EQUAL). Advances
/// `s` past what it consumed. Returns false on a malformed parameter such as
/// an empty name (RFC 4475 §3.1.2.1 ";;;;").
bool parse_header_params(std::string_view& s, ParamList& out);

}  // namespace switchboard::sip
