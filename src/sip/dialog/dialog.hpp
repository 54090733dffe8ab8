// A SIP dialog (RFC 3261 §12): the peer-to-peer relationship an INVITE (or
// SUBSCRIBE/REFER) creates. Holds the dialog id, the CSeq spaces, the route
// set and the remote target, and builds in-dialog requests from them.
// States: Early (1xx with To tag) → Confirmed (2xx) → Terminated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sip/message.hpp"

namespace switchboard::sip {

struct DialogId {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;
  bool operator==(const DialogId&) const = default;
  std::string str() const { return call_id + ";" + local_tag + ";" + remote_tag; }
};

class Dialog {
 public:
  enum class State { kEarly, kConfirmed, kTerminated };
  enum class Role { kUac, kUas };

  /// UAC side (§12.1.2): from our request and a 1xx-with-To-tag or 2xx response.
  static Result<Dialog> from_response(const Message& request, const Message& response);
  /// UAS side (§12.1.1): from a request we answer with `local_tag`; `local_contact`
  /// is the Contact we put in the response (a name-addr or URI).
  static Result<Dialog> from_request(const Message& request, std::string local_tag,
                                     std::string local_contact);

  const DialogId& id() const { return id_; }
  State state() const { return state_; }
  Role role() const { return role_; }
  uint32_t local_cseq() const { return local_cseq_; }
  std::optional<uint32_t> remote_cseq() const { return remote_cseq_; }
  const std::string& local_uri() const { return local_uri_; }    ///< From of our requests
  const std::string& remote_uri() const { return remote_uri_; }  ///< To of our requests
  const std::string& remote_target() const { return remote_target_; }
  const std::vector<std::string>& route_set() const { return route_set_; }
  const std::string& local_contact() const { return local_contact_; }
  bool secure() const { return secure_; }

  void set_local_contact(std::string contact) { local_contact_ = std::move(contact); }
  void confirm() { if (state_ == State::kEarly) state_ = State::kConfirmed; }
  void terminate() { state_ = State::kTerminated; }

  /// An in-dialog request (§12.2.1.1) other than ACK and CANCEL: CSeq is
  /// incremented; Request-URI and Route follow loose or strict routing.
  Message make_request(std::string_view method);
  /// The ACK of a 2xx to our INVITE with CSeq `invite_cseq` (§13.2.2.4).
  Message make_ack(uint32_t invite_cseq) const;

  /// An in-dialog request arrived (§12.2.2). An out-of-order CSeq is an
  /// Error (answer 500); a target-refresh request updates the remote target.
  Status on_request(const Message& request);
  /// A response to our in-dialog request: a 2xx to a target refresh updates
  /// the remote target; a 2xx to INVITE confirms an early dialog.
  void on_response(const Message& request, const Message& response);

  /// The URI the next request is sent to: the first Route (loose routing)
  /// or the Request-URI (remote target, or first route when strict).
  std::string next_hop_uri() const;

 private:
  void request_uri_and_routes(std::string& request_uri, std::vector<std::string>& routes) const;

  DialogId id_;
  State state_ = State::kEarly;
  Role role_ = Role::kUac;
  uint32_t local_cseq_ = 0;
  std::optional<uint32_t> remote_cseq_;
  std::string local_uri_, remote_uri_;  ///< name-addr with their tags
  std::string remote_target_;
  std::vector<std::string> route_set_;  ///< name-addr values, in sending order
  std::string local_contact_;
  bool secure_ = false;
};

/// Is this method one that refreshes the remote target (§12.2, RFC 3311)?
bool is_target_refresh(std::string_view method);

}  // namespace switchboard::sip
