#include "sdp/negotiation.hpp"

#include <algorithm>

#include "sdp/hold.hpp"
#include "sdp/media_rules.hpp"
#include "sdp/rewrite.hpp"

namespace switchboard::sdp {
namespace {

Error no_agreement(std::string what) {
  return make_error(ErrorCode::kFailedPrecondition, std::move(what));
}

bool offered(const std::vector<Codec>& ours, const Codec& answered) {
  return std::any_of(ours.begin(), ours.end(), [&answered](const Codec& c) {
    return iequals(c.name, answered.name) && c.clock_rate == answered.clock_rate &&
           c.channels == answered.channels;
  });
}

}  // namespace

Result<SessionDescription> make_offer(const MediaConfig& config, std::uint16_t port,
                                      LocalSession& session, Direction direction) {
  SessionDescription sd = local_skeleton(config);
  MediaDescription m;
  m.media = "audio";
  m.port = port;
  m.protocol = "RTP/AVP";
  std::vector<Codec> used;
  int next_dynamic = 96;
  for (const CodecSpec& spec : config.codecs) {
    std::optional<int> pt = static_payload_type(spec);
    if (!pt) {
      if (next_dynamic == config.telephone_event_payload_type) ++next_dynamic;
      if (next_dynamic > 127) continue;
      pt = next_dynamic++;
    }
    used.push_back(Codec{*pt, spec.name, spec.clock_rate, spec.channels, spec.fmtp});
  }
  if (used.empty()) return no_agreement("no codecs configured");
  if (auto te = new_telephone_event(used, 8000, config)) used.push_back(*te);
  for (const Codec& c : used) add_codec(m, c);
  m.ptime = config.ptime;
  m.direction = direction;
  sd.media.push_back(std::move(m));
  Status rewritten = rewrite_to_local(sd, config, {port});
  if (!rewritten.ok()) return rewritten.error();
  session.stamp(sd);
  return sd;
}

Result<Answer> answer_offer(const SessionDescription& offer, const MediaConfig& config,
                            const std::vector<std::uint16_t>& ports, LocalSession& session,
                            Direction local) {
  if (ports.size() != offer.media.size()) {
    return make_error(ErrorCode::kInvalidArgument, "one port per m= line is needed");
  }
  Answer answer{local_skeleton(config), {}};
  bool any = false;
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    const MediaDescription& in = offer.media[i];
    std::vector<Codec> offered_codecs = codecs_of(in);
    std::vector<Codec> agreed =
        can_carry(in) ? supported_codecs(offered_codecs, config) : std::vector<Codec>{};
    if (agreed.empty()) {
      answer.sdp.media.push_back(rejected_line(in));
      answer.streams.push_back(rejected_stream(in, i));
      continue;
    }
    any = true;
    std::optional<Codec> te = offered_telephone_event(offered_codecs, agreed[0].clock_rate, config);
    MediaDescription out;
    out.media = in.media;
    out.port = ports[i];
    out.protocol = in.protocol;
    for (const Codec& c : agreed) add_codec(out, c);
    if (te) add_codec(out, *te);
    out.ptime = in.ptime ? in.ptime : std::optional<std::uint32_t>(config.ptime);
    out.direction = answer_direction(declared_direction(offer, in), local);
    out.rtcp_mux = in.rtcp_mux;
    if (in.rtcp) out.rtcp = RtcpAttribute{};
    answer.sdp.media.push_back(std::move(out));
    answer.streams.push_back(describe_remote(offer, i, std::move(agreed), te, in.rtcp_mux));
  }
  if (!any) return no_agreement("no common codec in any offered stream");
  Status rewritten = rewrite_to_local(answer.sdp, config, ports);
  if (!rewritten.ok()) return rewritten.error();
  session.stamp(answer.sdp);
  return answer;
}

Result<LegMedia> apply_answer(const SessionDescription& offer, const SessionDescription& answer) {
  if (answer.media.size() != offer.media.size()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the answer has " + std::to_string(answer.media.size()) +
                          " m= lines for an offer of " + std::to_string(offer.media.size()));
  }
  LegMedia streams;
  bool any = false;
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    const MediaDescription& ours = offer.media[i];
    const MediaDescription& theirs = answer.media[i];
    if (!iequals(ours.media, theirs.media)) {
      return make_error(ErrorCode::kInvalidArgument,
                        "m= line " + std::to_string(i + 1) + " changed its media type");
    }
    if (ours.port == 0 || theirs.port == 0) {
      streams.push_back(rejected_stream(theirs, i));
      continue;
    }
    std::vector<Codec> our_codecs = codecs_of(ours);
    std::vector<Codec> agreed;
    std::vector<Codec> answered = codecs_of(theirs);
    for (const Codec& c : answered) {
      if (!c.is_telephone_event() && offered(our_codecs, c)) agreed.push_back(c);
    }
    if (agreed.empty()) {
      return no_agreement("the answer's m= line " + std::to_string(i + 1) +
                          " has none of the offered codecs");
    }
    any = true;
    std::optional<Codec> te;
    if (telephone_event_for(our_codecs, agreed[0].clock_rate)) {
      if (const Codec* t = telephone_event_for(answered, agreed[0].clock_rate)) te = *t;
    }
    bool mux = ours.rtcp_mux && theirs.rtcp_mux;
    streams.push_back(describe_remote(answer, i, std::move(agreed), te, mux));
  }
  if (!any) return no_agreement("the answer accepted no stream");
  return streams;
}

}  // namespace switchboard::sdp
