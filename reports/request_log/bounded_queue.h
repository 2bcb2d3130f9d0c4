#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

namespace teeharness::reports {

// A bounded multi-producer, single-consumer queue that never makes a producer wait for the
// consumer: TryPush into a full queue drops the item and counts it. Two vectors of `capacity`
// reserved up front take turns (the producers fill one while the consumer writes out the other),
// so the lock covers a move or a swap and never an allocation or I/O. Producers wake the consumer
// only when the queue becomes half full; otherwise it looks every `poll` (a wake-up per item would
// cost a futex call on the producer's path). Thread-safe.
template <typename T>
class BoundedQueue {
 public:
  BoundedQueue(size_t capacity, std::chrono::milliseconds poll)
      : capacity_(capacity == 0 ? 1 : capacity), poll_(poll) {
    items_.reserve(capacity_);
  }

  // False (the item dropped and counted) when the queue is full or closed.
  bool TryPush(T&& item) {
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      if (closed_ || items_.size() >= capacity_) {
        ++dropped_;
        return false;
      }
      items_.push_back(std::move(item));
      ++pushed_;
      wake = items_.size() == (capacity_ + 1) / 2;
    }
    if (wake) ready_.notify_one();
    return true;
  }

  // Consumer: waits until the queue is half full, closed, or `poll` passed, then swaps everything
  // queued into `batch` (its previous contents are cleared; keep passing the same vector so that
  // both keep their reserved capacity). False once the queue is closed and nothing was left.
  bool TakeAll(std::vector<T>& batch) {
    batch.clear();
    if (batch.capacity() < capacity_) batch.reserve(capacity_);
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, poll_,
                    [this] { return closed_ || items_.size() >= (capacity_ + 1) / 2; });
    items_.swap(batch);
    return !batch.empty() || !closed_;
  }

  // Later pushes are dropped (and counted); the consumer drains what is queued, then stops.
  void Close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_one();
  }

  uint64_t dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
  }
  uint64_t pushed() const {
    std::lock_guard lock(mutex_);
    return pushed_;
  }

 private:
  const size_t capacity_;
  const std::chrono::milliseconds poll_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<T> items_;
  uint64_t dropped_ = 0, pushed_ = 0;
  bool closed_ = false;
};

}  // namespace teeharness::reports
