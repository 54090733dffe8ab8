// The digest secrets of the extensions: HA1 per algorithm (never the
// password), computed from the config at start and on reload. Unknown users
// are verified against a dummy HA1 so that an extension that does not exist
// costs the same work and gets the same answers as a wrong password (no
// enumeration, issue 4 §5).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "sip/digest.hpp"

namespace switchboard::core {

struct ExtensionCredential {
  std::string ha1_md5;
  std::string ha1_sha256;
  bool allow_external = false;

  const std::string& ha1(sip::DigestAlgorithm alg) const {
    return alg == sip::DigestAlgorithm::kSha256 ? ha1_sha256 : ha1_md5;
  }
};

class CredentialStore {
 public:
  explicit CredentialStore(std::string realm);

  const std::string& realm() const { return realm_; }
  /// Computes both HA1s from `password`; the password is not kept.
  void add(const std::string& number, std::string_view password, bool allow_external);
  /// Stored HA1s (API-created extensions keep only those).
  void add_ha1(const std::string& number, ExtensionCredential credential);
  void clear() { by_number_.clear(); }

  /// nullptr for an unknown extension.
  const ExtensionCredential* find(std::string_view number) const;
  bool contains(std::string_view number) const { return find(number) != nullptr; }
  /// Same shape and cost as a real one; matches no password anyone knows.
  const ExtensionCredential& dummy() const { return dummy_; }
  size_t size() const { return by_number_.size(); }

 private:
  std::string realm_;
  std::unordered_map<std::string, ExtensionCredential> by_number_;
  ExtensionCredential dummy_;
};

/// Extension permissions enforced at routing time (issue 5's router calls
/// this before sending a call to a trunk): only extensions configured with
/// allow_external may call outside numbers; unknown ones never may.
bool may_call_external(const CredentialStore& extensions, std::string_view extension);

}  // namespace switchboard::core
