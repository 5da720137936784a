#include "app/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace liandong::app {

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// A double-quoted YAML string.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// Reads values with errors that name the file, the line and the key.
class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {}

  std::string where(const YAML::Node& v) const {
    return path_ + ":" + std::to_string(std::max(0, v.Mark().line) + 1) + ": ";
  }
  core::Status fail(const YAML::Node& v, const std::string& key, const std::string& message) const {
    return core::invalid(where(v) + key + " " + message, key);
  }
  template <typename T>
  core::Status integer(const YAML::Node& v, const std::string& key, int64_t lo, int64_t hi, T& out) const {
    auto x = v.as<int64_t>();
    if (x < lo || x > hi) return fail(v, key, "must be " + std::to_string(lo) + " to " + std::to_string(hi));
    out = static_cast<T>(x);
    return core::Status::ok();
  }
  core::Status real(const YAML::Node& v, const std::string& key, double lo, double hi, double& out) const {
    auto x = v.as<double>();
    if (!(x >= lo && x <= hi)) return fail(v, key, "must be " + number(lo) + " to " + number(hi));
    out = x;
    return core::Status::ok();
  }

 private:
  const std::string& path_;
};

// Calls `each(key, full_key, value)` for every member of section `name`; an absent or empty
// section is fine, anything but a mapping is not.
template <typename F>
core::Status read_section(const Reader& r, const std::string& name, const YAML::Node& section, F each) {
  if (section.IsNull()) return core::Status::ok();
  if (!section.IsMap()) return r.fail(section, name, "must be a mapping of keys (see the commented defaults)");
  for (const auto& kv : section) {
    std::string key = kv.first.as<std::string>("");
    std::string full = name + "." + key;
    core::Status st;
    try {
      st = each(key, full, kv.second);
    } catch (const YAML::Exception&) {
      return core::invalid(r.where(kv.second) + "'" + full + "' has a value of the wrong kind", full);
    }
    if (!st.is_ok()) return st;
  }
  return core::Status::ok();
}

core::Status read_limits(const Reader& r, const YAML::Node& section, LimitsConfig& l) {
  return read_section(r, "limits", section, [&](const std::string& key, const std::string& full,
                                                const YAML::Node& v) -> core::Status {
    if (key == "body_bytes") return r.integer(v, full, 1024, int64_t{1} << 30, l.body_bytes);
    if (key == "header_bytes") return r.integer(v, full, 1024, 1 << 20, l.header_bytes);
    if (key == "json_depth") return r.integer(v, full, 1, 1000, l.json_depth);
    if (key == "ws_message_bytes") return r.integer(v, full, 1024, 64 << 20, l.ws_message_bytes);
    if (key == "idle_timeout_s") return r.integer(v, full, 1, 3600, l.idle_timeout_s);
    if (key == "request_timeout_s") return r.integer(v, full, 1, 3600, l.request_timeout_s);
    if (key == "connections_per_address") return r.integer(v, full, 0, 1'000'000, l.connections_per_address);
    if (key == "address_requests_per_second") return r.real(v, full, 0, 1e7, l.address_requests_per_second);
    if (key == "address_burst") return r.real(v, full, 1, 1e8, l.address_burst);
    if (key == "principal_requests_per_second") return r.real(v, full, 0, 1e7, l.principal_requests_per_second);
    if (key == "principal_burst") return r.real(v, full, 1, 1e8, l.principal_burst);
    if (key == "allow_addresses") {
      l.allow_addresses.clear();
      if (v.IsNull()) return core::Status::ok();
      if (!v.IsSequence()) return r.fail(v, full, "must be a list, e.g. [\"10.0.0.0/8\", \"192.168.1.7\"]");
      for (const auto& item : v) {
        auto entry = item.as<std::string>();
        auto one = access::AddressList::parse({entry});
        if (!one) {
          const auto& m = one.status().message();  // "address entry 1 'x' ...": keep from the quote
          return core::invalid(r.where(item) + full + ": " + m.substr(std::min(m.find('\''), m.size())), full);
        }
        l.allow_addresses.push_back(entry);
      }
      return core::Status::ok();
    }
    return core::invalid(r.where(v) + "unknown key '" + full + "'", full);
  });
}

