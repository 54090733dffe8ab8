// WebSocket endpoints: the server owns the connection (WsChannel), the
// endpoint reacts to it (WsListener). A channel's outgoing queue is bounded:
// send() never blocks, it refuses (and the channel closes) when the peer
// does not keep up.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "api/http_types.hpp"

namespace switchboard::api {

class WsChannel {
 public:
  virtual ~WsChannel() = default;
  /// Any thread. False when the queue is full or the channel closed: then
  /// the channel closes itself (a slow consumer is dropped).
  virtual bool send(std::string text) = 0;
  /// Any thread.
  virtual void close() = 0;
};

class WsListener {
 public:
  virtual ~WsListener() = default;
  virtual void on_open(std::shared_ptr<WsChannel> channel) = 0;
  virtual void on_text(const std::string& text) = 0;
  virtual void on_close() = 0;
};

/// Decides an upgrade request: a Response refuses it (401, 403, 404), a
/// listener accepts it.
using WsUpgrade = std::function<std::variant<Response, std::shared_ptr<WsListener>>(
    const Request&, const RequestInfo&)>;

}  // namespace switchboard::api
