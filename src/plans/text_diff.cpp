#include "plans/text_diff.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <unordered_map>

namespace liandong::plans {
namespace {

// Lines with their '\n' (the last may lack it): "a" at the end of a text without a newline is not
// the same line as "a\n", as diff -u has it. CR is part of the line.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

bool terminated(std::string_view line) { return !line.empty() && line.back() == '\n'; }

std::string_view without_newline(std::string_view line) {
  return terminated(line) ? line.substr(0, line.size() - 1) : line;
}

// Myers' O(ND) difference algorithm in linear space (the middle-snake bisection), after GNU diff's
// diffseq.h, with its bound on the cost of one bisection: past `too_expensive` edit steps the
// search settles for the furthest-reaching diagonal so far. The diff then may not be minimal, but
// the time stays near O((N+M)·bound) and memory O(N+M) however different the texts are.
class Myers {
 public:
  Myers(const std::vector<int>& a, const std::vector<int>& b, std::vector<char>& a_changed,
        std::vector<char>& b_changed)
      : a_(a), b_(b), a_changed_(a_changed), b_changed_(b_changed) {
    const size_t diagonals = a.size() + b.size() + 3;
    fd_.assign(diagonals, 0);
    bd_.assign(diagonals, 0);
    offset_ = static_cast<int64_t>(b.size()) + 1;
    int64_t bound = 1;
    for (size_t d = diagonals; d != 0; d >>= 2) bound <<= 1;
    too_expensive_ = std::max<int64_t>(kMinTooExpensive, bound);
  }

  void run() {
    struct Box {
      int64_t xoff, xlim, yoff, ylim;
    };
    // An explicit stack: after bad bisections the recursion could be as deep as the texts are long.
    std::vector<Box> todo{{0, static_cast<int64_t>(a_.size()), 0, static_cast<int64_t>(b_.size())}};
    while (!todo.empty()) {
      auto [xoff, xlim, yoff, ylim] = todo.back();
      todo.pop_back();
      while (xoff < xlim && yoff < ylim && a_[xoff] == b_[yoff]) ++xoff, ++yoff;
      while (xoff < xlim && yoff < ylim && a_[xlim - 1] == b_[ylim - 1]) --xlim, --ylim;
      if (xoff == xlim) {
        for (int64_t y = yoff; y < ylim; ++y) b_changed_[y] = 1;
      } else if (yoff == ylim) {
        for (int64_t x = xoff; x < xlim; ++x) a_changed_[x] = 1;
      } else {
        auto [xmid, ymid] = bisect(xoff, xlim, yoff, ylim);
        todo.push_back({xmid, xlim, ymid, ylim});
        todo.push_back({xoff, xmid, yoff, ymid});
      }
    }
  }

 private:
  static constexpr int64_t kMinTooExpensive = 1024;

  int64_t& fd(int64_t k) { return fd_[k + offset_]; }
  int64_t& bd(int64_t k) { return bd_[k + offset_]; }

  // A point (x, y) on an optimal (or, past the bound, a good) path through the box, with the box's
  // first and last elements known to differ.
  std::pair<int64_t, int64_t> bisect(int64_t xoff, int64_t xlim, int64_t yoff, int64_t ylim) {
    const int64_t dmin = xoff - ylim, dmax = xlim - yoff;
    const int64_t fmid = xoff - yoff, bmid = xlim - ylim;
    int64_t fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    const bool odd = ((fmid - bmid) & 1) != 0;
    fd(fmid) = xoff;
    bd(bmid) = xlim;
    for (int64_t c = 1;; ++c) {
      if (fmin > dmin)
        fd(--fmin - 1) = -1;
      else
        ++fmin;
      if (fmax < dmax)
        fd(++fmax + 1) = -1;
      else
        --fmax;
      for (int64_t d = fmax; d >= fmin; d -= 2) {
        int64_t lo = fd(d - 1), hi = fd(d + 1);
        int64_t x = lo < hi ? hi : lo + 1;
        int64_t y = x - d;
        while (x < xlim && y < ylim && a_[x] == b_[y]) ++x, ++y;
        fd(d) = x;
        if (odd && bmin <= d && d <= bmax && bd(d) <= x) return {x, y};
      }
      if (bmin > dmin)
        bd(--bmin - 1) = std::numeric_limits<int64_t>::max();
      else
        ++bmin;
      if (bmax < dmax)
        bd(++bmax + 1) = std::numeric_limits<int64_t>::max();
      else
        --bmax;
      for (int64_t d = bmax; d >= bmin; d -= 2) {
        int64_t lo = bd(d - 1), hi = bd(d + 1);
        int64_t x = lo < hi ? lo : hi - 1;
        int64_t y = x - d;
        while (xoff < x && yoff < y && a_[x - 1] == b_[y - 1]) --x, --y;
        bd(d) = x;
        if (!odd && fmin <= d && d <= fmax && x <= fd(d)) return {x, y};
      }
      if (c >= too_expensive_) return give_up(xoff, xlim, yoff, ylim, fmin, fmax, bmin, bmax);
    }
  }

