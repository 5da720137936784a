#include "access/secrets.h"

#include <gtest/gtest.h>

#include <set>

namespace liandong::access {
namespace {

TEST(Secrets, PasswordsHashWithArgon2idAndVerify) {
  auto h = hash_password("correct horse battery", PasswordCost::minimum());
  ASSERT_TRUE(h);
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(verify_password(*h, "correct horse battery"));
  EXPECT_FALSE(verify_password(*h, "correct horse batterz"));
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "x"));
  auto h2 = hash_password("correct horse battery", PasswordCost::minimum());
  EXPECT_NE(*h, *h2);  // salted
}

TEST(Secrets, Policy) {
  EXPECT_TRUE(check_password_policy("longenough1", "bob", 10));
  EXPECT_FALSE(check_password_policy("short", "bob", 10));
  EXPECT_FALSE(check_password_policy("aaaaaaaaaaaa", "bob", 10));
  EXPECT_FALSE(check_password_policy("dispatcher01", "dispatcher01", 10));
  EXPECT_TRUE(check_password_policy("消防调度中心值班密码", "bob", 10));  // 10 code points
  EXPECT_FALSE(check_password_policy("消防调度中心", "bob", 10));
}

TEST(Secrets, TokensAreRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto t = random_token("ldk_");
    EXPECT_EQ(t.rfind("ldk_", 0), 0u);
    EXPECT_EQ(t.size(), 4u + 43u);
    EXPECT_EQ(t.find_first_of("+/="), std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(random_hex(16).size(), 32u);
}

TEST(Secrets, KeyedHashDependsOnKeyAndMessage) {
  auto a = keyed_hash("node-secret", "token");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, keyed_hash("node-secret", "token"));
  EXPECT_NE(a, keyed_hash("node-secret2", "token"));
  EXPECT_NE(a, keyed_hash("node-secret", "token2"));
  KeyedHasher h("node-secret");
  EXPECT_EQ(h.hash("token"), a);
  EXPECT_EQ(h.hash("token2"), keyed_hash("node-secret", "token2"));
}

TEST(Secrets, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

}  // namespace
}  // namespace liandong::access
