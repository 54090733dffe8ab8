#include "sip/digest.hpp"

#include <openssl/evp.h>

#include <array>
#include <utility>

#include "sip/auth_header.hpp"
#include "sip/grammar.hpp"

namespace switchboard::sip {
namespace {

constexpr std::array<std::pair<std::string_view, DigestAlgorithm>, 6> kAlgorithms{{
    {"MD5", DigestAlgorithm::kMd5},
    {"MD5-sess", DigestAlgorithm::kMd5Sess},
    {"SHA-256", DigestAlgorithm::kSha256},
    {"SHA-256-sess", DigestAlgorithm::kSha256Sess},
    {"SHA-512-256", DigestAlgorithm::kSha512_256},
    {"SHA-512-256-sess", DigestAlgorithm::kSha512_256Sess},
}};

const EVP_MD* md_of(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::kMd5:
    case DigestAlgorithm::kMd5Sess:
      return EVP_md5();
    case DigestAlgorithm::kSha256:
    case DigestAlgorithm::kSha256Sess:
      return EVP_sha256();
    case DigestAlgorithm::kSha512_256:
    case DigestAlgorithm::kSha512_256Sess:
      return EVP_sha512_256();
  }
  return EVP_sha256();
}

std::string join3(std::string_view a, std::string_view b, std::string_view c) {
  std::string s;
  s.reserve(a.size() + b.size() + c.size() + 2);
  s.append(a).append(":").append(b).append(":").append(c);
  return s;
}

// quoted-string with '"' and '\' escaped (RFC 7616 §3.4 forbids neither in
// the username, so escaping is the only safe way to write it).
void append_quoted(std::string& out, std::string_view name, std::string_view value) {
  if (out.back() != ' ') out.append(", ");
  out.append(name).append("=\"");
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_token(std::string& out, std::string_view name, std::string_view value) {
  if (out.back() != ' ') out.append(", ");
  out.append(name).append("=").append(value);
}

std::string unquoted(const Param& p) {
  if (p.value.size() >= 2 && p.value.front() == '"') {
    return grammar::unquote(p.value.substr(1, p.value.size() - 2));
  }
  return std::string(p.value);
}

Result<AuthHeader> parse_digest_header(std::string_view value) {
  Result<AuthHeader> h = parse_auth_header(value);
  if (!h.ok()) return h.error();
  if (!grammar::iequals(h->scheme, "Digest")) {
    return make_error(ErrorCode::kNotFound, "Not A Digest Header");
  }
  return h;
}

}  // namespace

std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name) {
  for (const auto& [text, alg] : kAlgorithms) {
    if (grammar::iequals(text, name)) return alg;
  }
  return std::nullopt;
}

std::string_view to_string(DigestAlgorithm algorithm) {
  for (const auto& [text, alg] : kAlgorithms) {
    if (alg == algorithm) return text;
  }
  return "MD5";
}

bool is_session_algorithm(DigestAlgorithm a) {
  return a == DigestAlgorithm::kMd5Sess || a == DigestAlgorithm::kSha256Sess ||
         a == DigestAlgorithm::kSha512_256Sess;
}

std::string digest_hex(DigestAlgorithm algorithm, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, md_of(algorithm), nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xF]);
  }
  return out;
}

std::string compute_ha1(DigestAlgorithm algorithm, std::string_view username,
                        std::string_view realm, std::string_view password) {
  return digest_hex(algorithm, join3(username, realm, password));
}

std::string compute_digest_response(const DigestResponseInput& in) {
  std::string ha1(in.ha1);
  if (is_session_algorithm(in.algorithm)) {
    ha1 = digest_hex(in.algorithm, join3(in.ha1, in.nonce, in.cnonce));
  }
  std::string a2(in.method);
  a2.append(":").append(in.uri);
  const std::string ha2 = digest_hex(in.algorithm, a2);
  std::string kd = ha1;
  kd.append(":").append(in.nonce);
  if (!in.qop.empty()) {
    kd.append(":").append(in.nc).append(":").append(in.cnonce).append(":").append(in.qop);
  }
  kd.append(":").append(ha2);
  return digest_hex(in.algorithm, kd);
}

