// liandong: the node program. Subcommands: serve, demo, admin.
#include <CLI/CLI.hpp>
#ifdef LIANDONG_MIMALLOC
#include <mimalloc.h>
#endif

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "access/secrets.h"
#include "app/accounts.h"
#include "app/cap_cli.h"
#include "app/admin_socket.h"
#include "app/offline.h"
#include "app/config.h"
#include "app/demo.h"
#include "app/demo_crews.h"
#include "app/demo_duty.h"
#include "app/demo_monitoring.h"
#include "app/graph_cli.h"
#include "app/node.h"
#include "app/plan_cli.h"
#include "core/log.h"

namespace fs = std::filesystem;
using namespace liandong;

namespace {

struct ServeFlags {
  std::string data = "./liandong-data";
  std::string listen, jurisdiction, graph, web, log_level;
  bool test_clock = false;
};

void add_node_flags(CLI::App* cmd, ServeFlags& f, bool demo) {
  cmd->add_option("--data", f.data,
                  demo ? "Data folder (default: a fresh temporary folder)" : "Data folder of the store (created on first start)");
  cmd->add_option("--listen", f.listen, "HOST:PORT for the API and console (default 127.0.0.1:8080; port 0: any)");
  if (!demo) {
    cmd->add_option("--jurisdiction", f.jurisdiction, "GB/T 2260 code of this node (default from liandong.yaml, 441300)");
    cmd->add_option("--graph", f.graph, "Road network file (*.ldg, from 'liandong graph'): road map, address search, routes");
    cmd->add_flag("--test-clock", f.test_clock, "Start with a settable clock (POST /api/v1/test/clock); tests only");
  }
  cmd->add_option("--web", f.web, "Folder of the built console (default: the one built with this binary)");
  cmd->add_option("--log-level", f.log_level, "debug, info, warn or error");
}

int fail(const core::Status& st) {
  core::log::error("cannot start", {{"error", st.to_string()}});
  std::cerr << "liandong: " << st.message() << "\n";
  return 1;
}

core::Result<app::NodeConfig> prepare(const ServeFlags& f, const std::string& default_jurisdiction) {
  std::error_code ec;
  fs::create_directories(f.data, ec);
  if (ec) return core::unavailable("cannot create data folder " + f.data + ": " + ec.message());
  std::string path = (fs::path(f.data) / "liandong.yaml").string();
  app::NodeConfig first;
  first.jurisdiction = f.jurisdiction.empty() ? default_jurisdiction : f.jurisdiction;
  if (!f.listen.empty()) first.listen = f.listen;
  LD_RETURN_IF_ERROR(app::write_config_if_missing(path, first));
  auto c = app::load_config(path);
  if (!c) return c.status();
  if (!f.jurisdiction.empty()) c->jurisdiction = f.jurisdiction;
  if (!f.listen.empty()) c->listen = f.listen;
  if (!f.graph.empty()) c->graph = f.graph;
  if (!f.web.empty()) c->web_dir = f.web;
  if (!f.log_level.empty()) c->log_level = f.log_level;
  core::log::set_level(core::log::parse_level(c->log_level, core::log::Level::kInfo));
  return c;
}

// Which malloc the program runs on (CMake's LIANDONG_ALLOCATOR), logged at start: throughput at
// full intake depends on it (docs/BENCHMARKS.md, "Intake").
void log_allocator() {
#ifdef LIANDONG_MIMALLOC
  int v = mi_version();
  core::log::info("allocator", {{"malloc", "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) +
                                               "." + std::to_string(v % 10)}});
#else
  core::log::info("allocator", {{"malloc", "system"}});
#endif
}

int serve(const ServeFlags& f) {
  auto c = prepare(f, "441300");
  if (!c) return fail(c.status());
  log_allocator();
  auto node = app::Node::start({f.data, *c, f.test_clock});
  if (!node) return fail(node.status());
  auto sig = app::wait_for_termination();
  core::log::info("shutting down", {{"signal", sig}});
  (*node)->stop();
  return 0;
}

int demo(ServeFlags f, int interval_ms, bool quiet) {
  if (f.data == "./liandong-data") {
    char tmpl[] = "/tmp/liandong-demo-XXXXXX";
    if (!::mkdtemp(tmpl)) return fail(core::unavailable("cannot create a temporary folder"));
    f.data = tmpl;
  }
  f.jurisdiction = app::demo::kCity;
  auto c = prepare(f, app::demo::kCity);
  if (!c) return fail(c.status());
  log_allocator();
  {
    std::ofstream out(fs::path(f.data) / "boundaries.geojson");
    out << app::demo::boundaries().dump();
  }
  auto roads = app::demo::ensure_road_network(f.data);
  if (!roads) return fail(roads.status());
  c->graph = *roads;
  auto node = app::Node::start({f.data, *c, false});
  if (!node) return fail(node.status());
  auto st = app::demo::seed((*node)->engine());
  if (!st.is_ok()) return fail(st);
  auto accounts = app::demo::create_accounts((*node)->engine(), f.data, (*node)->auth().options().password_cost);
  if (!accounts) return fail(accounts.status());
  st = app::demo::seed_plans((*node)->engine(), app::demo::examples_dir());
  if (!st.is_ok()) return fail(st);
  st = app::demo::seed_monitoring((*node)->engine(), app::demo::examples_dir());
  if (!st.is_ok()) return fail(st);
  app::demo::AlarmTrickle trickle((*node)->engine(), std::chrono::milliseconds(interval_ms));
  if (const auto* r = (*node)->roads()) trickle.use_places(&r->places());
  if (!quiet) trickle.start();
  app::demo::Crews crews((*node)->engine(), (*node)->fleet());
  if (!quiet) crews.start();
  app::demo::DutyDesk desk((*node)->engine());
  if (!quiet) desk.start();
  app::demo::MonitoringTrickle monitoring((*node)->engine(), (*node)->watch(), (*node)->clock());
  if (!quiet) monitoring.start();
  std::cout << "\nLiandong demo: 惠州市 (441300) with five counties, agencies, units that drive, live alarms,\n"
            << "  and monitoring stations on the 东江/西枝江 whose cadmium spikes raise warnings by themselves.\n"
            << "  Console: " << (*node)->url() << "\n"
            << "  Data:    " << f.data << "\n"
            << "  Sign in as any of: call_taker dispatcher duty_officer supervisor incident_commander\n"
            << "                     agency_liaison monitoring_analyst report_reviewer auditor administrator\n"
            << "  Password (all demo accounts): " << (*accounts)["password"].get<std::string>() << "\n"
            << "  (also in " << (fs::path(f.data) / "demo-accounts.json").string() << ")\n"
            << "Press Ctrl-C to stop.\n"
            << std::endl;
  auto sig = app::wait_for_termination();
  core::log::info("shutting down", {{"signal", sig}});
  trickle.stop();
  crews.stop();
  desk.stop();
  monitoring.stop();
  (*node)->stop();
  return 0;
}

int admin(const std::string& data, const std::string& cmd) {
  auto r = app::admin_call((fs::path(data) / "admin.sock").string(), {{"cmd", cmd}});
  if (!r) {
    std::cerr << "liandong: " << r.status().message() << "\n";
    return 2;
  }
  std::cout << r->dump(2) << "\n";
  return r->value("ok", false) ? 0 : 1;
}

// A command that changes the store: through the running node's admin socket when there is one,
// else on the store directly. Prints the answer; 0 on success.
int through_node_or_store(
    const std::string& data, const nlohmann::json& request,
    const std::function<core::Result<nlohmann::json>(engine::Engine&, store::SqliteStore&)>& offline) {
  auto sock = (fs::path(data) / "admin.sock").string();
  if (fs::exists(sock)) {
    auto r = app::admin_call(sock, request);
    if (!r && r.status().code() != core::Code::kUnavailable) {
      std::cerr << "liandong: " << r.status().message() << "\n";
      return 1;
    }
    if (r) {
      if (!r->value("ok", false)) {
        std::cerr << "liandong: " << r->value("message", std::string("refused")) << "\n";
        return 1;
      }
      std::cout << r->dump(2) << "\n";
      return 0;
    }
    // A stale socket of a node that is gone: fall through to the store.
  }
  ServeFlags f;
  f.data = data;
  auto c = prepare(f, "441300");
  if (!c) return fail(c.status());
  auto r = app::with_offline_engine(data, *c, offline);
  if (!r) {
    std::cerr << "liandong: " << r.status().message() << "\n";
    return 1;
  }
  std::cout << r->dump(2) << "\n";
  return 0;
}

int admin_create(const std::string& data, const std::string& name, bool password_stdin) {
  if (!password_stdin) {
    std::cerr << "liandong: give the password on standard input with --password-stdin (never on the command line)\n";
    return 2;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  ServeFlags f;
  f.data = data;
  auto c = prepare(f, "441300");
  if (!c) return fail(c.status());
  size_t min_length = static_cast<size_t>(c->access.password_min_length);
  auto offline = [&](engine::Engine& e, store::SqliteStore&) {
    return app::create_administrator(e, name, password, min_length, access::PasswordCost::interactive(),
                                     engine::Actor("cli", "command-line"));
  };
  int rc = through_node_or_store(data, {{"cmd", "create_admin"}, {"name", name}, {"password", password}}, offline);
  access::wipe(password);
  return rc;
}

int key_create(const std::string& data, const std::string& role, const std::string& jurisdiction,
               const std::string& name) {
  auto offline = [&](engine::Engine& e, store::SqliteStore& s) -> core::Result<nlohmann::json> {
    auto secret = app::node_secret(s);
    if (!secret) return secret.status();
    return app::create_api_key(e, *secret, name, role, jurisdiction.empty() ? e.options().node : jurisdiction,
                               engine::Actor("cli", "command-line"));
  };
  nlohmann::json req = {{"cmd", "create_key"}, {"role", role}, {"name", name}};
  if (!jurisdiction.empty()) req["jurisdiction"] = jurisdiction;
  return through_node_or_store(data, req, offline);
}

int audit_verify(const std::string& data) {
  auto sock = (fs::path(data) / "admin.sock").string();
  core::Result<nlohmann::json> r = core::unavailable("no node");
  if (fs::exists(sock)) r = app::admin_call(sock, {{"cmd", "audit_verify"}});
  // Only when no node runs (a stale socket): a node that is slow to answer holds the store.
  if (!r && r.status().code() == core::Code::kUnavailable) r = app::verify_offline(data);
  if (!r) {
    std::cerr << "liandong: " << r.status().message() << "\n";
    return 2;
  }
  std::cout << r->value("message", std::string()) << "\n";
  return r->value("ok", false) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  app::block_termination_signals();
  CLI::App cli{"Liandong (联动): multi-agency emergency coordination node"};
  cli.require_subcommand(1);
  ServeFlags serve_flags, demo_flags;
  auto* serve_cmd = cli.add_subcommand("serve", "Run a node on an embedded SQLite store");
  add_node_flags(serve_cmd, serve_flags, false);
  auto* demo_cmd = cli.add_subcommand("demo", "Run a node on a fresh store with a synthetic city and live alarms");
  add_node_flags(demo_cmd, demo_flags, true);
  int interval_ms = 5000;
  bool quiet = false;
  demo_cmd->add_option("--interval-ms", interval_ms, "Mean time between demo alarms (default 5000)")
      ->check(CLI::Range(50, 3'600'000));
  demo_cmd->add_flag("--no-alarms", quiet, "Seed the city but report no alarms and move no units");
  auto* admin_cmd = cli.add_subcommand("admin", "Talk to a running node through its admin socket");
  admin_cmd->require_subcommand(1);
  std::string admin_data = "./liandong-data";
  std::string admin_what;
  for (auto [name, help] : {std::pair{"status", "Show the running node's journal position and counts"},
                            std::pair{"verify", "Verify the journal's hash chain"}}) {
    auto* sub = admin_cmd->add_subcommand(name, help);
    sub->add_option("--data", admin_data, "Data folder of the running node");
    sub->callback([&admin_what, n = std::string(name)] { admin_what = n; });
  }
  std::string person_name;
  bool password_stdin = false;
  auto* admin_create_cmd =
      admin_cmd->add_subcommand("create", "Create an administrator (through the running node, or on the store)");
  admin_create_cmd->add_option("--data", admin_data, "Data folder");
  admin_create_cmd->add_option("--name", person_name, "Sign-in name (lower-case letters, digits, . _ - @)")->required();
  admin_create_cmd->add_flag("--password-stdin", password_stdin, "Read the password from standard input");
  admin_create_cmd->callback([&admin_what] { admin_what = "create"; });

  auto* key_cmd = cli.add_subcommand("key", "API keys for machine clients");
  key_cmd->require_subcommand(1);
  std::string key_role, key_jurisdiction, key_name;
  auto* key_create_cmd = key_cmd->add_subcommand("create", "Create an API key and print it (shown once)");
  key_create_cmd->add_option("--data", admin_data, "Data folder");
  key_create_cmd->add_option("--role", key_role, "Role of the key (e.g. cad_bridge, sensor_gateway, peer_node)")->required();
  key_create_cmd->add_option("--jurisdiction", key_jurisdiction, "Where the key acts (default: the node's code)");
  key_create_cmd->add_option("--name", key_name, "What the key is for");

  auto* audit_cmd = cli.add_subcommand("audit", "The audit trail (the journal)");
  audit_cmd->require_subcommand(1);
  auto* audit_verify_cmd = audit_cmd->add_subcommand("verify", "Check the whole hash chain; name the first broken link");
  audit_verify_cmd->add_option("--data", admin_data, "Data folder");
  app::GraphCommands graph_commands(cli);
  app::PlanCommands plan_commands(cli);
  app::CapCommands cap_commands(cli);
  auto* version = cli.add_subcommand("version", "Print the version");
  CLI11_PARSE(cli, argc, argv);

  if (serve_cmd->parsed()) return serve(serve_flags);
  if (demo_cmd->parsed()) return demo(demo_flags, interval_ms, quiet);
  if (admin_cmd->parsed() && admin_what == "create") return admin_create(admin_data, person_name, password_stdin);
  if (admin_cmd->parsed()) return admin(admin_data, admin_what);
  if (key_create_cmd->parsed()) return key_create(admin_data, key_role, key_jurisdiction, key_name);
  if (audit_verify_cmd->parsed()) return audit_verify(admin_data);
  if (graph_commands.chosen()) return graph_commands.run();
  if (plan_commands.chosen()) return plan_commands.run();
  if (cap_commands.chosen()) return cap_commands.run();
  if (version->parsed()) {
    std::cout << "liandong 0.1.0\n";
    return 0;
  }
  return 1;
}
