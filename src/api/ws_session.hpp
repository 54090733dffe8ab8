// One WebSocket connection over Stream (tcp_stream or ssl_stream): reads
// text frames for the listener, writes a bounded queue of outgoing
// messages, answers pings (Beast) and pings an idle peer. Internal to the
// server.
#pragma once

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <mutex>

#include "api/websocket.hpp"

namespace switchboard::api::detail {

template <class Stream>
class WsSession : public WsChannel, public std::enable_shared_from_this<WsSession<Stream>> {
 public:
  WsSession(Stream&& stream, std::shared_ptr<WsListener> listener, size_t queue_limit)
      : ws_(std::move(stream)), listener_(std::move(listener)), limit_(queue_limit) {}

  void run(Request req) {
    namespace websocket = boost::beast::websocket;
    boost::beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(boost::beast::role_type::server));
    ws_.read_message_max(64 * 1024);
    auto self = this->shared_from_this();
    ws_.async_accept(req, [self](boost::beast::error_code ec) {
      if (ec) return;
      self->listener_->on_open(self);
      self->read();
    });
  }

  bool send(std::string text) override {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    if (queue_.size() >= limit_) {
      closed_ = true;  // a slow consumer: drop it, never wait for it
      boost::asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
        self->do_close(boost::beast::websocket::close_code::policy_error);
      });
      return false;
    }
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) {
      boost::asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->write(); });
    }
    return true;
  }

  void close() override {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
      closed_ = true;
    }
    boost::asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
      self->do_close(boost::beast::websocket::close_code::normal);
    });
  }

 private:
  void read() {
    auto self = this->shared_from_this();
    ws_.async_read(buffer_, [self](boost::beast::error_code ec, size_t) {
      if (ec) return self->finish();
      if (self->ws_.got_text()) {
        self->listener_->on_text(boost::beast::buffers_to_string(self->buffer_.data()));
      }
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }

  void write() {
    std::string* front = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty() || writing_) return;
      writing_ = true;
      front = &queue_.front();
    }
    ws_.text(true);
    auto self = this->shared_from_this();
    ws_.async_write(boost::asio::buffer(*front), [self](boost::beast::error_code ec, size_t) {
      bool more = false;
      {
        std::lock_guard lock(self->mutex_);
        self->writing_ = false;
        if (!self->queue_.empty()) self->queue_.pop_front();
        more = !self->queue_.empty() && !ec;
      }
      if (ec) return self->finish();
      if (more) self->write();
    });
  }

  void do_close(boost::beast::websocket::close_code code) {
    if (close_sent_) return;
    close_sent_ = true;
    auto self = this->shared_from_this();
    ws_.async_close(code, [self](boost::beast::error_code) { self->finish(); });
  }

  void finish() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;  // the queue goes with the session (a write may still hold its front)
    }
    if (!finished_) {
      finished_ = true;
      listener_->on_close();
    }
  }

  boost::beast::websocket::stream<Stream> ws_;
  std::shared_ptr<WsListener> listener_;
  boost::beast::flat_buffer buffer_;
  const size_t limit_;
  std::mutex mutex_;
  std::deque<std::string> queue_;  // guarded by mutex_
  bool writing_ = false;           // guarded by mutex_
  bool closed_ = false;            // guarded by mutex_
  bool close_sent_ = false;        // server thread only
  bool finished_ = false;          // server thread only
};

}  // namespace switchboard::api::detail
