#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.hpp"

namespace synthgate::store {

// A bounded pool of connections of type C, created on demand up to `capacity`.
// Borrowers block while every connection is lent out.
template <typename C>
class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<C>>()>;

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<C> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (conn_) pool_->give_back(std::move(conn_));
    }
    C& operator*() const { return *conn_; }
    C* operator->() const { return conn_.get(); }
    // Drops a connection that is no longer usable instead of returning it to the pool.
    void discard() {
      conn_.reset();
      pool_->forget_one();
    }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<C> conn_;
  };

  ConnectionPool(unsigned capacity, Factory factory)
      : capacity_(capacity == 0 ? 1 : capacity), factory_(std::move(factory)) {}

  // Adds a connection made elsewhere, counted against the capacity.
  void adopt(std::unique_ptr<C> conn) {
    std::lock_guard lock(mutex_);
    ++created_;
    idle_.push_back(std::move(conn));
  }

  Result<Lease> borrow() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(conn));
      }
      if (created_ < capacity_) {
        ++created_;
        lock.unlock();
        auto made = factory_();
        if (!made) {
          forget_one();
          return tl::unexpected(made.error());
        }
        return Lease(this, std::move(*made));
      }
      available_.wait(lock);
    }
  }

 private:
  void give_back(std::unique_ptr<C> conn) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(conn));
    }
    available_.notify_one();
  }
  void forget_one() {
    {
      std::lock_guard lock(mutex_);
      --created_;
    }
    available_.notify_one();
  }

  const unsigned capacity_;
  Factory factory_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<C>> idle_;
  unsigned created_ = 0;
};

}  // namespace synthgate::store
