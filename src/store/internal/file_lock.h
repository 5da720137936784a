// FileLock: an exclusive advisory lock (flock LOCK_EX|LOCK_NB) on a lock file, holding the owner's
// pid, so that one process at a time holds a store. Released when the FileLock is destroyed.
// flock locks belong to the open file description, so two acquire() calls in one process also
// conflict. Move-only; not thread-safe.
#pragma once

#include <string>

#include "core/status.h"

namespace liandong::store::internal {

class FileLock {
 public:
  // Creates `lock_path` if missing, locks it and writes this process's pid into it. kUnavailable
  // "store <store_path> is in use by another process (pid N)" when someone else holds it, or when
  // the lock file cannot be created.
  static core::Result<FileLock> acquire(const std::string& lock_path,
                                        const std::string& store_path);

  FileLock(FileLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  FileLock& operator=(FileLock&& o) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace liandong::store::internal
