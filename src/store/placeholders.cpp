#include "store/placeholders.hpp"

#include <cctype>

namespace switchboard::store {
namespace {

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Index just past a quoted run starting at `i` (sql[i] == quote). A doubled
// quote inside is an escaped quote; with `backslash`, \x escapes too.
std::size_t skip_quoted(std::string_view sql, std::size_t i, char quote, bool backslash) {
  for (++i; i < sql.size(); ++i) {
    if (backslash && sql[i] == '\\') {
      ++i;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return sql.size();
}

// If a dollar-quote tag ($$ or $tag$) starts at `i`, the index just past the
// closing tag; otherwise npos.
std::size_t skip_dollar_quoted(std::string_view sql, std::size_t i) {
  std::size_t j = i + 1;
  while (j < sql.size() && sql[j] != '$') {
    // A tag is an identifier (not starting with a digit: "$1" is a parameter).
    if (!is_ident_char(sql[j]) ||
        (j == i + 1 && std::isdigit(static_cast<unsigned char>(sql[j])))) {
      return std::string_view::npos;
    }
    ++j;
  }
  if (j >= sql.size()) return std::string_view::npos;
  std::string_view tag = sql.substr(i, j - i + 1);
  auto close = sql.find(tag, j + 1);
  return close == std::string_view::npos ? sql.size() : close + tag.size();
}

std::size_t skip_block_comment(std::string_view sql, std::size_t i) {
  int depth = 0;
  while (i < sql.size()) {
    if (sql.compare(i, 2, "/*") == 0) {
      ++depth;
      i += 2;
    } else if (sql.compare(i, 2, "*/") == 0) {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return sql.size();
}

}  // namespace

RewrittenSql rewrite_placeholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 16);
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    std::size_t end = i + 1;
    if (c == '\'') {
      // E'…' literals allow backslash escapes; the E was copied already.
      bool escape = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                    (i < 2 || !is_ident_char(sql[i - 2]));
      end = skip_quoted(sql, i, '\'', escape);
    } else if (c == '"') {
      end = skip_quoted(sql, i, '"', false);
    } else if (c == '$' && (i == 0 || !is_ident_char(sql[i - 1]))) {
      auto past = skip_dollar_quoted(sql, i);
      if (past != std::string_view::npos) end = past;
    } else if (c == '-' && sql.compare(i, 2, "--") == 0) {
      auto nl = sql.find('\n', i);
      end = nl == std::string_view::npos ? sql.size() : nl;
    } else if (c == '/' && sql.compare(i, 2, "/*") == 0) {
      end = skip_block_comment(sql, i);
    } else if (c == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.placeholders);
      ++i;
      continue;
    }
    out.sql.append(sql.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace switchboard::store
