#include "media/rtp/media_thread.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace switchboard::media::rtp {
namespace {
constexpr std::uint64_t kWakeKey = ~std::uint64_t{0};
constexpr unsigned kIndexBits = 3;
}  // namespace

MediaThread::MediaThread(unsigned batch) : recv_(batch), send_(batch) {}

MediaThread::~MediaThread() {
  stop_and_join();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

Status MediaThread::start() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) return make_error(ErrorCode::kIoError, std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeKey;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0)
    return make_error(ErrorCode::kIoError, std::strerror(errno));
  thread_ = std::thread([this] { run(); });
  return Status::Ok();
}

void MediaThread::stop_and_join() {
  if (!thread_.joinable()) return;
  stop_ = true;
  if (std::this_thread::get_id() == thread_.get_id()) {  // never join oneself
    thread_.detach();
    return;
  }
  wake();
  thread_.join();
}

void MediaThread::wake() {
  std::uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
}

void MediaThread::post(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(fn));
  }
  wake();
}

void MediaThread::attach(std::uint64_t id, std::weak_ptr<Client> client) {
  {
    std::lock_guard lock(mu_);
    clients_[id] = std::move(client);
    idle_ = false;
  }
  wake();  // an idle loop sleeps without a tick
}

void MediaThread::detach(std::uint64_t id) {
  std::lock_guard lock(mu_);
  clients_.erase(id);
}

bool MediaThread::watch(int fd, std::uint64_t id, unsigned index) {
  epoll_event ev{};
  ev.events = EPOLLIN;  // level-triggered: a socket left with data comes back
  ev.data.u64 = (id << kIndexBits) | index;
  return ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

void MediaThread::run_tasks() {
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard lock(mu_);
    tasks.swap(tasks_);
  }
  for (auto& t : tasks) t();
}

void MediaThread::run() {
  epoll_event events[256];
  std::vector<std::pair<std::shared_ptr<Client>, unsigned>> ready;
  std::vector<std::shared_ptr<Client>> tick;
  TimePoint next_tick = Clock::now() + kTick;
  for (;;) {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - Clock::now());
    // No session: sleep until woken instead of ticking 50 times a second.
    int timeout = idle_.load() ? -1 : static_cast<int>(std::max<long>(0, wait.count()));
    int n = ::epoll_wait(epoll_fd_, events, 256, timeout);
    bool woken = false;
    ready.clear();
    if (n > 0) {
      std::lock_guard lock(mu_);
      for (int i = 0; i < n; ++i) {
        std::uint64_t key = events[i].data.u64;
        if (key == kWakeKey) {
          woken = true;
          continue;
        }
        auto it = clients_.find(key >> kIndexBits);
        if (it == clients_.end()) continue;  // closed in the meantime
        if (auto c = it->second.lock())
          ready.emplace_back(std::move(c), key & ((1u << kIndexBits) - 1));
      }
    }
    for (auto& [client, index] : ready) client->on_readable(index);
    ready.clear();  // the last reference to a session may go here, on this thread
    if (woken) {
      std::uint64_t count;
      (void)!::read(wake_fd_, &count, sizeof count);
      run_tasks();
    }
    if (stop_) {
      run_tasks();
      return;
    }
    TimePoint now = Clock::now();
    if (now >= next_tick) {
      next_tick = now + kTick;
      {
        std::lock_guard lock(mu_);
        tick.reserve(clients_.size());
        for (auto& [id, weak] : clients_)
          if (auto c = weak.lock()) tick.push_back(std::move(c));
        idle_ = clients_.empty();
      }
      for (auto& c : tick) c->on_tick(now);
      tick.clear();
    }
  }
}

}  // namespace switchboard::media::rtp