core::Status read_tls(const Reader& r, const YAML::Node& section, TlsConfig& t) {
  return read_section(r, "tls", section, [&](const std::string& key, const std::string& full,
                                             const YAML::Node& v) -> core::Status {
    if (key == "cert") t.cert = v.IsNull() ? "" : v.as<std::string>();
    else if (key == "key") t.key = v.IsNull() ? "" : v.as<std::string>();
    else return core::invalid(r.where(v) + "unknown key '" + full + "'", full);
    return core::Status::ok();
  });
}

core::Status read_access(const Reader& r, const YAML::Node& section, AccessConfig& a) {
  YAML::Node max_node;
  LD_RETURN_IF_ERROR(read_section(r, "access", section, [&](const std::string& key, const std::string& full,
                                                            const YAML::Node& v) -> core::Status {
    if (key == "session_hours") return r.integer(v, full, 1, 24 * 30, a.session_hours);
    if (key == "password_min_length") return r.integer(v, full, 8, 128, a.password_min_length);
    if (key == "backoff_free_failures") return r.integer(v, full, 0, 100, a.backoff_free_failures);
    if (key == "backoff_base_ms") return r.integer(v, full, 0, 600'000, a.backoff_base_ms);
    if (key == "backoff_max_ms") {
      max_node = v;
      return r.integer(v, full, 0, 3'600'000, a.backoff_max_ms);
    }
    return core::invalid(r.where(v) + "unknown key '" + full + "'", full);
  }));
  if (a.backoff_max_ms < a.backoff_base_ms)
    return r.fail(max_node.IsDefined() ? max_node : section, "access.backoff_max_ms",
                  "must not be less than access.backoff_base_ms (" + std::to_string(a.backoff_base_ms) + ")");
  return core::Status::ok();
}

core::Status read_string_list(const Reader& r, const YAML::Node& v, const std::string& full,
                              std::vector<std::string>& out) {
  out.clear();
  if (v.IsNull()) return core::Status::ok();
  if (!v.IsSequence()) return r.fail(v, full, "must be a list, e.g. [engine, ladder]");
  for (const auto& item : v) out.push_back(item.as<std::string>());
  return core::Status::ok();
}

core::Status read_mutual_aid(const Reader& r, const YAML::Node& v, std::vector<dispatch::MutualAidRule>& out) {
  out.clear();
  if (v.IsNull()) return core::Status::ok();
  if (!v.IsSequence())
    return r.fail(v, "dispatch.mutual_aid", "must be a list of {name, from, to, unit_types}");
  for (size_t i = 0; i < v.size(); ++i) {
    const YAML::Node& item = v[i];
    std::string at = "dispatch.mutual_aid[" + std::to_string(i) + "]";
    dispatch::MutualAidRule rule;
    LD_RETURN_IF_ERROR(read_section(r, at, item, [&](const std::string& key, const std::string& full,
                                                     const YAML::Node& x) -> core::Status {
      if (key == "name") rule.name = x.as<std::string>();
      else if (key == "from") rule.from = x.as<std::string>();
      else if (key == "to") rule.to = x.as<std::string>();
      else if (key == "unit_types") return read_string_list(r, x, full, rule.unit_types);
      else return core::invalid(r.where(x) + "unknown key '" + full + "' (name, from, to, unit_types)", full);
      return core::Status::ok();
    }));
    out.push_back(std::move(rule));
  }
  auto st = dispatch::check(out);
  if (!st.is_ok()) return core::invalid(r.where(v) + "dispatch." + st.message(), "dispatch." + st.field());
  return core::Status::ok();
}

core::Status read_dispatch(const Reader& r, const YAML::Node& section, DispatchConfig& d) {
  return read_section(r, "dispatch", section, [&](const std::string& key, const std::string& full,
                                                  const YAML::Node& v) -> core::Status {
    if (key == "stale_after_s") return r.integer(v, full, 5, 86400, d.stale_after_s);
    if (key == "coverage_target_s") return r.integer(v, full, 30, 3600, d.coverage_target_s);
    if (key == "unit_types") {
      LD_RETURN_IF_ERROR(read_string_list(r, v, full, d.unit_types));
      for (const auto& t : d.unit_types) {
        bool code = !t.empty() && t[0] >= 'a' && t[0] <= 'z';
        for (char ch : t) code = code && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_');
        if (!code) return r.fail(v, full, "entries must be codes of a-z, 0-9 and _ (got '" + t + "')");
      }
      return core::Status::ok();
    }
    if (key == "target_call_processing_s") return r.integer(v, full, 1, 3600, d.target_call_processing_s);
    if (key == "target_turnout_medical_s") return r.integer(v, full, 1, 3600, d.target_turnout_medical_s);
    if (key == "target_turnout_fire_s") return r.integer(v, full, 1, 3600, d.target_turnout_fire_s);
    if (key == "target_travel_first_engine_s") return r.integer(v, full, 1, 7200, d.target_travel_first_engine_s);
    if (key == "target_percentile") return r.real(v, full, 1, 100, d.target_percentile);
    if (key == "mutual_aid") return read_mutual_aid(r, v, d.mutual_aid);
    return core::invalid(r.where(v) + "unknown key '" + full + "'", full);
  });
}

}  // namespace

