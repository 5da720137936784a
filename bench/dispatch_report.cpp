#include "dispatch_report.h"

#include <cstdio>
#include <optional>
#include <string>

namespace liandong::bench {
namespace {

using json = nlohmann::json;

constexpr size_t kLabel = 56, kMeasured = 26, kGoal = 18;

size_t width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string pad(const std::string& s, size_t w) {
  const size_t have = width(s);
  return have >= w ? s + " " : s + std::string(w - have, ' ');
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::optional<double> num(const json& g, const std::string& path) {
  const auto p = json::json_pointer(path);
  if (!g.contains(p) || !g.at(p).is_number()) return std::nullopt;
  return g.at(p).get<double>();
}

std::string adaptive(double v) {
  return v >= 100 ? fmt("%.0f", v) : v >= 10 ? fmt("%.1f", v) : fmt("%.2f", v);
}

// "p50 / p99 unit" of a Latencies summary at `path`, the unit suiting the p99.
std::string latency(const json& g, const std::string& path) {
  auto p50 = num(g, path + "/p50_us"), p99 = num(g, path + "/p99_us");
  if (!p50 || !p99) return "-";
  if (*p99 >= 1e4) return adaptive(*p50 / 1e3) + " / " + adaptive(*p99 / 1e3) + " ms";
  return adaptive(*p50) + " / " + adaptive(*p99) + " µs";
}

// The same of the best-of-passes figures ("best_p50_us", "best_p99_us").
std::string best(const json& g, const std::string& path) {
  auto p50 = num(g, path + "/best_p50_us"), p99 = num(g, path + "/best_p99_us");
  if (!p50 || !p99) return "-";
  json s = {{"x", {{"p50_us", *p50}, {"p99_us", *p99}}}};
  return latency(s, "/x");
}

std::string count(const json& g, const std::string& path, const char* f = "%.0f") {
  auto v = num(g, path);
  return v ? fmt(f, *v) : "-";
}

std::string times(const json& g, const std::string& path, const std::string& prefix = "") {
  auto p50 = num(g, path + "/" + prefix + "p50"), p99 = num(g, path + "/" + prefix + "p99");
  if (!p50 || !p99) return "-";
  auto one = [](double r) {
    return (r >= 100 ? fmt("%.0f", r) : r >= 10 ? fmt("%.1f", r) : fmt("%.2f", r)) + "×";
  };
  return one(*p50) + " / " + one(*p99);
}

void row(const std::string& label, const std::string& measured, const std::string& goal = "",
         const std::string& verdict = "") {
  std::printf("  %s%s%s%s\n", pad(label, kLabel).c_str(), pad(measured, kMeasured).c_str(),
              pad(goal, kGoal).c_str(), verdict.c_str());
}

class Verdicts {
 public:
  Verdicts(json& goals, const std::string& graph) : goals_(goals), graph_(graph) {}
  // Records goal `name` on this graph; returns the verdict to print.
  std::string judge(const std::string& name, std::optional<bool> pass) {
    const std::string v = !pass ? "SKIP" : *pass ? "PASS" : "MISS";
    goals_[graph_ + ": " + name] = v;
    if (v != "PASS") all_pass_ = false;
    return v;
  }
  bool all_pass() const { return all_pass_; }

 private:
  json& goals_;
  std::string graph_;
  bool all_pass_ = true;
};

std::optional<bool> below(std::optional<double> v, double limit) {
  if (!v) return std::nullopt;
  return *v < limit;
}

}  // namespace

int print_dispatch_report(const std::vector<std::string>& graphs, json& results,
                          const GoalSettings& gs) {
  json goals = json::object();
  bool all_pass = true;
  const std::string rate = fmt("%.0f/s", gs.fix_rate);
  for (const auto& name : graphs) {
    const json& g = results[name];
    Verdicts v(goals, name);
    std::printf("\n== %s: %s; %s nodes, %s arcs\n", name.c_str(), g.value("source", "?").c_str(),
                count(g, "/nodes").c_str(), count(g, "/arcs").c_str());
    if (g.contains("error") && !g.contains("inprocess")) {
      std::printf("  FAILED: %s\n", g["error"].get<std::string>().c_str());
      v.judge("in-node goals", std::nullopt);
      all_pass = false;
      continue;
    }
    std::printf("  %s%s%s%s\n", pad("measure", kLabel).c_str(), pad("measured", kMeasured).c_str(),
                pad("goal", kGoal).c_str(), "verdict");
    const json& ip = g.value("inprocess", json::object());
    std::printf("inside the node (fleet::Fleet in process; %s units, %s s)\n",
                count(g, "/units/count").c_str(), count(ip, "/run_s", "%.1f").c_str());
    row("recommendation, caller wall time p50 / p99", latency(ip, "/recommend/wall"),
        "p99 < 500 µs",
        v.judge("recommendation p99 < 500 µs in the node",
                below(num(ip, "/recommend/wall/p99_us"), gs.node_p99_us)));
    row("  its time on the fleet worker (micros) p50 / p99", latency(ip, "/recommend/worker"));
    row("  the rest: hand-over to the worker and back, p50 / p99",
        latency(ip, "/recommend/handover"));
    row("  recommendations answered (not by road; unfilled)",
        count(ip, "/recommend/wall/n") + " (" + count(ip, "/recommend/not_road") + "; " +
            count(ip, "/recommend/unfilled_positions") + ")");
    row("  candidates considered, mean", count(ip, "/recommend/considered_mean", "%.1f"));
    row("fixes offered / s (batches of " + count(ip, "/fixes/batch") + ")",
        count(ip, "/fixes/offered_per_s"));
    {
      auto absorbed = num(ip, "/fixes/absorbed_per_s");
      auto refused = num(ip, "/fixes/refused_batches"), rejected = num(ip, "/fixes/rejected");
      std::optional<bool> ok;
      if (absorbed && refused && rejected)
        ok = *absorbed >= gs.absorbed_share * gs.fix_rate && *refused == 0 && *rejected == 0;
      row("  fixes taken by ingest() / s", count(ip, "/fixes/applied_per_s"));
      row("fixes in the index / s (taken − queued at the end)", count(ip, "/fixes/absorbed_per_s"),
          "≥ 99% of " + rate, v.judge("position stream absorbed in the node", ok));
    }
    row("  refused batches / rejected / out of order", count(ip, "/fixes/refused_batches") + " / " +
                                                           count(ip, "/fixes/rejected") + " / " +
                                                           count(ip, "/fixes/out_of_order"));
    row("max apply lag (FleetStats::max_apply_lag_us)",
        count(ip, "/fixes/max_apply_lag_ms", "%.1f") + " ms", "< 100 ms",
        v.judge("every fix in the index within 100 ms",
                below(num(ip, "/fixes/max_apply_lag_ms"), gs.max_lag_ms)));
    row("  fix queue depth max / p99 / mean (5 ms samples)",
        count(ip, "/fixes/queue_depth/max") + " / " + count(ip, "/fixes/queue_depth/p99") + " / " +
            count(ip, "/fixes/queue_depth/mean", "%.1f"));
    if (ip.contains("fixes") && ip["fixes"].contains("queue_depth")) {
      std::string series;
      for (const auto& d : ip["fixes"]["queue_depth"].value("max_per_second", json::array()))
        series += (series.empty() ? "" : " ") + fmt("%.0f", d.get<double>());
      std::printf("    queue depth, max in each second: %s\n", series.c_str());
    }
    row("  drain after the last batch", count(ip, "/fixes/drain_ms", "%.2f") + " ms");
    row("  ingest() per batch p50 / p99 (validate, snap, queue)",
        latency(ip, "/fixes/ingest_call"));
    row("  late fix batches (> 5 ms) / late recommendations (> 1 ms)",
        count(ip, "/fixes/late_ticks") + " / " + count(ip, "/recommend/late_starts"));
    row("worker capacity: fixes/s applied, nothing else asked", count(ip, "/capacity/fixes_per_s"));
    row("  worker CPU per fix (busiest thread) / its CPU share",
        count(ip, "/capacity/worker_cpu_us_per_fix", "%.1f") + " µs / " +
            count(ip, "/capacity/worker_cpu_share", "%.2f"));
    row("memory: RSS with network, snap index, units", count(ip, "/memory/rss_network_mb") + " MB");
    row("  growth at fleet start (index of " + count(g, "/units/dispatchable") + " units)",
        count(ip, "/memory/fleet_start_growth_mb", "%.1f") + " MB");
    row("  growth during the run (" + count(ip, "/memory/fixes_in_memory_store") +
            " fixes in the memory store)",
        count(ip, "/memory/run_growth_mb", "%.1f") + " MB");
    row("  process peak (VmHWM)", count(ip, "/memory/hwm_mb") + " MB");
    row("other processes' CPU during the run",
        count(ip, "/machine/other_cores", "%.2f") + " cores");

    const json& b = ip.value("baseline", json::object());
    std::printf(
        "side by side, positions still (%s incidents at random nodes, rotating order; first pass, "
        "and\n"
        "each query's best of %s passes)\n",
        count(b, "/queries").c_str(), count(b, "/passes").c_str());
    auto both = [&](const std::string& label, const std::string& path) {
      row(label, latency(b, path));
      row("  best of passes", best(b, path));
    };
    both("fleet, routes on p50 / p99", "/fleet_routes_on");
    both("fleet, routes off p50 / p99", "/fleet_routes_off");
    both("SourceIndex alone + assign (no fleet) p50 / p99", "/index_alone");
    row("  of which the incident's snap p50 / p99", latency(b, "/incident_snap"));
    both("stopping Dijkstra, no index p50 / p99", "/dijkstra");
    row("  nodes settled per recommendation, mean", count(b, "/dijkstra_settled_mean"));
    row("ratio Dijkstra / fleet routes off (p50 / p99)", times(b, "/ratio_dijkstra_vs_routes_off"));
    row("  best of passes", times(b, "/ratio_dijkstra_vs_routes_off", "best_"));
    row("ratio Dijkstra / fleet routes on (p50 / p99)", times(b, "/ratio_dijkstra_vs_routes_on"));
    row("  best of passes", times(b, "/ratio_dijkstra_vs_routes_on", "best_"));
    row("ratio Dijkstra / index alone (p50 / p99)", times(b, "/ratio_dijkstra_vs_index_alone"));
    row("  best of passes", times(b, "/ratio_dijkstra_vs_index_alone", "best_"));
    row("fleet routes off / index alone (p50 / p99)", times(b, "/ratio_routes_off_vs_index_alone"));
    row("  best of passes", times(b, "/ratio_routes_off_vs_index_alone", "best_"));
    row("what routes cost: on / off (p50 / p99)", times(b, "/ratio_routes_on_vs_off"));
    row("  best of passes", times(b, "/ratio_routes_on_vs_off", "best_"));
    row("answers compared / differing (Dijkstra; index alone)",
        count(b, "/compared") + " / " + count(b, "/mismatches") + "; " +
            count(b, "/index_alone_mismatches"));

    const json& h = g.value("http", json::object());
    if (h.contains("skipped") || h.contains("error") || h.empty()) {
      const std::string why = h.contains("skipped") ? h["skipped"].get<std::string>()
                              : h.contains("error") ? h["error"].get<std::string>()
                                                    : "not run (--no-http)";
      std::printf("over HTTP: %s\n", why.c_str());
      row("recommendation over HTTP p99", "-", "p99 < 5 ms",
          v.judge("recommendation p99 < 5 ms over HTTP", std::nullopt));
      row("fixes applied over HTTP / s", "-", "≥ 99% of " + rate,
          v.judge("position stream absorbed over HTTP", std::nullopt));
    } else {
      std::printf("over HTTP (liandong serve, %s keep-alive connections per stream)\n",
                  count(h, "/connections").c_str());
      row("recommendation, HTTP latency p50 / p99", latency(h, "/recommend/http"), "p99 < 5 ms",
          v.judge("recommendation p99 < 5 ms over HTTP",
                  below(num(h, "/recommend/http/p99_us"), gs.http_p99_us)));
      row("  from when it was due p50 / p99", latency(h, "/recommend/http_from_due"));
      row("  the answer's micros p50 / p99", latency(h, "/recommend/node_micros"));
      row("  answered / failed / not by road", count(h, "/recommend/ok") + " / " +
                                                   count(h, "/recommend/failed") + " / " +
                                                   count(h, "/recommend/not_road"));
      {
        auto in_index = num(h, "/fixes/in_index_per_s");
        auto failed = num(h, "/fixes/requests_failed"), rejected = num(h, "/fixes/rejected");
        std::optional<bool> ok;
        if (failed && rejected)
          ok = in_index && *in_index >= gs.absorbed_share * gs.fix_rate && *failed == 0 &&
               *rejected == 0;
        row("  fixes taken / s (POST /positions answers)", count(h, "/fixes/applied_per_s"));
        row("fixes in the index / s (until the last one shows)", count(h, "/fixes/in_index_per_s"),
            "≥ 99% of " + rate, v.judge("position stream absorbed over HTTP", ok));
        row("  the last batch shown after its POST",
            count(h, "/last_fix_shown_after_ms", "%.0f") + " ms");
      }
      row("  POST /positions (" + count(ip, "/fixes/batch") + " fixes) p50 / p99",
          latency(h, "/fixes/request"));
      row("  rejected / out of order / failed requests",
          count(h, "/fixes/rejected") + " / " + count(h, "/fixes/out_of_order") + " / " +
              count(h, "/fixes/requests_failed"));
      row("apply lag: POST written → the fix shown by GET /units/{id}",
          latency(h, "/apply_probe/lag_upper_bound"));
      row("  probes / polls / gave up after 2 s", count(h, "/apply_probe/lag_upper_bound/n") +
                                                      " / " + count(h, "/apply_probe/polls") +
                                                      " / " + count(h, "/apply_probe/timeouts"));
      if (auto lag = num(h, "/apply_lag_ms"))
        row("max apply lag (the node's metrics)", fmt("%.1f ms", *lag), "< 100 ms",
            v.judge("every fix in the index within 100 ms over HTTP", *lag < gs.max_lag_ms));
      else if (auto probe = num(h, "/apply_lag_probe_ms"))
        row("max apply lag, upper bound (probe)", fmt("%.1f ms", *probe), "< 100 ms",
            v.judge("every fix in the index within 100 ms over HTTP", *probe < gs.max_lag_ms));
      else
        row("max apply lag", "not measured", "< 100 ms",
            v.judge("every fix in the index within 100 ms over HTTP", std::nullopt));
      row("node RSS started / after / peak", count(h, "/memory/node_rss_started_mb") + " / " +
                                                 count(h, "/memory/node_rss_after_mb") + " / " +
                                                 count(h, "/memory/node_hwm_mb") + " MB");
      row("node / generator / other CPU", count(h, "/machine/node_cores", "%.2f") + " / " +
                                              count(h, "/machine/generator_cores", "%.2f") + " / " +
                                              count(h, "/machine/other_cores", "%.2f") + " cores");
    }
    all_pass = all_pass && v.all_pass();
  }
  std::printf("\ngoals (issue: 10,000 units at one fix a second, 100 recommendations a second):\n");
  for (const auto& [goal, verdict] : goals.items())
    std::printf("%-4s %s\n", verdict.get<std::string>().c_str(), goal.c_str());
  results["goals"] = goals;
  return all_pass ? 0 : 2;
}

}  // namespace liandong::bench
