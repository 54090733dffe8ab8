// Repositories write `?` placeholders for both engines; libpq wants $1..$n.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchboard::store {

struct RewrittenSql {
  std::string sql;
  std::size_t placeholders = 0;
};

/// Rewrites each `?` to $1, $2, … in order, leaving alone every `?` inside a
/// quoted literal ('…', E'…' with backslash escapes, $tag$…$tag$), a quoted
/// identifier ("…"), or a comment (-- … and nested /* … */). (So the jsonb
/// operators ?, ?| and ?& cannot be used unquoted; we do not need them.)
RewrittenSql rewrite_placeholders(std::string_view sql);

}  // namespace switchboard::store
