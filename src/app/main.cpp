// liandong: the node program. Subcommands: serve, demo, admin.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/admin_socket.h"
#include "app/config.h"
#include "app/demo.h"
#include "app/node.h"
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
    cmd->add_option("--graph", f.graph, "Road graph file (not yet supported; see the routing issue)");
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

int serve(const ServeFlags& f) {
  auto c = prepare(f, "441300");
  if (!c) return fail(c.status());
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
  {
    std::ofstream out(fs::path(f.data) / "boundaries.geojson");
    out << app::demo::boundaries().dump();
  }
  auto node = app::Node::start({f.data, *c, false});
  if (!node) return fail(node.status());
  auto st = app::demo::seed((*node)->engine());
  if (!st.is_ok()) return fail(st);
  app::demo::AlarmTrickle trickle((*node)->engine(), std::chrono::milliseconds(interval_ms));
  if (!quiet) trickle.start();
  std::cout << "\nLiandong demo: 惠州市 (441300) with five counties, agencies, units and live alarms.\n"
            << "  Console: " << (*node)->url() << "\n"
            << "  Data:    " << f.data << "\n"
            << "Press Ctrl-C to stop.\n"
            << std::endl;
  auto sig = app::wait_for_termination();
  core::log::info("shutting down", {{"signal", sig}});
  trickle.stop();
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
  demo_cmd->add_flag("--no-alarms", quiet, "Seed the city but report no alarms");
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
  auto* version = cli.add_subcommand("version", "Print the version");
  CLI11_PARSE(cli, argc, argv);

  if (serve_cmd->parsed()) return serve(serve_flags);
  if (demo_cmd->parsed()) return demo(demo_flags, interval_ms, quiet);
  if (admin_cmd->parsed()) return admin(admin_data, admin_what);
  if (version->parsed()) {
    std::cout << "liandong 0.1.0\n";
    return 0;
  }
  return 1;
}