Result<DigestChallenge> parse_digest_challenge(std::string_view header_value) {
  Result<AuthHeader> h = parse_digest_header(header_value);
  if (!h.ok()) return h.error();
  DigestChallenge c;
  for (const Param& p : h->params) {
    const std::string v = unquoted(p);
    if (grammar::iequals(p.name, "realm")) {
      c.realm = v;
    } else if (grammar::iequals(p.name, "nonce")) {
      c.nonce = v;
    } else if (grammar::iequals(p.name, "opaque")) {
      c.opaque = v;
      c.has_opaque = true;
    } else if (grammar::iequals(p.name, "domain")) {
      c.domain = v;
    } else if (grammar::iequals(p.name, "stale")) {
      c.stale = grammar::iequals(v, "true");
    } else if (grammar::iequals(p.name, "algorithm")) {
      c.algorithm = parse_digest_algorithm(v);
      if (!c.algorithm) return make_error(ErrorCode::kFailedPrecondition, "Unknown Algorithm");
    } else if (grammar::iequals(p.name, "qop")) {
      grammar::for_each_comma_item(v, [&](std::string_view q) {
        if (!q.empty()) c.qop.emplace_back(q);
        return true;
      });
    }
  }
  if (c.realm.empty() && !h->params.has("realm")) {
    return make_error(ErrorCode::kInvalidArgument, "Digest Challenge Without Realm");
  }
  if (c.nonce.empty()) return make_error(ErrorCode::kInvalidArgument, "Digest Without Nonce");
  return c;
}

Result<DigestCredentials> parse_digest_credentials(std::string_view header_value) {
  Result<AuthHeader> h = parse_digest_header(header_value);
  if (!h.ok()) return h.error();
  DigestCredentials c;
  for (const Param& p : h->params) {
    const std::string v = unquoted(p);
    if (grammar::iequals(p.name, "username")) {
      c.username = v;
    } else if (grammar::iequals(p.name, "realm")) {
      c.realm = v;
    } else if (grammar::iequals(p.name, "nonce")) {
      c.nonce = v;
    } else if (grammar::iequals(p.name, "uri")) {
      c.uri = v;
    } else if (grammar::iequals(p.name, "response")) {
      c.response = v;
    } else if (grammar::iequals(p.name, "cnonce")) {
      c.cnonce = v;
    } else if (grammar::iequals(p.name, "opaque")) {
      c.opaque = v;
      c.has_opaque = true;
    } else if (grammar::iequals(p.name, "qop")) {
      c.qop = v;
    } else if (grammar::iequals(p.name, "nc")) {
      c.nc = v;
    } else if (grammar::iequals(p.name, "algorithm")) {
      c.algorithm = parse_digest_algorithm(v);
      if (!c.algorithm) return make_error(ErrorCode::kFailedPrecondition, "Unknown Algorithm");
    }
  }
  if (c.username.empty() || c.nonce.empty() || c.response.empty() || !h->params.has("uri")) {
    return make_error(ErrorCode::kInvalidArgument, "Incomplete Digest Credentials");
  }
  return c;
}

std::string serialize_digest_challenge(const DigestChallenge& c) {
  std::string out = "Digest ";
  append_quoted(out, "realm", c.realm);
  if (!c.domain.empty()) append_quoted(out, "domain", c.domain);
  append_quoted(out, "nonce", c.nonce);
  if (c.has_opaque) append_quoted(out, "opaque", c.opaque);
  if (c.stale) append_token(out, "stale", "true");
  if (c.algorithm) append_token(out, "algorithm", to_string(*c.algorithm));
  if (!c.qop.empty()) {
    std::string q;
    for (const std::string& v : c.qop) q.append(q.empty() ? "" : ",").append(v);
    append_quoted(out, "qop", q);
  }
  return out;
}

std::string serialize_digest_credentials(const DigestCredentials& c) {
  std::string out = "Digest ";
  append_quoted(out, "username", c.username);
  append_quoted(out, "realm", c.realm);
  append_quoted(out, "nonce", c.nonce);
  append_quoted(out, "uri", c.uri);
  append_quoted(out, "response", c.response);
  if (c.algorithm) append_token(out, "algorithm", to_string(*c.algorithm));
  if (!c.cnonce.empty()) append_quoted(out, "cnonce", c.cnonce);
  if (c.has_opaque) append_quoted(out, "opaque", c.opaque);
  if (!c.qop.empty()) append_token(out, "qop", c.qop);
  if (!c.nc.empty()) append_token(out, "nc", c.nc);
  return out;
}

std::string digest_response_for(const DigestCredentials& cr, DigestAlgorithm algorithm,
                                std::string_view ha1, std::string_view method) {
  DigestResponseInput in;
  in.algorithm = algorithm;
  in.ha1 = ha1;
  in.nonce = cr.nonce;
  in.nc = cr.nc;
  in.cnonce = cr.cnonce;
  in.qop = cr.qop;
  in.method = method;
  in.uri = cr.uri;
  return compute_digest_response(in);
}

}  // namespace switchboard::sip
