#include "app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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

TEST(Config, ParsesListenAddresses) {
  auto a = parse_listen("127.0.0.1:0");
  ASSERT_TRUE(a.is_ok());
  EXPECT_EQ(a->port, 0);
  EXPECT_EQ(parse_listen("[::1]:8080")->host, "::1");
  for (const char* bad : {"8080", ":80", "host:", "host:99999", "host:8o"}) EXPECT_FALSE(parse_listen(bad).is_ok()) << bad;
}

}  // namespace
}  // namespace liandong::app
