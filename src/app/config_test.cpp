#include "app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <vector>

namespace liandong::app {
namespace {

std::string temp_file(const std::string& text) {
  char tmpl[] = "/tmp/liandong-config-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  std::string path = dir + "/liandong.yaml";
  std::ofstream(path) << text;
  return path;
}

TEST(Config, DefaultFileRoundTrips) {
  NodeConfig c;
  c.jurisdiction = "441300";
  auto path = temp_file(default_config_yaml(c));
  auto back = load_config(path);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->jurisdiction, "441300");
  EXPECT_EQ(back->listen, "127.0.0.1:8080");
  EXPECT_EQ(back->time_zone, "Asia/Shanghai");
}

TEST(Config, ErrorsNameFileAndLine) {
  auto path = temp_file("jurisdiction: \"441300\"\nlisten: [1, 2]\n");
  auto r = load_config(path);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("liandong.yaml:2"), std::string::npos) << r.status().message();
  auto unknown = load_config(temp_file("colour: red\n"));
  EXPECT_NE(unknown.status().message().find("unknown key 'colour'"), std::string::npos);
  auto broken = load_config(temp_file("a: [\n"));
  EXPECT_FALSE(broken.is_ok());
  EXPECT_FALSE(load_config(temp_file("http_threads: 0\n")).is_ok());
}

// The message of a failed load of `text`, or "" when it loads.
std::string load_error(const std::string& text) {
  auto r = load_config(temp_file(text));
  return r.is_ok() ? "" : r.status().message();
}

TEST(Config, DefaultFileHasCommentedLimitsTlsAndAccessSections) {
  NodeConfig c;
  auto y = default_config_yaml(c);
  for (const char* needle : {"\nlimits:\n", "\ntls:\n", "\naccess:\n", "  body_bytes: 1048576", "  json_depth: 32",
                             "  allow_addresses: []", "  principal_requests_per_second: 50", "  principal_burst: 200",
                             "  cert: \"\"", "  session_hours: 12", "  password_min_length: 10",
                             "  backoff_free_failures: 3", "  backoff_base_ms: 1000", "  backoff_max_ms: 60000",
                             "# Limits on what one client may send"})
    EXPECT_NE(y.find(needle), std::string::npos) << needle << "\n" << y;
  auto back = load_config(temp_file(y));
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->limits.body_bytes, 1u << 20);
  EXPECT_EQ(back->limits.header_bytes, 16u << 10);
  EXPECT_EQ(back->limits.ws_message_bytes, 1u << 20);
  EXPECT_EQ(back->limits.idle_timeout_s, 60);
  EXPECT_EQ(back->limits.request_timeout_s, 30);
  EXPECT_EQ(back->limits.connections_per_address, 256u);
  EXPECT_EQ(back->limits.address_requests_per_second, 2000);
  EXPECT_EQ(back->limits.address_burst, 4000);
  EXPECT_TRUE(back->limits.allow_addresses.empty());
  EXPECT_TRUE(back->tls.cert.empty());
  EXPECT_TRUE(back->tls.key.empty());
  EXPECT_EQ(back->access.session_hours, 12);
}

TEST(Config, NonDefaultSectionsRoundTrip) {
  NodeConfig c;
  c.limits.body_bytes = 4096;
  c.limits.header_bytes = 2048;
  c.limits.json_depth = 8;
  c.limits.ws_message_bytes = 65536;
  c.limits.idle_timeout_s = 5;
  c.limits.request_timeout_s = 7;
  c.limits.connections_per_address = 0;
  c.limits.address_requests_per_second = 0.5;
  c.limits.address_burst = 3;
  c.limits.allow_addresses = {"10.0.0.0/8", "::1", "fd00::/8"};
  c.limits.principal_requests_per_second = 12.5;
  c.limits.principal_burst = 40;
  c.tls.cert = "/etc/liandong/\"odd\".pem";
  c.tls.key = "/etc/liandong/key.pem";
  c.access = {24, 12, 5, 250, 8000};
  auto back = load_config(temp_file(default_config_yaml(c)));
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  const auto& l = back->limits;
  EXPECT_EQ(l.body_bytes, 4096u);
  EXPECT_EQ(l.header_bytes, 2048u);
  EXPECT_EQ(l.json_depth, 8u);
  EXPECT_EQ(l.ws_message_bytes, 65536u);
  EXPECT_EQ(l.idle_timeout_s, 5);
  EXPECT_EQ(l.request_timeout_s, 7);
  EXPECT_EQ(l.connections_per_address, 0u);
  EXPECT_EQ(l.address_requests_per_second, 0.5);
  EXPECT_EQ(l.address_burst, 3);
  EXPECT_EQ(l.allow_addresses, c.limits.allow_addresses);
  EXPECT_EQ(l.principal_requests_per_second, 12.5);
  EXPECT_EQ(l.principal_burst, 40);
  EXPECT_EQ(back->tls.cert, c.tls.cert);
  EXPECT_EQ(back->tls.key, c.tls.key);
  EXPECT_EQ(back->access.session_hours, 24);
  EXPECT_EQ(back->access.password_min_length, 12);
  EXPECT_EQ(back->access.backoff_free_failures, 5);
  EXPECT_EQ(back->access.backoff_base_ms, 250);
  EXPECT_EQ(back->access.backoff_max_ms, 8000);
}

