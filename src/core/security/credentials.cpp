#include "core/security/credentials.hpp"

#include "sip/builder.hpp"

namespace switchboard::core {

CredentialStore::CredentialStore(std::string realm) : realm_(std::move(realm)) {
  // A random password nobody knows: verifying against it fails the same
  // way, and takes the same time, as verifying a wrong password.
  const std::string nobody = sip::random_hex(16);
  dummy_.ha1_md5 = sip::compute_ha1(sip::DigestAlgorithm::kMd5, "nobody", realm_, nobody);
  dummy_.ha1_sha256 = sip::compute_ha1(sip::DigestAlgorithm::kSha256, "nobody", realm_, nobody);
}

void CredentialStore::add(const std::string& number, std::string_view password,
                          bool allow_external) {
  ExtensionCredential c;
  c.ha1_md5 = sip::compute_ha1(sip::DigestAlgorithm::kMd5, number, realm_, password);
  c.ha1_sha256 = sip::compute_ha1(sip::DigestAlgorithm::kSha256, number, realm_, password);
  c.allow_external = allow_external;
  by_number_[number] = std::move(c);
}

void CredentialStore::add_ha1(const std::string& number, ExtensionCredential credential) {
  by_number_[number] = std::move(credential);
}

const ExtensionCredential* CredentialStore::find(std::string_view number) const {
  auto it = by_number_.find(std::string(number));
  return it == by_number_.end() ? nullptr : &it->second;
}

bool may_call_external(const CredentialStore& extensions, std::string_view extension) {
  const auto* c = extensions.find(extension);
  return c != nullptr && c->allow_external;
}

}  // namespace switchboard::core