std::string default_config_yaml(const NodeConfig& c) {
  std::string y;
  y += "# Liandong node configuration. Command-line flags override these values.\n";
  y += "# Written on first start; edit and restart the node to change them.\n\n";
  y += "# GB/T 2260 code of the jurisdiction this node serves (it holds that code's tree).\n";
  y += "# A store belongs to one jurisdiction: it cannot be reopened under another code.\n";
  y += "jurisdiction: \"" + c.jurisdiction + "\"\n\n";
  y += "# Address the HTTP API, live stream and console listen on (port 0: any free port).\n";
  y += "listen: \"" + c.listen + "\"\n\n";
  y += "# IANA zone for showing times (stored times are always UTC).\n";
  y += "time_zone: \"" + c.time_zone + "\"\n\n";
  y += "# A new alarm joins an open incident of a compatible type within this distance (metres)\n";
  y += "# and this many minutes of the incident's last alarm.\n";
  y += "dedup_radius_m: " + std::to_string(static_cast<int>(c.dedup_radius_m)) + "\n";
  y += "dedup_window_min: " + std::to_string(c.dedup_window_min) + "\n\n";
  y += "# Journal events between snapshots of the live state (bounds start-up time).\n";
  y += "snapshot_every: " + std::to_string(c.snapshot_every) + "\n\n";
  y += "# Most commands committed together (one fsync); 1 commits each command alone.\n";
  y += "max_batch: " + std::to_string(c.max_batch) + "\n\n";
  y += "# Online tile URL for the console map, e.g. \"https://tile.example/{z}/{x}/{y}.png\".\n";
  y += "# Empty: the console uses the node's own base layers and needs no internet.\n";
  y += "tile_url: \"" + c.tile_url + "\"\n\n";
  y += "# Road network file (*.ldg, made with 'liandong graph import' or 'graph synth'; relative to\n";
  y += "# this file's folder). Empty: no roads; the road map, address search and routes answer 503.\n";
  y += "graph: " + quoted(c.graph) + "\n";
  y += "# A route's end (or an address) farther than this many metres from every road is not on a road.\n";
  y += "road_snap_m: " + number(c.road_snap_m) + "\n\n";
  y += "# CAP alerts the node issues (docs/ALERTS.md): the sender (no spaces, commas, < or &; empty:\n";
  y += "# \"{jurisdiction}@liandong\") and the issuing body's eight-digit code in the national identifiers\n";
  y += "# (GB/T 35965.1: department DDD, unit UUU, extension XX; docs/CAP.md).\n";
  y += "alert_sender: " + quoted(c.alert_sender) + "\n";
  y += "alert_body_code: \"" + c.alert_body_code + "\"\n\n";
  y += "# HTTP worker threads, and log level (debug, info, warn, error).\n";
  y += "http_threads: " + std::to_string(c.http_threads) + "\n";
  y += "log_level: \"" + c.log_level + "\"\n\n";
  const auto& l = c.limits;
  std::string allow;
  for (const auto& a : l.allow_addresses) allow += (allow.empty() ? "" : ", ") + quoted(a);
  y += "# Limits on what one client may send and how fast. A request over a size limit is refused\n";
  y += "# (413, 431, 400) and a client over a rate limit is answered 429 with Retry-After. The\n";
  y += "# per-address limits are high because a whole command centre may sit behind one address;\n";
  y += "# addresses and blocks in allow_addresses are exempt from them.\n";
  // "  key: value" with its comment in one column.
  auto item = [&y](const std::string& key, const std::string& value, const std::string& comment = {}) {
    std::string line = "  " + key + ": " + value;
    if (!comment.empty()) line += std::string(line.size() < 38 ? 38 - line.size() : 1, ' ') + "# " + comment;
    y += line + "\n";
  };
  y += "limits:\n";
  item("body_bytes", std::to_string(l.body_bytes), "largest request body");
  item("header_bytes", std::to_string(l.header_bytes), "largest request line and headers");
  item("json_depth", std::to_string(l.json_depth), "deepest nesting of request JSON");
  item("ws_message_bytes", std::to_string(l.ws_message_bytes), "largest message a stream client sends");
  item("idle_timeout_s", std::to_string(l.idle_timeout_s), "close a connection idle this long");
  item("request_timeout_s", std::to_string(l.request_timeout_s), "a request must arrive whole within this");
  item("connections_per_address", std::to_string(l.connections_per_address),
       "open connections per client address (0: none)");
  item("address_requests_per_second", number(l.address_requests_per_second),
       "requests per client address (0: no limit),");
  item("address_burst", number(l.address_burst), "of which this many may come at once");
  item("allow_addresses", "[" + allow + "]", "e.g. [\"10.0.0.0/8\", \"192.168.1.7\", \"fd00::/8\"]");
  item("principal_requests_per_second", number(l.principal_requests_per_second),
       "per signed-in person or API key (0: none),");
  item("principal_burst", number(l.principal_burst), "of which this many may come at once");
  y += "\n";
  y += "# HTTPS: a PEM certificate chain and its unencrypted private key (paths relative to this\n";
  y += "# file's folder). With both set the node speaks only HTTPS and WSS; both empty: plain HTTP.\n";
  y += "tls:\n";
  item("cert", quoted(c.tls.cert));
  item("key", quoted(c.tls.key));
  y += "\n";
  const auto& a = c.access;
  y += "# Sign-in. Failed sign-ins slow the source down rather than lock the account: after\n";
  y += "# backoff_free_failures failures from one address or for one name, each try waits\n";
  y += "# backoff_base_ms, doubling per further failure, up to backoff_max_ms.\n";
  y += "access:\n";
  item("session_hours", std::to_string(a.session_hours), "how long a sign-in lasts");
  item("password_min_length", std::to_string(a.password_min_length), "characters");
  item("backoff_free_failures", std::to_string(a.backoff_free_failures));
  item("backoff_base_ms", std::to_string(a.backoff_base_ms));
  item("backoff_max_ms", std::to_string(a.backoff_max_ms));
  y += "\n";
  const auto& d = c.dispatch;
  y += "# Dispatch. A unit whose newest position fix is older than stale_after_s is shown as stale\n";
  y += "# (and still recommended from there, flagged). Response-interval targets default to NFPA 1710\n";
  y += "# and are judged at target_percentile. unit_types adds types to the shared ones.\n";
  y += "# mutual_aid lets units respond outside their own area (a county's units elsewhere), e.g.\n";
  y += "#   mutual_aid:\n";
  y += "#     - {name: 惠阳支援惠城, from: \"441303\", to: \"441302\", unit_types: [engine, ambulance]}\n";
  y += "dispatch:\n";
  item("stale_after_s", std::to_string(d.stale_after_s));
  item("coverage_target_s", std::to_string(d.coverage_target_s), "coverage: travel time that counts as covered");
  item("target_call_processing_s", std::to_string(d.target_call_processing_s), "alarm received → first dispatch");
  item("target_turnout_medical_s", std::to_string(d.target_turnout_medical_s), "dispatched → en route (EMS)");
  item("target_turnout_fire_s", std::to_string(d.target_turnout_fire_s), "dispatched → en route (fire)");
  item("target_travel_first_engine_s", std::to_string(d.target_travel_first_engine_s), "first engine en route → on scene");
  item("target_percentile", number(d.target_percentile));
  std::string types;
  for (const auto& t : d.unit_types) types += (types.empty() ? "" : ", ") + t;
  item("unit_types", "[" + types + "]");
  if (d.mutual_aid.empty()) {
    item("mutual_aid", "[]");
  } else {
    y += "  mutual_aid:\n";
    for (const auto& m : d.mutual_aid) {
      std::string ts;
      for (const auto& t : m.unit_types) ts += (ts.empty() ? "" : ", ") + t;
      y += "    - {name: " + quoted(m.name) + ", from: \"" + m.from + "\", to: \"" + m.to + "\", unit_types: [" + ts + "]}\n";
    }
  }
  return y;
}

