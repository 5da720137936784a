// Names the calling thread (as `top -H`, `ps -L`, perf and gdb show it), so that an operator can
// tell the engine's writer from its committer or an HTTP thread; and lowers the priority of
// background threads (snapshots, statistics, checkpoints) so that they yield the CPU to the path
// that acknowledges commands. Linux keeps at most 15 bytes of a name; longer names are cut. Best
// effort: a failure is ignored.
#pragma once

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>

namespace liandong::core {

inline void name_this_thread(const std::string& name) {
  (void)::pthread_setname_np(::pthread_self(), name.substr(0, 15).c_str());
}

// Background work: raises the calling thread's nice value by `nice` (Linux sets it per thread;
// raising it needs no privilege).
inline void make_this_thread_background(int nice = 10) {
  auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  int current = ::getpriority(PRIO_PROCESS, tid);
  (void)::setpriority(PRIO_PROCESS, tid, current + nice);
}

}  // namespace liandong::core
