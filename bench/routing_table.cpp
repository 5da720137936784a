#include "routing_table.h"

#include <cstdio>
#include <functional>
#include <optional>
#include <string>

namespace liandong::bench {
namespace {

using json = nlohmann::json;
using Cell = std::function<std::string(const json& g)>;

constexpr size_t kLabel = 50, kColumn = 22;

// Display width of UTF-8 text (µ and × are one column, two bytes).
size_t width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string pad(const std::string& s, size_t w, bool right) {
  const size_t have = width(s);
  if (have >= w) return s;
  return right ? std::string(w - have, ' ') + s : s + std::string(w - have, ' ');
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

const json& at(const json& g, const std::string& path) { return g.at(json::json_pointer(path)); }
double num(const json& g, const std::string& path) { return at(g, path).get<double>(); }

// A number with a precision that suits its size.
std::string adaptive(double v) {
  if (v >= 1000) return fmt("%.0f", v);
  if (v >= 100) return fmt("%.0f", v);
  if (v >= 10) return fmt("%.1f", v);
  return fmt("%.2f", v);
}

// p50 / p99 in the unit that suits the p99.
std::string latency(const json& s) {
  const double p50 = s.at("p50_us").get<double>(), p99 = s.at("p99_us").get<double>();
  if (p99 >= 1e6) return adaptive(p50 / 1e6) + " / " + adaptive(p99 / 1e6) + " s";
  if (p99 >= 1e4) return adaptive(p50 / 1e3) + " / " + adaptive(p99 / 1e3) + " ms";
  return adaptive(p50) + " / " + adaptive(p99) + " µs";
}

std::string times(double r) {
  return (r >= 100 ? fmt("%.0f", r) : r >= 10 ? fmt("%.1f", r) : fmt("%.2f", r)) + "×";
}

std::string ratio(const json& r) {
  return times(r.at("p50").get<double>()) + " / " + times(r.at("p99").get<double>());
}

Cell lat(const std::string& path) {
  return [path](const json& g) { return latency(at(g, path)); };
}
// The best-of-passes p50 / p99 of a Timing summary.
Cell best(const std::string& path) {
  return [path](const json& g) {
    const json& s = at(g, path);
    return latency({{"p50_us", s.at("best_p50_us")}, {"p99_us", s.at("best_p99_us")}});
  };
}
Cell rat(const std::string& path) {
  return [path](const json& g) { return ratio(at(g, path)); };
}
Cell number(const std::string& path, const char* f, double scale = 1) {
  return [path, f, scale](const json& g) { return fmt(f, num(g, path) * scale); };
}

class Table {
 public:
  Table(const std::vector<std::string>& graphs, const json& results)
      : graphs_(graphs), results_(results) {}
  void header() {
    std::string line = pad("", kLabel, false);
    for (const auto& g : graphs_) line += pad(g, kColumn, true);
    std::printf("%s\n", line.c_str());
  }
  void section(const std::string& title) { std::printf("%s\n", title.c_str()); }
  void row(const std::string& label, const Cell& cell) {
    std::string line = pad("  " + label, kLabel, false);
    bool any = false;
    for (const auto& g : graphs_) {
      std::string v = "-";
      try {
        if (results_.contains(g) && !results_.at(g).contains("error")) {
          v = cell(results_.at(g));
          any = true;
        }
      } catch (const std::exception&) {
        v = "-";
      }
      line += pad(v, kColumn, true);
    }
    if (any) std::printf("%s\n", line.c_str());
  }

 private:
  const std::vector<std::string>& graphs_;
  const json& results_;
};

}  // namespace

int print_routing_report(const std::vector<std::string>& graphs, json& results, bool pgrouting) {
  Table t(graphs, results);
  std::printf(
      "\nlatencies are p50 / p99; ratios are baseline time / ours on the same queries (p50 / "
      "p99)\n");
  t.header();
  t.section("graph and preprocessing");
  t.row("nodes", number("/nodes", "%.0f"));
  t.row("arcs", number("/arcs", "%.0f"));
  t.row("import s (read + build graph)", number("/import_s", "%.2f"));
  t.row("contraction s (preprocessing, wall)", number("/contraction/wall_s", "%.2f"));
  t.row("contraction CPU s", number("/contraction/cpu_s", "%.2f"));
  t.row("contraction peak RSS growth MB", number("/contraction/peak_rss_growth_mb", "%.1f"));
  t.row("process peak RSS MB (graph included)", number("/contraction/peak_rss_mb", "%.1f"));
  t.row("shortcuts", number("/contraction/shortcuts", "%.0f"));
  t.row("graph file MB", number("/file/bytes", "%.1f", 1e-6));
  t.row("graph file load ms (median of 3)", number("/file/load_ms", "%.1f"));
  t.section("point to point (random node pairs)");
  t.row("contraction hierarchy", lat("/p2p/ch"));
  t.row("  each query's best of the passes", best("/p2p/ch"));
  t.row("  nodes settled (mean)", number("/p2p/ch_settled_mean", "%.0f"));
  t.row("Dijkstra stopping at the target", lat("/p2p/dijkstra"));
  t.row("  nodes settled (mean)", number("/p2p/dijkstra_settled_mean", "%.0f"));
  t.row("  ratio Dijkstra / ours", rat("/p2p/ratio"));
  t.section("many-to-one (time from every source to the target)");
  t.row("1,000 sources", lat("/many_to_one_1000/ours"));
  t.row("  each query's best of the passes", best("/many_to_one_1000/ours"));
  t.row("10,000 sources", lat("/many_to_one_10000/ours"));
  t.row("  each query's best of the passes", best("/many_to_one_10000/ours"));
  t.row("full one-to-all reverse Dijkstra", lat("/full_dijkstra"));
  t.row("  ratio full / ours, 1,000 sources", rat("/many_to_one_1000/full_dijkstra_ratio"));
  t.row("  ratio full / ours, 10,000 sources", rat("/many_to_one_10000/full_dijkstra_ratio"));
  for (const char* size : {"10000", "100000"}) {
    const std::string k = std::string("/nearest_") + size;
    const std::string n = std::string(size) == "10000" ? "10,000" : "100,000";
    t.section("k = 5 nearest among " + n + " sources");
    t.row("every source qualifies", lat(k + "/all"));
    t.row("  each query's best of the passes", best(k + "/all"));
    t.row("1% pass: predicate over all sources", lat(k + "/predicate"));
    t.row("  each query's best of the passes", best(k + "/predicate"));
    t.row("1% pass: their own group", lat(k + "/group"));
    t.row("  each query's best of the passes", best(k + "/group"));
    t.row("stopping reverse Dijkstra, all", lat(k + "/stopping_dijkstra_all"));
    t.row("  nodes settled (mean)", number(k + "/stopping_dijkstra_all_settled_mean", "%.0f"));
    t.row("stopping reverse Dijkstra, 1% predicate", lat(k + "/stopping_dijkstra_predicate"));
    t.row("  nodes settled (mean)",
          number(k + "/stopping_dijkstra_predicate_settled_mean", "%.0f"));
    t.row("full one-to-all reverse Dijkstra + pick 5", lat(k + "/full_dijkstra_pick"));
    t.row("  ratio stopping / ours, all", rat(k + "/ratio_stopping_all"));
    t.row("  ratio stopping / ours, 1% predicate form",
          rat(k + "/ratio_stopping_predicate_vs_predicate"));
    t.row("  ratio stopping / ours, 1% group form", rat(k + "/ratio_stopping_predicate_vs_group"));
    t.row("  ratio full one-to-all + pick / ours, all", rat(k + "/ratio_full_vs_all"));
    t.row("  ratio full + pick 1% / ours, 1% group form", rat(k + "/ratio_full_vs_group"));
  }
  t.section("moving one source (to a random node)");
  t.row("among 10,000 sources", lat("/move_10000"));
  t.row("  each query's best of the passes", best("/move_10000"));
  t.row("among 100,000 sources", lat("/move_100000"));
  t.row("  each query's best of the passes", best("/move_100000"));
  t.row("index build µs per source (10,000)", number("/index_10000/set_mean_us", "%.1f"));
  t.row("bucket entries per source (10,000)", number("/index_10000/entries_per_source", "%.0f"));
  t.row("index RSS growth MB (100,000 sources)", number("/index_100000/rss_growth_mb", "%.1f"));
  if (pgrouting) {
    t.section("pgRouting pgr_dijkstraCost, k = 5 nearest among 10,000 sources");
    t.row("load edges (COPY, 2 indexes, ANALYZE) s", number("/pgrouting/load_s", "%.2f"));
    t.row("per-source form, one call", lat("/pgrouting/per_source_call"));
    t.row("  per answer (mean × 10,000 calls) s", number("/pgrouting/per_source_answer_s", "%.0f"));
    t.row("one-to-many form (reversed), one call", lat("/pgrouting/one_to_many"));
    t.row("one-to-many, the 1% only (100 sources)", lat("/pgrouting/one_to_many_1pct"));
    t.row("  ratio best form / ours (means)",
          [](const json& g) { return times(num(g, "/pgrouting/ratio_vs_ours_mean")); });
  }
  t.section("checks and conditions");
  t.row("answers compared, all methods", [](const json& g) {
    uint64_t n = 0;
    for (const auto& [k, c] : g.at("checks").items()) n += c.at("compared").get<uint64_t>();
    return std::to_string(n);
  });
  t.row("mismatches", number("/mismatches", "%.0f"));
  t.row("other load (cores) in contraction", number("/contraction/other_cores", "%.2f"));
  t.row("other load (cores) in our queries", number("/machine/other_cores", "%.2f"));

  // ---- goals (issue: DIMACS NY on this 2-core machine).
  std::printf("\ngoals (DIMACS NY):\n");
  int status = 0;
  json goals = json::object();
  const json* ny =
      results.contains("ny") && !results["ny"].contains("error") ? &results["ny"] : nullptr;
  auto goal = [&](const std::string& name, const std::string& path, bool less, double limit,
                  const char* unit, bool counted = true) {
    std::optional<double> v;
    if (ny != nullptr && ny->contains(json::json_pointer(path))) v = num(*ny, path);
    const char* verdict = !v ? "SKIP" : ((less ? *v < limit : *v >= limit) ? "PASS" : "MISS");
    std::string detail = v ? fmt("%.4g", *v) + unit : std::string("not measured");
    if (v && path == "/contraction/wall_s")
      detail += " (CPU " + fmt("%.4g", num(*ny, "/contraction/cpu_s")) + " s)";
    // Latency goals: show the best-of-passes figure beside the one judged.
    for (const char* p : {"p50_us", "p99_us"}) {
      const std::string leaf = "/" + std::string(p);
      if (v && path.size() > leaf.size() &&
          path.compare(path.size() - leaf.size(), leaf.size(), leaf) == 0) {
        const std::string sibling = path.substr(0, path.size() - leaf.size()) + "/best_" + p;
        if (ny->contains(json::json_pointer(sibling)))
          detail += " (best of passes: " + fmt("%.4g", num(*ny, sibling)) + unit + ")";
      }
    }
    if (counted) {
      if (std::string(verdict) != "PASS") status = 2;
      goals[name] = verdict;
    } else {
      goals[name + " (not counted)"] = verdict;
    }
    std::printf("%-4s %s: %s%s\n", verdict, name.c_str(), detail.c_str(),
                counted ? "" : "  (not counted)");
  };
  goal("contraction < 30 s", "/contraction/wall_s", true, 30, " s");
  goal("contraction peak RSS growth < 200 MB", "/contraction/peak_rss_growth_mb", true, 200, " MB");
  goal("point-to-point p99 < 100 µs", "/p2p/ch/p99_us", true, 100, " µs");
  goal("k=5 among 10,000 p99 < 30 µs", "/nearest_10000/all/p99_us", true, 30, " µs");
  goal("k=5 among 10,000, 1% filter (group) p99 < 50 µs", "/nearest_10000/group/p99_us", true, 50,
       " µs");
  goal("k=5 among 10,000, 1% filter (predicate) p99 < 50 µs", "/nearest_10000/predicate/p99_us",
       true, 50, " µs", false);
  goal("k=5 among 100,000 p99 < 30 µs", "/nearest_100000/all/p99_us", true, 30, " µs");
  goal("move among 10,000 p50 < 25 µs", "/move_10000/p50_us", true, 25, " µs");
  goal("move among 10,000 p99 < 100 µs", "/move_10000/p99_us", true, 100, " µs");
  goal("vs stopping Dijkstra, 1% filter (group), p50 >= 10x",
       "/nearest_10000/ratio_stopping_predicate_vs_group/p50", false, 10, "×");
  goal("vs stopping Dijkstra, 1% filter (predicate), p50 >= 10x",
       "/nearest_10000/ratio_stopping_predicate_vs_predicate/p50", false, 10, "×", false);
  goal("vs stopping Dijkstra, 10,000 unfiltered, p50 >= 1x",
       "/nearest_10000/ratio_stopping_all/p50", false, 1, "×");
  goal("vs pgRouting best form >= 10,000x", "/pgrouting/ratio_vs_ours_mean", false, 10000, "×");
  results["goals"] = goals;
  for (const auto& g : graphs) {
    if (results.contains(g) && results[g].contains("mismatches") &&
        results[g]["mismatches"].get<uint64_t>() > 0)
      std::printf("FAIL %s: %llu answers differed between methods (see checks in the JSON)\n",
                  g.c_str(),
                  static_cast<unsigned long long>(results[g]["mismatches"].get<uint64_t>()));
    if (results.contains(g) && results[g].contains("error"))
      std::printf("FAIL %s: %s\n", g.c_str(), results[g]["error"].get<std::string>().c_str());
  }
  for (const auto& g : graphs) {
    if (results.contains(g) && results[g].contains("machine") &&
        results[g]["machine"]["other_cores"].get<double>() > 0.25)
      std::printf(
          "WARNING %s: other processes used %.2f cores while its queries ran; latencies "
          "overstate\n",
          g.c_str(), results[g]["machine"]["other_cores"].get<double>());
  }
  return status;
}

}  // namespace liandong::bench
