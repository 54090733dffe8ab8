// libFuzzer target: the SIP message parser and everything that reads a parsed
// message (typed headers, validation, re-serialisation). Invariant: a message
// that parses serialises to text that parses again with the same start line.
#include <cstdint>
#include <string>
#include <vector>

#include "sip/contact.hpp"
#include "sip/cseq.hpp"
#include "sip/name_addr.hpp"
#include "sip/parser.hpp"
#include "sip/serializer.hpp"
#include "sip/validator.hpp"
#include "sip/via.hpp"

using namespace switchboard::sip;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  for (Framing framing : {Framing::kDatagram, Framing::kStream}) {
    auto m = parse_message(text, {}, framing);
    if (!m.ok()) {
      (void)parse_message_leniently(text);
      continue;
    }
    for (auto v : m->values(HeaderId::kVia)) {
      std::vector<Via> vias;
      (void)parse_via_list(v, vias);
    }
    for (HeaderId id : {HeaderId::kFrom, HeaderId::kTo}) {
      if (auto v = m->value(id)) (void)parse_name_addr(*v);
    }
    if (auto v = m->value(HeaderId::kContact)) {
      std::vector<Contact> contacts;
      (void)parse_contact_list(*v, contacts);
    }
    if (auto v = m->value(HeaderId::kCSeq)) (void)parse_cseq(*v);
    if (m->is_request()) (void)validate_request(*m, ValidationPolicy{});
    std::string again = serialize(*m);
    auto reparsed = parse_message(again, {}, Framing::kStream);
    if (!reparsed.ok() || reparsed->is_request() != m->is_request() ||
        reparsed->method() != m->method() || reparsed->status_code() != m->status_code()) {
      __builtin_trap();  // the serializer produced something the parser rejects
    }
  }
  return 0;
}
