// A minimal user agent built only on Switchboard's SIP stack (transport,
// transactions, dialogs), for interoperability tests against real peers:
//   uas: answers INVITE (180, then 200 with SDP, retransmitted until ACK),
//        BYE and OPTIONS with 200, on UDP/TCP/TLS;
//   uac: places --calls calls at --rate calls/s to --target, holds each for
//        --hold-ms, hangs up with BYE; exits 0 only if every call succeeded.
#include <csignal>
#include <iostream>
#include <map>
#include <memory>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <fmt/format.h>

#include "common/log.hpp"
#include "common/timers.hpp"
#include "sip/builder.hpp"
#include "sip/dialog/answer_retransmitter.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/next_hop.hpp"
#include "sip/dialog/uac_invite.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace sip = switchboard::sip;
namespace asio = boost::asio;
using switchboard::AsioTimers;
using switchboard::Duration;

namespace {

std::string sdp(const std::string& ip, int port) {
  return fmt::format(
      "v=0\r\no=agent 1 1 IN IP4 {0}\r\ns=-\r\nc=IN IP4 {0}\r\nt=0 0\r\n"
      "m=audio {1} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
      "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n",
      ip, port);
}

struct Options {
  std::string mode, ip = "127.0.0.1", target, transport = "udp", cert, key;
  int udp = -1, tcp = -1, tls = -1, calls = 1, rate = 10, hold_ms = 100;
};

struct UasCall {
  sip::Dialog dialog;
  std::unique_ptr<sip::AnswerRetransmitter> retx;
};

class Agent {
 public:
  explicit Agent(Options o)
      : o_(std::move(o)),
        timers_(io_),
        transport_(io_, transport_options()),
        layer_(timers_,
               [this](const sip::Destination& d, std::string b, sip::TransportLayer::SendDone done) {
                 transport_.send(d, std::move(b), std::move(done));
               },
               layer_options()) {
    transport_.set_handler([this](std::string b, const sip::Source& s) {
      layer_.receive(std::move(b), s);
    });
    sip::TransactionUser tu;
    tu.request = [this](const sip::ServerTransactionPtr& t) { on_request(t); };
    tu.ack = [this](const sip::Message& ack, const sip::Source&) { on_ack(ack); };
    tu.stray_response = [this](const sip::Message& r, const sip::Source&) {
      for (auto& [id, c] : uac_calls_) c->on_stray_response(r);
    };
    layer_.set_user(tu);
  }

  int run() {
    if (o_.udp >= 0 && !listen(sip::Protocol::kUdp, o_.udp)) return 2;
    if (o_.tcp >= 0 && !listen(sip::Protocol::kTcp, o_.tcp)) return 2;
    if (o_.tls >= 0 && !listen(sip::Protocol::kTls, o_.tls)) return 2;
    std::cout << "READY" << std::endl;
    asio::signal_set signals(io_, SIGINT, SIGTERM);
    signals.async_wait([this](auto, int) { io_.stop(); });
    if (o_.mode == "uac") place_next(0);
    io_.run();
    std::cout << fmt::format("answered={} byes={} options={} acks={} calls_ok={} calls_failed={}",
                             answered_, byes_, options_, acks_, ok_, failed_)
              << std::endl;
    if (o_.mode == "uac") return (ok_ == o_.calls && failed_ == 0) ? 0 : 1;
    return 0;
  }

 private:
  sip::TransportOptions transport_options() {
    sip::TransportOptions t;
    if (!o_.cert.empty()) {
      auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls);
      ctx->set_options(asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
      ctx->use_certificate_chain_file(o_.cert);
      ctx->use_private_key_file(o_.key.empty() ? o_.cert : o_.key, asio::ssl::context::pem);
      t.tls = ctx;
    }
    return t;
  }

  sip::TransactionLayerOptions layer_options() {
    sip::TransactionLayerOptions l;
    l.sent_by = [this](sip::Protocol p) {
      int port = p == sip::Protocol::kUdp ? ports_[0] : p == sip::Protocol::kTcp ? ports_[1]
                                                                                  : ports_[2];
      return fmt::format("{}:{}", o_.ip, port);
    };
    return l;
  }

