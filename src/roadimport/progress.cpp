#include "roadimport/progress.h"

#include <algorithm>
#include <cstdio>

namespace liandong::roadimport {

void ProgressDisplay::update(std::string_view phase, uint64_t done, uint64_t total) {
  if (phase != phase_) {
    finish();
    phase_ = phase;
    shown_ = -1;
  }
  const int percent = total == 0 ? 100 : int(std::min<uint64_t>(100, done * 100 / total));
  if (terminal_) {
    if (percent == shown_) return;
    shown_ = percent;
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    char line[128];
    std::snprintf(line, sizeof line, "\r%-13.13s [%s%s] %3d%%", phase_.c_str(),
                  std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
                  percent);
    out_ << line << std::flush;
  } else {
    const int quarter = percent / 25;
    if (quarter == shown_) return;
    shown_ = quarter;
    out_ << phase_ << ": " << quarter * 25 << "%\n" << std::flush;
  }
}

void ProgressDisplay::finish() {
  if (terminal_ && !phase_.empty() && shown_ >= 0) out_ << "\n" << std::flush;
  phase_.clear();
  shown_ = -1;
}

}  // namespace liandong::roadimport
