#include "sdp/relay.hpp"

#include "sdp/hold.hpp"
#include "sdp/media_rules.hpp"
#include "sdp/negotiation.hpp"
#include "sdp/rewrite.hpp"

namespace switchboard::sdp {
namespace {

// A's offered stream as B should see it, or nullopt when the PBX cannot carry it.
std::optional<MediaDescription> relay_stream(const SessionDescription& offer_a,
                                             const MediaDescription& in,
                                             const MediaConfig& config) {
  if (!can_carry(in)) return std::nullopt;
  std::vector<Codec> offered = codecs_of(in);
  std::vector<Codec> kept = supported_codecs(offered, config);
  if (kept.empty()) return std::nullopt;
  MediaDescription out;
  out.media = in.media;
  out.port = in.port;
  out.protocol = in.protocol;
  std::vector<Codec> used = kept;
  if (config.telephone_event) {
    bool any_te = false;
    for (const Codec& c : offered) {
      if (!c.is_telephone_event()) continue;
      any_te = true;
      used.push_back(c);
    }
    if (!any_te) {
      if (auto te = new_telephone_event(used, kept[0].clock_rate, config)) used.push_back(*te);
    }
  }
  for (const Codec& c : used) add_codec(out, c);
  out.ptime = in.ptime;
  out.maxptime = in.maxptime;
  out.rtcp = in.rtcp;
  out.rtcp_mux = in.rtcp_mux;
  out.lines = in.lines;
  out.attributes = in.attributes;
  drop_transport_attributes(out.attributes);
  out.direction = declared_direction(offer_a, in);
  return out;
}

// A's codec for B's answered one (same name, rate, channels), or nullptr.
const Codec* in_offer(const std::vector<Codec>& offer_a, const Codec& answered) {
  for (const Codec& c : offer_a) {
    if (iequals(c.name, answered.name) && c.clock_rate == answered.clock_rate &&
        c.channels == answered.channels) {
      return &c;
    }
  }
  return nullptr;
}

}  // namespace

Result<SessionDescription> relay_offer(const SessionDescription& offer_a, const MediaConfig& config,
                                       const std::vector<std::uint16_t>& ports_b,
                                       LocalSession& session_b) {
  SessionDescription out = local_skeleton(config);
  out.lines = offer_a.lines;
  out.attributes = offer_a.attributes;
  drop_transport_attributes(out.attributes);
  bool any = false;
  for (const MediaDescription& in : offer_a.media) {
    std::optional<MediaDescription> m = relay_stream(offer_a, in, config);
    any = any || m.has_value();
    out.media.push_back(m ? std::move(*m) : rejected_line(in));
  }
  if (!any) {
    return make_error(ErrorCode::kFailedPrecondition, "no common codec in any offered stream");
  }
  Status rewritten = rewrite_to_local(out, config, ports_b);
  if (!rewritten.ok()) return rewritten.error();
  session_b.stamp(out);
  return out;
}

Result<RelayAnswer> relay_answer(const SessionDescription& offer_a,
                                 const SessionDescription& offer_b,
                                 const SessionDescription& answer_b, const MediaConfig& config,
                                 const std::vector<std::uint16_t>& ports_a,
                                 LocalSession& session_a) {
  if (ports_a.size() != offer_a.media.size()) {
    return make_error(ErrorCode::kInvalidArgument, "one port per m= line is needed");
  }
  if (offer_b.media.size() != offer_a.media.size()) {
    return make_error(ErrorCode::kInvalidArgument, "offer_b was not made from offer_a");
  }
  auto leg_b = apply_answer(offer_b, answer_b);
  if (!leg_b.ok()) return leg_b.error();
  RelayAnswer result{local_skeleton(config), {}, std::move(leg_b).value()};
  for (std::size_t i = 0; i < offer_a.media.size(); ++i) {
    const MediaDescription& in = offer_a.media[i];
    const StreamParams& b = result.leg_b[i];
    std::vector<Codec> offered = codecs_of(in);
    std::vector<Codec> agreed;
    for (const Codec& c : b.codecs) {
      if (const Codec* a = in_offer(offered, c)) {
        agreed.push_back(*a);
        agreed.back().fmtp = c.fmtp;  // B's parameters: A sends to B through us
      }
    }
    if (!b.active || in.port == 0 || agreed.empty()) {
      result.answer_a.media.push_back(rejected_line(in));
      result.leg_a.push_back(rejected_stream(in, i));
      continue;
    }
    const MediaDescription& bm = answer_b.media[i];
    std::optional<Codec> te = offered_telephone_event(offered, agreed[0].clock_rate, config);
    MediaDescription out;
    out.media = in.media;
    out.port = ports_a[i];
    out.protocol = in.protocol;
    for (const Codec& c : agreed) add_codec(out, c);
    if (te) add_codec(out, *te);
    out.ptime = bm.ptime ? bm.ptime : in.ptime;
    out.maxptime = bm.maxptime;
    Direction allowed = answer_direction(declared_direction(offer_a, in));
    Direction from_b = b.direction;
    out.direction =
        make_direction(sends(allowed) && sends(from_b), receives(allowed) && receives(from_b));
    out.rtcp_mux = in.rtcp_mux;
    if (in.rtcp) out.rtcp = RtcpAttribute{};
    out.attributes = bm.attributes;
    drop_transport_attributes(out.attributes);
    result.answer_a.media.push_back(std::move(out));
    result.leg_a.push_back(describe_remote(offer_a, i, std::move(agreed), te, in.rtcp_mux));
  }
  Status rewritten = rewrite_to_local(result.answer_a, config, ports_a);
  if (!rewritten.ok()) return rewritten.error();
  session_a.stamp(result.answer_a);
  return result;
}

}  // namespace switchboard::sdp