TEST(Config, SectionErrorsNameKeyAndLine) {
  struct Case {
    std::string text, expect;
  };
  for (const auto& t : std::vector<Case>{
           {"listen: \"127.0.0.1:0\"\nlimits:\n  body_bytes: 10\n", "liandong.yaml:3: limits.body_bytes must be 1024 to"},
           {"limits:\n  json_depth: 0\n", "liandong.yaml:2: limits.json_depth must be 1 to 1000"},
           {"limits:\n  json_depth: deep\n", "liandong.yaml:2: 'limits.json_depth' has a value of the wrong kind"},
           {"limits:\n  idle_timeout_s: 1.5\n", "'limits.idle_timeout_s' has a value of the wrong kind"},
           {"limits:\n  header_bytes: -1\n", "limits.header_bytes must be 1024 to"},
           {"limits:\n  address_burst: 0\n", "limits.address_burst must be 1 to"},
           {"limits:\n  address_requests_per_second: -5\n", "limits.address_requests_per_second must be 0 to"},
           {"limits:\n  colour: red\n", "liandong.yaml:2: unknown key 'limits.colour'"},
           {"limits: 5\n", "liandong.yaml:1: limits must be a mapping"},
           {"limits:\n  allow_addresses:\n    - 10.0.0.0/8\n    - 10.0.0.0/33\n",
            "liandong.yaml:4: limits.allow_addresses: '10.0.0.0/33' has a bad prefix length"},
           {"limits:\n  allow_addresses: [\"::1\", \"intranet\"]\n",
            "limits.allow_addresses: 'intranet' is not an IP address or CIDR block"},
           {"limits:\n  allow_addresses: 10.0.0.0/8\n", "liandong.yaml:2: limits.allow_addresses must be a list"},
           {"tls:\n  cert: \"a.pem\"\n", "liandong.yaml:2: tls needs both cert and key"},
           {"tls:\n  kee: \"a.pem\"\n", "unknown key 'tls.kee'"},
           {"access:\n  password_min_length: 4\n", "liandong.yaml:2: access.password_min_length must be 8 to 128"},
           {"access:\n  session_hours: 0\n", "access.session_hours must be 1 to 720"},
           {"access:\n  backoff_max_ms: 500\n  backoff_base_ms: 2000\n",
            "liandong.yaml:2: access.backoff_max_ms must not be less than access.backoff_base_ms (2000)"},
       }) {
    auto message = load_error(t.text);
    EXPECT_NE(message.find(t.expect), std::string::npos) << t.text << "\n→ " << message;
  }
  // Order within a section does not matter, and an empty section is the defaults.
  EXPECT_EQ(load_error("access:\n  backoff_max_ms: 500\n  backoff_base_ms: 100\n"), "");
  EXPECT_EQ(load_error("limits:\ntls:\naccess:\n"), "");
}

TEST(Config, RelativeTlsPathsAreTakenFromTheConfigFolder) {
  auto path = temp_file("tls:\n  cert: \"certs/node.pem\"\n  key: \"/abs/node.key\"\n");
  auto c = load_config(path);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(c->tls.cert, (std::filesystem::path(path).parent_path() / "certs/node.pem").string());
  EXPECT_EQ(c->tls.key, "/abs/node.key");
}