  bool listen(sip::Protocol p, int port) {
    auto r = transport_.listen(p, o_.ip, static_cast<uint16_t>(port));
    if (!r.ok()) {
      std::cerr << r.error().message << "\n";
      return false;
    }
    ports_[static_cast<int>(p)] = *r;
    std::cout << fmt::format("LISTEN {} {}", sip::to_string(p), *r) << std::endl;
    return true;
  }

  std::string contact(sip::Protocol p) {
    int port = ports_[static_cast<int>(p)];
    return fmt::format("<sip:agent@{}:{}{}>", o_.ip, port,
                       p == sip::Protocol::kTcp   ? ";transport=tcp"
                       : p == sip::Protocol::kTls ? ";transport=tls"
                                                  : "");
  }

  // --- UAS ---------------------------------------------------------------------
  void on_request(const sip::ServerTransactionPtr& txn) {
    const sip::Message& req = txn->request();
    auto method = req.method();
    if (method == "OPTIONS") {
      ++options_;
      auto r = sip::make_response(req, 200, "OK", sip::random_hex(4));
      r.add_header(sip::HeaderId::kAllow, "INVITE, ACK, BYE, CANCEL, OPTIONS");
      r.add_header("Accept", "application/sdp");
      txn->respond(std::move(r));
    } else if (method == "INVITE") {
      answer(txn);
    } else if (method == "BYE") {
      auto it = uas_calls_.find(std::string(req.value(sip::HeaderId::kCallId).value_or("")));
      if (it == uas_calls_.end()) {
        ends_uac_call(txn);
        return;
      }
      ++byes_;
      uas_calls_.erase(it);
      txn->respond(sip::make_response(req, 200, "OK"));
    } else {
      txn->respond(sip::make_response(req, 501, "Not Implemented", sip::random_hex(4)));
    }
  }

  void ends_uac_call(const sip::ServerTransactionPtr& txn) {
    auto call_id = std::string(txn->request().value(sip::HeaderId::kCallId).value_or(""));
    int code = uac_calls_.erase(call_id) ? 200 : 481;
    txn->respond(sip::make_response(txn->request(), code, code == 200 ? "OK" : "Call Does Not Exist"));
  }

  void answer(const sip::ServerTransactionPtr& txn) {
    const sip::Message& req = txn->request();
    std::string call_id(req.value(sip::HeaderId::kCallId).value_or(""));
    if (uas_calls_.count(call_id)) {  // re-INVITE: same answer
      auto r = sip::make_response(req, 200, "OK");
      r.add_header(sip::HeaderId::kContact, contact(txn->source().protocol));
      sip::set_body(r, "application/sdp", sdp(o_.ip, 40000));
      txn->respond(std::move(r));
      return;
    }
    std::string tag = sip::random_hex(6);
    auto dialog = sip::Dialog::from_request(req, tag, contact(txn->source().protocol));
    if (!dialog.ok()) {
      txn->respond(sip::make_response(req, 400, "Bad Request", tag));
      return;
    }
    txn->respond(sip::make_response(req, 180, "Ringing", tag));
    auto ok = sip::make_response(req, 200, "OK", tag);
    ok.add_header(sip::HeaderId::kContact, contact(txn->source().protocol));
    sip::set_body(ok, "application/sdp", sdp(o_.ip, 40000));
    txn->respond(ok);
    ++answered_;
    auto dest = sip::TransactionLayer::response_destination(req, txn->source());
    auto call = std::make_unique<UasCall>(UasCall{std::move(*dialog), nullptr});
    call->retx = std::make_unique<sip::AnswerRetransmitter>(
        timers_, layer_.options().timers,
        [this, ok, dest] { layer_.send_stateless(ok, dest); },
        [this, call_id] { uas_calls_.erase(call_id); });
    call->retx->start();
    uas_calls_[call_id] = std::move(call);
  }

  void on_ack(const sip::Message& ack) {
    auto it = uas_calls_.find(std::string(ack.value(sip::HeaderId::kCallId).value_or("")));
    if (it == uas_calls_.end()) return;
    ++acks_;
    it->second->retx->acked();
  }