  // The better of the forward diagonal that got furthest (max x+y) and the backward one that did.
  std::pair<int64_t, int64_t> give_up(int64_t xoff, int64_t xlim, int64_t yoff, int64_t ylim,
                                      int64_t fmin, int64_t fmax, int64_t bmin, int64_t bmax) {
    int64_t fxy = -1, fx = xoff;
    for (int64_t d = fmax; d >= fmin; d -= 2) {
      int64_t x = std::min(fd(d), xlim), y = x - d;
      if (ylim < y) x = ylim + d, y = ylim;
      if (fxy < x + y) fxy = x + y, fx = x;
    }
    int64_t bxy = std::numeric_limits<int64_t>::max(), bx = xlim;
    for (int64_t d = bmax; d >= bmin; d -= 2) {
      int64_t x = std::max(xoff, bd(d)), y = x - d;
      if (y < yoff) x = yoff + d, y = yoff;
      if (x + y < bxy) bxy = x + y, bx = x;
    }
    if ((xlim + ylim) - bxy < fxy - (xoff + yoff)) return {fx, fxy - fx};
    return {bx, bxy - bx};
  }

  const std::vector<int>& a_;
  const std::vector<int>& b_;
  std::vector<char>& a_changed_;
  std::vector<char>& b_changed_;
  std::vector<int64_t> fd_, bd_;
  int64_t offset_ = 0;
  int64_t too_expensive_ = 0;
};

// GNU diff's shift_boundaries: slides each run of changes, among equal lines, to merge it with
// neighbouring runs and to line it up with a run in the other text, so that the hunks read as
// diff -u's do. `changed` and `other_changed` have a 0 before and after the lines (indices -1 and
// n), as the window of unchanged lines they are cut from provides.
void shift_boundaries(const int* equivs, char* changed, const char* other_changed, int64_t n) {
  int64_t i = 0, j = 0;
  for (;;) {
    while (i < n && !changed[i]) {
      while (other_changed[j++]) continue;
      ++i;
    }
    if (i == n) break;
    int64_t start = i;
    while (changed[++i]) continue;
    while (other_changed[j]) ++j;
    int64_t run, corresponding;
    do {
      run = i - start;
      while (start > 0 && equivs[start - 1] == equivs[i - 1]) {
        changed[--start] = 1;
        changed[--i] = 0;
        while (changed[start - 1]) --start;
        while (other_changed[--j]) continue;
      }
      corresponding = other_changed[j - 1] ? i : n;
      while (i != n && equivs[start] == equivs[i]) {
        changed[start++] = 0;
        changed[i++] = 1;
        while (changed[i]) ++i;
        while (other_changed[++j]) corresponding = i;
      }
    } while (run != i - start);
    while (corresponding < i) {
      changed[--start] = 1;
      changed[--i] = 0;
      while (other_changed[--j]) continue;
    }
  }
}

struct Script {
  std::vector<DiffLine> lines;  // every line of both texts, in diff order
  struct Hunk {
    size_t first = 0, last = 0;        // [first, last) in `lines`
    int old_start = 0, old_count = 0;  // old_start: 0-based index of the first old line of the hunk
    int new_start = 0, new_count = 0;
  };
  std::vector<Hunk> hunks;
};

Script diff(const std::vector<std::string_view>& a_lines,
            const std::vector<std::string_view>& b_lines, int context) {
  const auto n = static_cast<int64_t>(a_lines.size()), m = static_cast<int64_t>(b_lines.size());
  const int64_t ctx = std::max(context, 0);
  // Lines as numbers: equal lines, equal numbers.
  std::unordered_map<std::string_view, int> ids;
  std::vector<int> a(n), b(m);
  for (int64_t i = 0; i < n; ++i)
    a[i] = ids.emplace(a_lines[i], static_cast<int>(ids.size())).first->second;
  for (int64_t j = 0; j < m; ++j)
    b[j] = ids.emplace(b_lines[j], static_cast<int>(ids.size())).first->second;

  // As diff does, the common head and tail are set aside except for `context` lines of each, which
  // the search and the sliding below may use: changes are then placed where diff -u places them.
  int64_t head = 0, tail = 0;
  while (head < n && head < m && a[head] == b[head]) ++head;
  while (tail < n - head && tail < m - head && a[n - 1 - tail] == b[m - 1 - tail]) ++tail;
  const int64_t lo = head - std::min(head, ctx);
  const int64_t a_hi = n - tail + std::min(tail, ctx), b_hi = m - tail + std::min(tail, ctx);

  // Flags with a 0 sentinel on each side (shift_boundaries reads one past either end).
  std::vector<char> a_flags(n + 2, 0), b_flags(m + 2, 0);
  char* a_changed = a_flags.data() + 1;
  char* b_changed = b_flags.data() + 1;

  // A line with no equal in the other text is in no common subsequence: it is marked changed and
  // left out of the search, which is where very different texts would cost the most.
  std::vector<int64_t> count_a(ids.size(), 0), count_b(ids.size(), 0);
  for (int64_t i = lo; i < a_hi; ++i) ++count_a[a[i]];
  for (int64_t j = lo; j < b_hi; ++j) ++count_b[b[j]];
  std::vector<int> a_kept, b_kept;
  std::vector<int64_t> a_index, b_index;
  for (int64_t i = lo; i < a_hi; ++i) {
    if (count_b[a[i]] == 0)
      a_changed[i] = 1;
    else
      a_kept.push_back(a[i]), a_index.push_back(i);
  }
  for (int64_t j = lo; j < b_hi; ++j) {
    if (count_a[b[j]] == 0)
      b_changed[j] = 1;
    else
      b_kept.push_back(b[j]), b_index.push_back(j);
  }
  std::vector<char> a_kept_changed(a_kept.size(), 0), b_kept_changed(b_kept.size(), 0);
  Myers(a_kept, b_kept, a_kept_changed, b_kept_changed).run();
  for (size_t k = 0; k < a_kept.size(); ++k)
    if (a_kept_changed[k]) a_changed[a_index[k]] = 1;
  for (size_t k = 0; k < b_kept.size(); ++k)
    if (b_kept_changed[k]) b_changed[b_index[k]] = 1;

  shift_boundaries(a.data() + lo, a_changed + lo, b_changed + lo, a_hi - lo);
  shift_boundaries(b.data() + lo, b_changed + lo, a_changed + lo, b_hi - lo);

  Script s;
  s.lines.reserve(static_cast<size_t>(std::max(n, m)));
  int64_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && a_changed[i]) {
      s.lines.push_back(
          {'-', std::string(without_newline(a_lines[i])), static_cast<int>(i + 1), 0});
      ++i;
    } else if (j < m && b_changed[j]) {
      s.lines.push_back(
          {'+', std::string(without_newline(b_lines[j])), 0, static_cast<int>(j + 1)});
      ++j;
    } else {
      s.lines.push_back({' ', std::string(without_newline(a_lines[i])), static_cast<int>(i + 1),
                         static_cast<int>(j + 1)});
      ++i, ++j;
    }
  }