core::Result<NodeConfig> load_config(const std::string& path) {
  NodeConfig c;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return core::invalid(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg, "config");
  }
  if (root.IsNull()) return c;
  if (!root.IsMap()) return core::invalid(path + ": the configuration must be a mapping of keys", "config");
  auto range = [&](bool ok, const YAML::Node& v, const std::string& key, const std::string& what) -> core::Status {
    if (ok) return core::Status::ok();
    return core::invalid(path + ":" + std::to_string(v.Mark().line + 1) + ": " + key + " must be " + what, key);
  };
  Reader reader(path);
  YAML::Node tls_node;
  for (const auto& kv : root) {
    std::string key = kv.first.as<std::string>("");
    const YAML::Node& v = kv.second;
    auto where = path + ":" + std::to_string(v.Mark().line + 1) + ": ";
    core::Status st;
    try {
      if (key == "jurisdiction") c.jurisdiction = v.as<std::string>();
      else if (key == "listen") c.listen = v.as<std::string>();
      else if (key == "time_zone") c.time_zone = v.as<std::string>();
      else if (key == "dedup_radius_m") {
        c.dedup_radius_m = v.as<double>();
        st = range(c.dedup_radius_m >= 0 && c.dedup_radius_m <= 50000, v, key, "0 to 50000");
      } else if (key == "dedup_window_min") {
        c.dedup_window_min = v.as<int>();
        st = range(c.dedup_window_min >= 0 && c.dedup_window_min <= 24 * 60, v, key, "0 to 1440");
      } else if (key == "snapshot_every") {
        c.snapshot_every = v.as<uint64_t>();
        st = range(c.snapshot_every >= 100, v, key, "at least 100");
      } else if (key == "max_batch") {
        c.max_batch = v.as<size_t>();
        st = range(c.max_batch >= 1 && c.max_batch <= 100000, v, key, "1 to 100000");
      } else if (key == "http_threads") {
        c.http_threads = v.as<int>();
        st = range(c.http_threads >= 1 && c.http_threads <= 64, v, key, "1 to 64");
      } else if (key == "web_dir") c.web_dir = v.as<std::string>();
      else if (key == "divisions_dir") c.divisions_dir = v.as<std::string>();
      else if (key == "tile_url") c.tile_url = v.as<std::string>();
      else if (key == "graph") c.graph = v.as<std::string>();
      else if (key == "road_snap_m") {
        c.road_snap_m = v.as<double>();
        st = range(c.road_snap_m > 0 && c.road_snap_m <= 50000, v, key, "more than 0 and at most 50000");
      }
      else if (key == "log_level") c.log_level = v.as<std::string>();
      else if (key == "alert_sender") {
        c.alert_sender = v.as<std::string>();
        st = range(c.alert_sender.size() <= 200 && c.alert_sender.find_first_of(" \t\r\n,<&") == std::string::npos, v,
                   key, "a CAP sender without spaces, commas, < or &");
      } else if (key == "alert_body_code") {
        c.alert_body_code = v.as<std::string>();
        st = range(c.alert_body_code.size() == 8 &&
                       c.alert_body_code.find_first_not_of("0123456789") == std::string::npos,
                   v, key, "eight digits (DDDUUUXX)");
      }
      else if (key == "limits") st = read_limits(reader, v, c.limits);
      else if (key == "tls") {
        tls_node = v;
        st = read_tls(reader, v, c.tls);
      } else if (key == "access") st = read_access(reader, v, c.access);
      else if (key == "dispatch") st = read_dispatch(reader, v, c.dispatch);
      else return core::invalid(where + "unknown key '" + key + "'", key);
    } catch (const YAML::Exception&) {
      return core::invalid(where + "'" + key + "' has a value of the wrong kind", key);
    }
    if (!st.is_ok()) return st;
  }
  if (c.tls.cert.empty() != c.tls.key.empty())
    return core::invalid(reader.where(tls_node) + "tls needs both cert and key (or neither, for plain HTTP)",
                         c.tls.cert.empty() ? "tls.cert" : "tls.key");
  auto folder = std::filesystem::path(path).parent_path();
  for (auto* file : {&c.tls.cert, &c.tls.key, &c.graph})
    if (!file->empty() && std::filesystem::path(*file).is_relative()) *file = (folder / *file).lexically_normal().string();
  return c;
}

