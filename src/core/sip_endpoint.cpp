#include "core/sip_endpoint.hpp"

#include <boost/asio/ssl/context.hpp>
#include <fmt/format.h>

#include "common/log.hpp"
#include "sip/builder.hpp"

namespace switchboard::core {

namespace asio = boost::asio;

namespace {

// Always answered, whatever features are on: ACK/CANCEL by the transaction
// layer, OPTIONS here.
constexpr const char* kBaseMethods[] = {"ACK", "CANCEL", "OPTIONS"};

}  // namespace

SipEndpoint::SipEndpoint(asio::io_context& io, Timers& timers, SipEndpointOptions options)
    : io_(io), timers_(timers), options_(std::move(options)) {}

SipEndpoint::~SipEndpoint() { stop(); }

uint16_t SipEndpoint::port(sip::Protocol p) const { return ports_[static_cast<int>(p)]; }

Status SipEndpoint::start() {
  sip::TransportOptions topts;
  topts.dscp = options_.dscp;
  if (options_.tls) {
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls);
    ctx->set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                     asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    ctx->use_certificate_chain_file(options_.tls_cert_file, ec);
    if (!ec) ctx->use_private_key_file(options_.tls_key_file, asio::ssl::context::pem, ec);
    if (ec) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("TLS certificate/key ({}, {}): {}", options_.tls_cert_file,
                                    options_.tls_key_file, ec.message()));
    }
    topts.tls = ctx;
  }
  transport_ = std::make_unique<sip::TransportLayer>(io_, topts);

  sip::TransactionLayerOptions lopts;
  lopts.timers = options_.timers;
  lopts.policy.reject_zero_max_forwards = true;  // we forward calls (B2BUA)
  lopts.policy.registrar = true;                 // and register phones
  // Bodies the B2BUA relays in-dialog (INFO DTMF, MESSAGE text) besides SDP.
  lopts.policy.content_types = {"application/sdp", "application/dtmf-relay", "application/dtmf",
                                "text/plain"};
  std::string adv = options_.advertised_host;
  if (adv.empty()) adv = options_.host == "0.0.0.0" || options_.host == "::" ? "127.0.0.1"
                                                                               : options_.host;
  if (adv.find(':') != std::string::npos && adv.front() != '[') adv = "[" + adv + "]";
  lopts.sent_by = [this, adv](sip::Protocol p) { return fmt::format("{}:{}", adv, port(p)); };
  lopts.server_header = options_.user_agent;
  layer_ = std::make_unique<sip::TransactionLayer>(
      timers_,
      [this](const sip::Destination& d, std::string bytes, sip::TransportLayer::SendDone done) {
        transport_->send(d, std::move(bytes), std::move(done));
      },
      lopts);
  transport_->set_handler([this](std::string bytes, const sip::Source& from) {
    if (source_filter_ && !source_filter_(from)) return;
    layer_->receive(std::move(bytes), from);
  });
  sip::TransactionUser tu = dialog_user_;
  tu.request = [this](const sip::ServerTransactionPtr& t) { on_request(t); };
  layer_->set_user(tu);

  auto bind = [&](sip::Protocol p, uint16_t port) -> Status {
    auto r = transport_->listen(p, options_.host, port);
    if (!r.ok()) return r.error();
    ports_[static_cast<int>(p)] = *r;
    listening_.push_back(fmt::format("{} {}:{}", sip::to_string(p), options_.host, *r));
    return Status::Ok();
  };
  if (auto st = bind(sip::Protocol::kUdp, options_.port); !st.ok()) return st;
  // TCP on the same port as UDP (RFC 3261 §18); with port 0, UDP's pick.
  if (auto st = bind(sip::Protocol::kTcp, port(sip::Protocol::kUdp)); !st.ok()) return st;
  if (options_.tls) {
    if (auto st = bind(sip::Protocol::kTls, options_.tls_port); !st.ok()) return st;
  }
  return Status::Ok();
}

void SipEndpoint::stop() {
  if (transport_) transport_->close_all();
}

void SipEndpoint::handle(const std::string& method, RequestHandler handler) {
  handlers_[method] = std::move(handler);
}

void SipEndpoint::set_dialog_user(sip::TransactionUser user) {
  dialog_user_ = std::move(user);
  if (layer_) {
    sip::TransactionUser tu = dialog_user_;
    tu.request = [this](const sip::ServerTransactionPtr& t) { on_request(t); };
    layer_->set_user(tu);
  }
}

std::string SipEndpoint::allow() const {
  std::string out;
  for (const char* m : kBaseMethods) out += std::string(out.empty() ? "" : ", ") + m;
  for (const auto& [m, h] : handlers_) {
    if (m != "OPTIONS") out += ", " + m;
  }
  return out;
}

void SipEndpoint::on_request(const sip::ServerTransactionPtr& txn) {
  if (request_filter_ && request_filter_(txn)) return;
  std::string method(txn->request().method());
  if (auto it = handlers_.find(method); it != handlers_.end()) return it->second(txn);
  if (method == "OPTIONS") return answer_options(txn);
  auto r = sip::make_response(txn->request(), 405, "Method Not Allowed", sip::random_hex(6));
  r.add_header(sip::HeaderId::kAllow, allow());
  txn->respond(std::move(r));
}

void SipEndpoint::answer_options(const sip::ServerTransactionPtr& txn) {
  // RFC 3261 §11.2: what we would answer to an INVITE, with our capabilities.
  auto r = sip::make_response(txn->request(), 200, "OK", sip::random_hex(6));
  r.add_header(sip::HeaderId::kAllow, allow());
  r.add_header("Accept", "application/sdp");
  r.add_header("Accept-Encoding", "identity");
  r.add_header("Accept-Language", "en");
  r.add_header(sip::HeaderId::kSupported, "replaces, timer, path, outbound");
  r.add_header("Server", options_.user_agent);
  txn->respond(std::move(r));
}

}  // namespace switchboard::core