  // --- UAC ---------------------------------------------------------------------
  void place_next(int n) {
    if (n >= o_.calls) return;
    auto target = sip::resolve_next_hop(o_.target);
    if (!target.ok()) {
      std::cerr << target.error().message << "\n";
      io_.stop();
      return;
    }
    sip::Protocol p = target->protocol;
    std::string call_id = sip::random_hex(10) + "@agent";
    sip::RequestParams rp;
    rp.method = "INVITE";
    rp.request_uri = o_.target;
    std::string from = fmt::format("<sip:agent@{}>", o_.ip);
    rp.from = from;
    std::string from_tag = sip::random_hex(4);
    rp.from_tag = from_tag;
    std::string to = "<" + o_.target + ">";
    rp.to = to;
    rp.call_id = call_id;
    rp.cseq = 1;
    std::string c = contact(p);
    rp.contact = c;
    std::string body = sdp(o_.ip, 30000 + 2 * (n % 10000));
    rp.content_type = "application/sdp";
    rp.body = body;
    sip::Message invite = sip::make_request(rp);
    invite.remove_headers(sip::HeaderId::kVia);  // the transaction layer adds ours
    sip::UacInvite::Handlers h;
    h.answered = [this, call_id, p](sip::Dialog& d, const sip::Message&) {
      auto bye = d.make_request("BYE");
      auto dest = sip::resolve_next_hop(d.next_hop_uri());
      timers_.schedule(Duration(o_.hold_ms), [this, bye, dest, call_id]() mutable {
        if (!dest.ok()) return finish(call_id, false);
        sip::ClientTransaction::Handlers bh;
        bh.response = [this, call_id](const sip::Message& r) {
          if (r.status_code() >= 200) finish(call_id, r.status_code() < 300);
        };
        bh.failure = [this, call_id](auto) { finish(call_id, false); };
        layer_.send_request(bye, *dest, bh);
      });
    };
    h.rejected = [this, call_id](const sip::Message&) { finish(call_id, false); };
    h.failed = [this, call_id](auto) { finish(call_id, false); };
    auto call = std::make_shared<sip::UacInvite>(layer_, invite, *target, h);
    uac_calls_[call_id] = call;
    call->start();
    timers_.schedule(Duration(1000 / std::max(1, o_.rate)), [this, n] { place_next(n + 1); });
  }

  void finish(const std::string& call_id, bool ok) {
    ok ? ++ok_ : ++failed_;
    // Keep the call a little for 2xx retransmissions, then drop it.
    timers_.schedule(Duration(2000), [this, call_id] { uac_calls_.erase(call_id); });
    if (ok_ + failed_ == o_.calls) timers_.schedule(Duration(200), [this] { io_.stop(); });
  }

  Options o_;
  asio::io_context io_;
  AsioTimers timers_;
  sip::TransportLayer transport_;
  sip::TransactionLayer layer_;
  int ports_[3] = {0, 0, 0};
  std::map<std::string, std::unique_ptr<UasCall>> uas_calls_;
  std::map<std::string, std::shared_ptr<sip::UacInvite>> uac_calls_;
  int answered_ = 0, byes_ = 0, options_ = 0, acks_ = 0, ok_ = 0, failed_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"SIP test agent on Switchboard's stack"};
  app.add_option("mode", o.mode, "uas or uac")->required()->check(CLI::IsMember({"uas", "uac"}));
  app.add_option("--ip", o.ip);
  app.add_option("--udp", o.udp, "UDP port (0: any)");
  app.add_option("--tcp", o.tcp, "TCP port (0: any)");
  app.add_option("--tls", o.tls, "TLS port (0: any)");
  app.add_option("--cert", o.cert, "PEM certificate (and key) for TLS");
  app.add_option("--key", o.key);
  app.add_option("--target", o.target, "uac: Request-URI to call");
  app.add_option("--calls", o.calls);
  app.add_option("--rate", o.rate, "calls per second");
  app.add_option("--hold-ms", o.hold_ms);
  CLI11_PARSE(app, argc, argv);
  switchboard::log::Settings ls;
  ls.level = "warning";
  (void)switchboard::log::configure(ls);
  return Agent(o).run();
}
