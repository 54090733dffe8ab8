// A vector that keeps its first N elements inline. Parsed SIP values hold a
// handful of parameters or headers; keeping them inline saves an allocation
// per parse on the hot path (DESIGN.md §4: zero-copy parser).
#pragma once

#include <cstddef>
#include <cstring>
#include <type_traits>
#include <vector>

namespace switchboard::sip {

/// Inline storage for N trivially copyable elements, heap beyond that.
template <typename T, std::size_t N>
class SmallVector {
  static_assert(std::is_trivially_copyable_v<T>, "SmallVector holds plain views");

 public:
  using value_type = T;
  using iterator = T*;
  using const_iterator = const T*;

  SmallVector() = default;
  SmallVector(const SmallVector& other) { assign(other); }
  SmallVector& operator=(const SmallVector& other) {
    if (this != &other) assign(other);
    return *this;
  }
  SmallVector(SmallVector&& other) noexcept { take(other); }
  SmallVector& operator=(SmallVector&& other) noexcept {
    if (this != &other) take(other);
    return *this;
  }
  ~SmallVector() = default;

  void push_back(const T& value) {
    if (!on_heap_) {
      if (size_ < N) {
        inline_data()[size_++] = value;
        return;
      }
      heap_.reserve(N * 2);
      heap_.assign(inline_data(), inline_data() + size_);
      on_heap_ = true;
    }
    heap_.push_back(value);
    ++size_;
  }

  void insert_front(const T& value) {
    push_back(value);
    T* d = data();
    for (std::size_t i = size_ - 1; i > 0; --i) d[i] = d[i - 1];
    d[0] = value;
  }

  void erase_at(std::size_t index) {
    T* d = data();
    for (std::size_t i = index; i + 1 < size_; ++i) d[i] = d[i + 1];
    if (on_heap_) heap_.pop_back();
    --size_;
  }

  void clear() {
    heap_.clear();
    on_heap_ = false;
    size_ = 0;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return on_heap_ ? heap_.data() : inline_data(); }
  const T* data() const { return on_heap_ ? heap_.data() : inline_data(); }
  T& operator[](std::size_t i) { return data()[i]; }
  const T& operator[](std::size_t i) const { return data()[i]; }
  T& back() { return data()[size_ - 1]; }
  const T& back() const { return data()[size_ - 1]; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }

 private:
  void assign(const SmallVector& other) {
    on_heap_ = other.on_heap_;
    size_ = other.size_;
    if (on_heap_) {
      heap_ = other.heap_;
    } else {
      heap_.clear();
      std::memcpy(inline_, other.inline_, size_ * sizeof(T));
    }
  }
  void take(SmallVector& other) {
    on_heap_ = other.on_heap_;
    size_ = other.size_;
    if (on_heap_) {
      heap_ = std::move(other.heap_);
    } else {
      heap_.clear();
      std::memcpy(inline_, other.inline_, size_ * sizeof(T));
    }
    other.clear();
  }

  // Raw storage: T is trivially copyable (an implicit-lifetime type), so
  // elements come to life when written, and an empty vector costs no
  // zeroing of N elements -- the parser builds one per message.
  T* inline_data() { return reinterpret_cast<T*>(inline_); }
  const T* inline_data() const { return reinterpret_cast<const T*>(inline_); }

  alignas(T) unsigned char inline_[N * sizeof(T)];
  std::vector<T> heap_;
  std::size_t size_ = 0;
  bool on_heap_ = false;
};

}  // namespace switchboard::sip