TEST(Config, RoadNetworkFileAndSnapDistance) {
  NodeConfig defaults;
  auto text = default_config_yaml(defaults);
  EXPECT_NE(text.find("graph: \"\""), std::string::npos) << text;
  EXPECT_NE(text.find("road_snap_m: 500"), std::string::npos) << text;
  auto back = load_config(temp_file(text));
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->graph, "");
  EXPECT_EQ(back->road_snap_m, 500);
  auto path = temp_file("graph: \"maps/city.ldg\"\nroad_snap_m: 250\n");
  auto c = load_config(path);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(c->graph, (std::filesystem::path(path).parent_path() / "maps/city.ldg").string());
  EXPECT_EQ(c->road_snap_m, 250);
  EXPECT_EQ(load_config(temp_file("graph: \"/abs/city.ldg\"\n"))->graph, "/abs/city.ldg");
  for (const char* bad : {"road_snap_m: 0\n", "road_snap_m: -5\n", "road_snap_m: 60000\n", "road_snap_m: far\n"}) {
    auto message = load_error(bad);
    EXPECT_NE(message.find("road_snap_m"), std::string::npos) << bad << " → " << message;
    EXPECT_NE(message.find("liandong.yaml:1"), std::string::npos) << bad << " → " << message;
  }
}

TEST(Config, CapSenderAndBodyCode) {
  NodeConfig defaults;
  auto text = default_config_yaml(defaults);
  EXPECT_NE(text.find("alert_body_code: \"11000000\""), std::string::npos) << text;
  auto back = load_config(temp_file(text));
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->alert_sender, "");
  EXPECT_EQ(back->alert_body_code, "11000000");
  auto c = load_config(temp_file("alert_sender: \"yjj@huizhou.gov.cn\"\nalert_body_code: \"41600000\"\n"));
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(c->alert_sender, "yjj@huizhou.gov.cn");
  EXPECT_EQ(c->alert_body_code, "41600000");
  for (const char* bad : {"alert_body_code: \"4160\"\n", "alert_body_code: \"4160000X\"\n", "alert_sender: \"a b\"\n",
                          "alert_sender: \"a,b\"\n"}) {
    auto message = load_error(bad);
    EXPECT_NE(message.find("liandong.yaml:1"), std::string::npos) << bad << " → " << message;
  }
}

TEST(Config, AppliesToServerAndBackoffOptions) {
  NodeConfig c;
  c.limits.body_bytes = 5000;
  c.limits.header_bytes = 3000;
  c.limits.ws_message_bytes = 7000;
  c.limits.idle_timeout_s = 9;
  c.limits.request_timeout_s = 4;
  c.limits.connections_per_address = 17;
  c.limits.address_requests_per_second = 30;
  c.limits.address_burst = 60;
  c.limits.allow_addresses = {"192.168.0.0/16"};
  c.tls = {"/c.pem", "/k.pem"};
  api::http::ServerOptions o;
  o.host = "0.0.0.0";
  ASSERT_TRUE(apply_server_limits(c, o).is_ok());
  EXPECT_EQ(o.host, "0.0.0.0");  // untouched
  EXPECT_EQ(o.body_limit, 5000u);
  EXPECT_EQ(o.header_limit, 3000u);
  EXPECT_EQ(o.ws_message_limit, 7000u);
  EXPECT_EQ(o.idle_timeout, std::chrono::seconds(9));
  EXPECT_EQ(o.request_timeout, std::chrono::seconds(4));
  EXPECT_EQ(o.connections_per_address, 17u);
  EXPECT_EQ(o.address_requests_per_second, 30);
  EXPECT_EQ(o.address_burst, 60);
  EXPECT_TRUE(o.allow_addresses.contains("192.168.7.7:5000"));
  EXPECT_FALSE(o.allow_addresses.contains("10.0.0.1"));
  EXPECT_EQ(o.tls_cert_file, "/c.pem");
  EXPECT_EQ(o.tls_key_file, "/k.pem");
  c.limits.allow_addresses = {"nonsense"};
  EXPECT_EQ(apply_server_limits(c, o).code(), core::Code::kInvalidArgument);
  AccessConfig a;
  a.backoff_free_failures = 2;
  a.backoff_base_ms = 500;
  a.backoff_max_ms = 4000;
  auto b = backoff_options(a);
  EXPECT_EQ(b.free_failures, 2);
  EXPECT_EQ(b.base, core::Millis(500));
  EXPECT_EQ(b.max, core::Millis(4000));
}

TEST(Config, ParsesListenAddresses) {
  auto a = parse_listen("127.0.0.1:0");
  ASSERT_TRUE(a.is_ok());
  EXPECT_EQ(a->port, 0);
  EXPECT_EQ(parse_listen("[::1]:8080")->host, "::1");
  for (const char* bad : {"8080", ":80", "host:", "host:99999", "host:8o"}) EXPECT_FALSE(parse_listen(bad).is_ok()) << bad;
}

}  // namespace
}  // namespace liandong::app
