#include "store/commit_group.hpp"

#include <exception>
#include <string>
#include <vector>

namespace synthgate::store {

namespace {
// A throwing piece of work must not strand the other callers waiting on this batch.
Status run_guarded(const Work& work, Session& session) {
  try {
    return work(session);
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInternal, std::string("work threw: ") + e.what());
  } catch (...) {
    return fail(ErrorCode::kInternal, "work threw");
  }
}
}  // namespace

Status CommitGroup::run(const Work& work) {
  Pending mine{&work, {}, false};
  std::unique_lock lock(mutex_);
  queue_.push_back(&mine);
  while (!mine.done) {
    if (!leader_active_) {
      lead(lock);
    } else {
      finished_.wait(lock);
    }
  }
  return mine.result;
}

void CommitGroup::lead(std::unique_lock<std::mutex>& lock) {
  leader_active_ = true;
  std::vector<Pending*> batch;
  while (!queue_.empty() && batch.size() < max_batch_) {
    batch.push_back(queue_.front());
    queue_.pop_front();
  }
  lock.unlock();

  Status committed = store_.transact([&](Session& session) -> Status {
    for (Pending* p : batch) {
      if (auto s = session.execute_script("SAVEPOINT commit_group_work"); !s) return s;
      p->result = run_guarded(*p->work, session);
      const char* end = p->result ? "RELEASE SAVEPOINT commit_group_work"
                                  : "ROLLBACK TO SAVEPOINT commit_group_work; "
                                    "RELEASE SAVEPOINT commit_group_work";
      if (auto s = session.execute_script(end); !s) return s;
    }
    return {};
  });

  lock.lock();
  for (Pending* p : batch) {
    if (!committed) p->result = committed;  // nothing of the batch is durable
    p->done = true;
  }
  ++stats_.commits;
  stats_.works += batch.size();
  leader_active_ = false;
  finished_.notify_all();
}

CommitGroup::Stats CommitGroup::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace synthgate::store
