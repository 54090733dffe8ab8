// Fakes for call applications in B2BUA unit tests (call_app.hpp,
// app_media.hpp): an application leg that logs its requests, its factory,
// and an application that records what happens to it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/call/app_media.hpp"
#include "core/call/call_app.hpp"

namespace switchboard::core::testing::app_fixture {

namespace mapp = media::app;

struct FakeMediaLog {
  AppMediaParams params;
  std::vector<std::string> requests;  ///< "play", "record", "collect", "stop", "close"
  mapp::OpId next = 1;
  std::vector<mapp::OpId> open_ops;
  bool closed = false;
};

class FakeAppMedia final : public AppMedia {
 public:
  FakeAppMedia(std::shared_ptr<FakeMediaLog> log, AppMediaFactory::EventHandler on_event)
      : log_(std::move(log)), on_event_(std::move(on_event)) {}
  std::string local_address() const override { return "127.0.0.1"; }
  std::uint16_t local_port() const override { return 31000; }
  mapp::OpId play(mapp::PlayRequest) override { return op("play"); }
  mapp::OpId record(mapp::RecordRequest) override { return op("record"); }
  mapp::OpId collect_digits(mapp::CollectRequest) override { return op("collect"); }
  void stop() override { log_->requests.push_back("stop"); }
  void close() override {
    log_->requests.push_back("close");
    log_->closed = true;
  }
  /// Stands for the real leg: the log's address, never dereferenced.
  mapp::TerminatingLeg* terminating_leg() override {
    return log_->closed ? nullptr : reinterpret_cast<mapp::TerminatingLeg*>(log_.get());
  }
  /// The media thread's completion of `id` (delivered on the core thread).
  void complete(const mapp::MediaEvent& e) { on_event_(e); }

 private:
  mapp::OpId op(const char* what) {
    log_->requests.push_back(what);
    log_->open_ops.push_back(log_->next);
    return log_->next++;
  }
  std::shared_ptr<FakeMediaLog> log_;
  AppMediaFactory::EventHandler on_event_;
};

class FakeAppMediaFactory final : public AppMediaFactory {
 public:
  std::string address() const override { return "127.0.0.1"; }
  Result<AppMediaPtr> open(const AppMediaParams& p, EventHandler on_event) override {
    logs.push_back(std::make_shared<FakeMediaLog>());
    logs.back()->params = p;
    auto m = std::make_unique<FakeAppMedia>(logs.back(), std::move(on_event));
    last = m.get();
    return AppMediaPtr(std::move(m));
  }
  std::vector<std::shared_ptr<FakeMediaLog>> logs;
  FakeAppMedia* last = nullptr;
};

/// An application that records what happens to it and does what the test says.
struct ScriptedApp final : public CallApp {
  struct Seen {
    std::vector<std::string> events;
    AppControl* control = nullptr;
    AppCallInfo info;
  };
  explicit ScriptedApp(std::shared_ptr<Seen> s) : seen(std::move(s)) {}
  void on_start(AppControl& c) override {
    seen->control = &c;
    seen->info = c.info();
    seen->events.push_back("start");
  }
  void on_media(const mapp::MediaEvent& e) override {
    if (auto* r = std::get_if<mapp::RecordDone>(&e)) {
      seen->events.push_back(std::string("record:") + mapp::to_string(r->result));
    } else if (auto* p = std::get_if<mapp::PlayDone>(&e)) {
      seen->events.push_back(std::string("play:") + mapp::to_string(p->result));
    } else {
      seen->events.push_back("digits");
    }
  }
  void on_end() override {
    seen->events.push_back("end");
    seen->control = nullptr;
  }
  std::shared_ptr<Seen> seen;
};

}  // namespace switchboard::core::testing::app_fixture
