// Comma-separated token lists (Allow, Supported, Require, Proxy-Require,
// Unsupported, Allow-Events, Content-Encoding, Accept-Encoding) and media
// types (Content-Type, Accept) (RFC 3261 §20.1, §20.5, §20.15, §20.32, §20.37).
#pragma once

#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "sip/params.hpp"

namespace switchboard::sip {

/// Parses "token *(SEMI param)" items separated by commas, appending the
/// tokens to `out` (parameters such as Accept-Encoding's q are dropped).
/// An empty value is an empty list.
Status parse_token_list(std::string_view value, std::vector<std::string_view>& out);

/// type "/" subtype *( SEMI m-parameter ).
struct MediaType {
  std::string_view type;
  std::string_view subtype;
  ParamList params;

  /// Case-insensitive match; "*" in this media type (an Accept range) is a
  /// wildcard.
  bool matches(std::string_view type, std::string_view subtype) const;
};

Result<MediaType> parse_media_type(std::string_view value);

/// Parses an Accept value (media ranges) into `out`, appending.
Status parse_media_type_list(std::string_view value, std::vector<MediaType>& out);

}  // namespace switchboard::sip
