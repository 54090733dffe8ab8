#include "media/app/party_port.hpp"

#include <algorithm>

namespace switchboard::media::app {

class PartyPort::Voice final : public audio::FrameSource {
 public:
  explicit Voice(std::shared_ptr<PartyPort> port) : port_(std::move(port)) {}
  bool read(std::span<std::int16_t> frame) override {
    std::lock_guard lock(port_->mu_);
    return pop(port_->voice_, frame);
  }

 private:
  std::shared_ptr<PartyPort> port_;
};

class PartyPort::Mix final : public audio::FrameSink {
 public:
  explicit Mix(std::shared_ptr<PartyPort> port) : port_(std::move(port)) {}
  void write(std::span<const std::int16_t> frame) override {
    std::lock_guard lock(port_->mu_);
    push(port_->mix_, frame);
  }

 private:
  std::shared_ptr<PartyPort> port_;
};

PartyPort::PartyPort(int rate) : rate_(rate) {}

void PartyPort::push(Queue& q, std::span<const std::int16_t> frame) {
  if (q.size() >= kMaxFrames) q.pop_front();
  q.emplace_back(frame.begin(), frame.end());
}

bool PartyPort::pop(Queue& q, std::span<std::int16_t> frame) {
  if (q.empty()) return false;
  const auto& f = q.front();
  if (f.size() != frame.size()) {
    q.pop_front();
    return false;
  }
  std::copy(f.begin(), f.end(), frame.begin());
  q.pop_front();
  return true;
}

void PartyPort::put_voice(std::span<const std::int16_t> frame) {
  std::lock_guard lock(mu_);
  push(voice_, frame);
}

bool PartyPort::take_mix(std::span<std::int16_t> frame) {
  std::lock_guard lock(mu_);
  return pop(mix_, frame);
}

std::shared_ptr<audio::FrameSource> PartyPort::voice() {
  return std::make_shared<Voice>(shared_from_this());
}

std::shared_ptr<audio::FrameSink> PartyPort::mix() {
  return std::make_shared<Mix>(shared_from_this());
}

}  // namespace switchboard::media::app
