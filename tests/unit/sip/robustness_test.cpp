// Deterministic mutation test: every RFC 4475 message, truncated and with
// bytes flipped, goes through the whole receive path. Under the ASan/UBSan
// build this is the quick, always-on complement of the libFuzzer targets.
#include <gtest/gtest.h>

#include <random>

#include "sip/message_headers.hpp"
#include "sip/screen.hpp"
#include "sip/serializer.hpp"
#include "test_util.hpp"

namespace switchboard::sip {
namespace {

constexpr const char* kNames[] = {
    "wsinv",    "intmeth",    "esc01",      "escnull",  "esc02",     "lwsdisp",  "longreq",
    "dblreq",   "semiuri",    "transports", "mpart01",  "unreason",  "noreason", "badinv01",
    "clerr",    "ncl",        "scalar02",   "scalarlg", "quotbal",   "ltgtruri", "lwsruri",
    "lwsstart", "trws",       "escruri",    "baddate",  "regbadct",  "badaspec", "baddn",
    "badvers",  "mismatch01", "mismatch02", "bigcode",  "badbranch", "insuf",    "unkscm",
    "novelsc",  "unksm2",     "bext01",     "invut",    "regaut01",  "multi01",  "mcl01",
    "bcast",    "zeromf",     "cparam01",   "cparam02", "regescrt",  "sdp01",    "inv2543"};

// Touches every typed accessor so that their parsers see the mutated values.
void read_everything(const Message& m) {
  (void)get_vias(m);
  (void)get_top_via(m);
  (void)get_from(m);
  (void)get_to(m);
  (void)get_call_id(m);
  (void)get_cseq(m);
  (void)get_contacts(m);
  (void)get_name_addrs(m, HeaderId::kRoute);
  (void)get_name_addrs(m, HeaderId::kRecordRoute);
  (void)get_accept(m);
  (void)get_content_type(m);
  (void)get_tokens(m, HeaderId::kRequire);
  (void)get_auth_headers(m, HeaderId::kAuthorization);
  if (m.is_request()) (void)parse_uri(m.request_uri());
}

TEST(Robustness, MutatedTortureMessagesNeverCrash) {
  std::mt19937 rng(4475);
  ValidationPolicy policy;
  int processed = 0;
  for (const char* name : kNames) {
    const std::string original = test::torture_bytes(name);
    for (int round = 0; round < 200; ++round) {
      std::string bytes = original;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int i = 0; i < flips; ++i) {
        const std::size_t at = rng() % bytes.size();
        static constexpr char kNasty[] = {'\r', '\n', ' ', ':', ';',  ',', '"', '<',
                                          '>',  '\\', '%', '@', '\0', '=', '?', '\t'};
        bytes[at] = (rng() % 2) ? kNasty[rng() % sizeof(kNasty)] : static_cast<char>(rng());
      }
      if (rng() % 4 == 0) bytes.resize(rng() % bytes.size());
      Screened s = screen_message(bytes, policy);
      if (s.message) {
        read_everything(*s.message);
        // Whatever was accepted re-serializes into something that parses.
        Result<Message> again = parse_message(serialize(*s.message), {}, Framing::kStream);
        ASSERT_TRUE(again.ok()) << name << " round " << round;
        EXPECT_EQ(again->header_count() >= s.message->header_count(), true);
        ++processed;
      }
      if (s.response) {
        EXPECT_TRUE(parse_message(serialize(*s.response), {}, Framing::kStream).ok());
      }
    }
  }
  EXPECT_GT(processed, 0);
}

}  // namespace
}  // namespace switchboard::sip
