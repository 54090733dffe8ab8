// An event package (RFC 6665 §7): what one kind of subscription watches and
// how its state is written in a NOTIFY body. The SubscriptionServer does the
// protocol (dialogs, expiry, NOTIFY transactions) for every package; a
// package only authorizes subscribers and renders state — message-summary
// (RFC 3842) now, dialog (RFC 4235) and presence later.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace switchboard::core {

/// A package's answer to "may this subscriber watch this resource?".
struct Authorization {
  int status = 200;  ///< 200 allowed; otherwise the SIP refusal (403, 404 …)
  std::string reason;

  bool allowed() const { return status == 200; }
  static Authorization allow() { return {}; }
  static Authorization refuse(int status, std::string reason) {
    return {status, std::move(reason)};
  }
};

class EventPackage {
 public:
  /// The current state of a resource as a NOTIFY body (empty: none known);
  /// called on the core thread, possibly later (state may come from the store).
  using StateCallback = std::function<void(Result<std::string> body)>;

  virtual ~EventPackage() = default;

  /// The Event header token, e.g. "message-summary".
  virtual std::string_view name() const = 0;
  /// The Content-Type of its NOTIFY bodies.
  virtual std::string_view content_type() const = 0;
  /// `subscriber` is the authenticated user; `resource` the Request-URI user.
  virtual Authorization authorize(std::string_view subscriber, std::string_view resource) const = 0;
  /// Fetches the current state of `resource`; `done` runs on the core thread.
  virtual void current_state(const std::string& resource, StateCallback done) = 0;
};

using EventPackagePtr = std::shared_ptr<EventPackage>;

}  // namespace switchboard::core