core::Status apply_server_limits(const NodeConfig& c, api::http::ServerOptions& o) {
  const auto& l = c.limits;
  auto allow = access::AddressList::parse(l.allow_addresses);
  if (!allow) return core::invalid("limits.allow_addresses: " + allow.status().message(), "limits.allow_addresses");
  o.body_limit = l.body_bytes;
  o.header_limit = l.header_bytes;
  o.ws_message_limit = l.ws_message_bytes;
  o.idle_timeout = std::chrono::seconds(l.idle_timeout_s);
  o.request_timeout = std::chrono::seconds(l.request_timeout_s);
  o.connections_per_address = l.connections_per_address;
  o.address_requests_per_second = l.address_requests_per_second;
  o.address_burst = l.address_burst;
  o.allow_addresses = std::move(*allow);
  o.tls_cert_file = c.tls.cert;
  o.tls_key_file = c.tls.key;
  return core::Status::ok();
}

access::BackoffOptions backoff_options(const AccessConfig& a) {
  access::BackoffOptions o;
  o.free_failures = a.backoff_free_failures;
  o.base = core::Millis(a.backoff_base_ms);
  o.max = core::Millis(a.backoff_max_ms);
  return o;
}

core::Status write_config_if_missing(const std::string& path, const NodeConfig& c) {
  if (std::filesystem::exists(path)) return core::Status::ok();
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << default_config_yaml(c);
    if (!out) return core::unavailable("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return core::unavailable("cannot write " + path + ": " + ec.message());
  return core::Status::ok();
}

core::Result<HostPort> parse_listen(const std::string& s) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return core::invalid("listen address '" + s + "' must be HOST:PORT, e.g. 127.0.0.1:8080", "listen");
  HostPort hp;
  hp.host = s.substr(0, colon);
  if (hp.host.size() > 2 && hp.host.front() == '[' && hp.host.back() == ']') hp.host = hp.host.substr(1, hp.host.size() - 2);
  unsigned port = 0;
  auto p = s.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (p.empty() || ec != std::errc{} || ptr != p.data() + p.size() || port > 65535)
    return core::invalid("listen port in '" + s + "' must be 0 to 65535", "listen");
  hp.port = static_cast<uint16_t>(port);
  return hp;
}

}  // namespace liandong::app
