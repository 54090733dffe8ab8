// features.* (operator console, paging, VIP routing), recording, conference,
// queues, parking, presence, music on hold.
#include <arpa/inet.h>

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "app/config/sections.hpp"

namespace switchboard::app::config {
namespace {

bool is_multicast_ipv4(const std::string& addr) {
  in_addr a{};
  if (inet_pton(AF_INET, addr.c_str(), &a) != 1) return false;
  uint32_t host = ntohl(a.s_addr);
  return (host >> 28) == 0xE;  // 224.0.0.0/4
}

void parse_paging(Section& s, PagingConfig& out) {
  s.boolean("enabled", out.enabled);
  s.one_of("method", out.method, {"multicast", "sip"});
  s.each_entry("zones", [&](const std::string& name, Section& z) {
    PagingZoneConfig zone;
    zone.name = name;
    Need need_mcast = out.method == "multicast" ? Need::kRequired : Need::kOptional;
    if (z.str("multicast_address", zone.multicast_address, need_mcast) &&
        !is_multicast_ipv4(zone.multicast_address)) {
      z.context().error(z.mark_of("multicast_address"), z.path_of("multicast_address"),
                        "expected an IPv4 multicast address (224.0.0.0/4)");
    }
    z.port("multicast_port", zone.multicast_port);
    z.str("sip_uri", zone.sip_uri, out.method == "sip" ? Need::kRequired : Need::kOptional);
    out.zones.push_back(std::move(zone));
  });
  s.finish_unknown_keys();
}

void parse_vip_routing(Section& s, VipRoutingConfig& out) {
  s.boolean("enabled", out.enabled);
  s.each_entry("priority_levels", [&](const std::string& name, Section& p) {
    VipPriorityLevelConfig level;
    if (name != "1" && name != "2" && name != "3") {
      p.context().error(p.mark(), p.path(), "priority level must be 1, 2 or 3");
      return;
    }
    level.level = name[0] - '0';
    p.boolean("skip_queue", level.skip_queue);
    p.str("music_on_hold", level.music_on_hold);
    p.boolean("direct_to_executive", level.direct_to_executive);
    p.boolean("no_voicemail", level.no_voicemail);
    p.boolean("immediate_escalation", level.immediate_escalation);
    out.priority_levels.push_back(std::move(level));
  });
  s.finish_unknown_keys();
}

/// A pattern that does not compile is reported by parse_dialplan: no match.
bool matches(const std::string& pattern, const std::string& text) {
  try {
    return std::regex_match(text, std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::regex_error&) {
    return true;
  }
}

}  // namespace

void parse_features(Section& s, FeaturesConfig& out) {
  s.boolean("call_recording", out.call_recording);
  s.boolean("call_transfer", out.call_transfer);
  s.boolean("call_hold", out.call_hold);
  s.boolean("conference", out.conference);
  s.boolean("voicemail", out.voicemail);
  s.boolean("call_parking", out.call_parking);
  s.boolean("call_queues", out.call_queues);
  s.boolean("presence", out.presence);
  s.boolean("music_on_hold", out.music_on_hold);
  s.integer("max_call_duration", out.max_call_duration, 0, 7 * 86400);
  if (auto oc = s.child("operator_console"); oc.present()) {
    oc.boolean("enabled", out.operator_console.enabled);
    oc.str_list("operator_extensions", out.operator_console.operator_extensions);
    oc.integer("intercept_timeout", out.operator_console.intercept_timeout, 1, 600);
    oc.finish_unknown_keys();
  }
  if (auto p = s.child("paging"); p.present()) parse_paging(p, out.paging);
  if (auto v = s.child("vip_routing"); v.present()) parse_vip_routing(v, out.vip_routing);
  if (auto t = s.child("tones"); t.present()) {
    t.one_of("region", out.tones.region, {"us", "eu"});
    t.finish_unknown_keys();
  }
  if (auto f = s.child("forwarding_codes"); f.present()) {
    parse_forwarding_codes(f, out.forwarding_codes);  // issue 7 §3
  }
  if (auto c = s.child("call_codes"); c.present()) parse_call_codes(c, out.call_codes);  // §2
  s.finish_unknown_keys();
}

void parse_recording(Section& s, RecordingConfig& out) {
  s.boolean("auto_record", out.auto_record);
  s.str("storage_path", out.storage_path);
  s.one_of("format", out.format, {"wav"});
  s.boolean("stereo", out.stereo);
  s.finish_unknown_keys();
}

void parse_conference(Section& s, ConferenceConfig& out, const std::string& conference_pattern) {
  s.integer("max_participants", out.max_participants, 2, 1000);
  s.boolean("record_conferences", out.record_conferences);
  auto pin_ok = [](const std::string& p) {
    return p.size() >= 1 && p.size() <= 12 &&
           std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  s.each_item("rooms", [&](Section& r, size_t) {
    ConferenceRoomConfig room;
    if (r.str("number", room.number, Need::kRequired)) {
      if (!pin_ok(room.number) || room.number.size() > 15) {
        r.context().error(r.mark_of("number"), r.path_of("number"), "expected digits");
      } else if (!matches(conference_pattern, room.number)) {
        r.context().error(
            r.mark_of("number"), r.path_of("number"),
            fmt::format("room {} does not match dialplan.conference_pattern", room.number));
      }
      for (const auto& other : out.rooms) {
        if (other.number == room.number) {
          r.context().error(r.mark_of("number"), r.path_of("number"),
                            fmt::format("duplicate room {}", room.number));
        }
      }
    }
    r.str("name", room.name);
    for (auto [key, pin] :
         {std::pair{"pin", &room.pin}, std::pair{"moderator_pin", &room.moderator_pin}}) {
      if (r.secret(key, *pin) && !pin_ok(pin->reveal())) {
        r.context().error(r.mark_of(key), r.path_of(key), "expected 1 to 12 digits");
      }
    }
    if (!room.pin.empty() && room.pin == room.moderator_pin) {
      r.context().error(r.mark_of("moderator_pin"), r.path_of("moderator_pin"),
                        "must differ from pin");
    }
    r.finish_unknown_keys();
    out.rooms.push_back(std::move(room));
  });
  s.finish_unknown_keys();
}

void parse_queues(Section& root, std::vector<QueueConfig>& out) {
  root.each_item("queues", [&](Section& s, size_t) {
    QueueConfig q;
    s.str("number", q.number, Need::kRequired);
    s.str("name", q.name);
    s.one_of("strategy", q.strategy,
             {"ring_all", "round_robin", "least_recent", "fewest_calls", "random"});
    s.integer("max_wait_time", q.max_wait_time, 1, 86400);
    s.str_list("agents", q.agents);
    for (const auto& other : out) {
      if (!q.number.empty() && other.number == q.number) {
        s.context().error(s.mark_of("number"), s.path_of("number"),
                          fmt::format("duplicate queue {}", q.number));
      }
    }
    out.push_back(std::move(q));
  });
}

void parse_parking(Section& s, ParkingConfig& out) {
  s.integer("range_start", out.range_start, 0, 99999);
  s.integer("range_end", out.range_end, 0, 99999);
  if (out.range_end < out.range_start) {
    s.context().error(s.mark_of("range_end"), s.path_of("range_end"),
                      "must not be below range_start");
  }
  s.integer("timeout", out.timeout, 1, 86400);
  s.finish_unknown_keys();
}

void parse_presence(Section& s, PresenceConfig& out) {
  s.integer("auto_away_timeout", out.auto_away_timeout, 0, 86400 * 7);
  s.integer("auto_offline_timeout", out.auto_offline_timeout, 0, 86400 * 7);
  s.finish_unknown_keys();
}

void parse_music_on_hold(Section& s, MusicOnHoldConfig& out) {
  s.str("directory", out.directory);
  s.str("default_class", out.default_class);
  s.finish_unknown_keys();
}

}  // namespace switchboard::app::config