  // Hunks: each change with `context` lines either side; changes at most 2·context lines apart
  // share a hunk (diff -u's rule).
  const auto hunk_ctx = static_cast<size_t>(ctx);
  const size_t total = s.lines.size();
  size_t k = 0;
  while (k < total) {
    if (s.lines[k].op == ' ') {
      ++k;
      continue;
    }
    Script::Hunk h;
    h.first = k >= hunk_ctx ? k - hunk_ctx : 0;
    size_t last_change = k;
    for (size_t x = k; x < total; ++x) {
      if (s.lines[x].op != ' ')
        last_change = x;
      else if (x - last_change > 2 * hunk_ctx)
        break;
    }
    h.last = std::min(total, last_change + 1 + hunk_ctx);
    // Where the hunk starts in each text: lines of that text before it.
    int old_before = 0, new_before = 0;
    if (h.first > 0) {
      const DiffLine& prev = s.lines[h.first - 1];
      // prev is a context line (changes are never cut off), so it has both numbers.
      old_before = prev.old_line;
      new_before = prev.new_line;
    }
    h.old_start = old_before;
    h.new_start = new_before;
    for (size_t x = h.first; x < h.last; ++x) {
      if (s.lines[x].op != '+') ++h.old_count;
      if (s.lines[x].op != '-') ++h.new_count;
    }
    s.hunks.push_back(h);
    k = h.last;
  }
  return s;
}

// "l" for one line, "l,n" otherwise; an empty range names the line before it ("0,0" at the start).
std::string range(int start, int count) {
  if (count == 1) return std::to_string(start + 1);
  return std::to_string(count == 0 ? start : start + 1) + "," + std::to_string(count);
}

}  // namespace

std::vector<DiffLine> diff_lines(std::string_view old_text, std::string_view new_text,
                                 int context) {
  Script s = diff(split_lines(old_text), split_lines(new_text), context);
  std::vector<DiffLine> out;
  for (const auto& h : s.hunks)
    for (size_t x = h.first; x < h.last; ++x) out.push_back(std::move(s.lines[x]));
  return out;
}

std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_name, std::string_view new_name, int context) {
  auto a = split_lines(old_text), b = split_lines(new_text);
  Script s = diff(a, b, context);
  if (s.hunks.empty()) return {};
  // The texts' last lines when they lack a newline: diff -u marks them.
  const int old_open = !a.empty() && !terminated(a.back()) ? static_cast<int>(a.size()) : 0;
  const int new_open = !b.empty() && !terminated(b.back()) ? static_cast<int>(b.size()) : 0;
  std::string out;
  out.append("--- ").append(old_name).append("\n+++ ").append(new_name).append("\n");
  for (const auto& h : s.hunks) {
    out.append("@@ -").append(range(h.old_start, h.old_count));
    out.append(" +").append(range(h.new_start, h.new_count)).append(" @@\n");
    for (size_t x = h.first; x < h.last; ++x) {
      const DiffLine& l = s.lines[x];
      out.push_back(l.op);
      out.append(l.text).push_back('\n');
      bool open =
          (l.op != '+' && l.old_line == old_open) || (l.op != '-' && l.new_line == new_open);
      if (open) out.append("\\ No newline at end of file\n");
    }
  }
  return out;
}

}  // namespace liandong::plans
