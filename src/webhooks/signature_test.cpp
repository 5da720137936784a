#include "webhooks/signature.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace liandong::webhooks {
namespace {

// HMAC computed here with OpenSSL's EVP_MAC interface, independently of sign().
std::string evp_mac_hex(const std::string& key, const std::string& message) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                         OSSL_PARAM_construct_end()};
  EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params);
  EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  unsigned char out[64];
  size_t n = 0;
  EVP_MAC_final(ctx, out, &n, sizeof out);
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  std::string hex;
  char buf[3];
  for (size_t i = 0; i < n; ++i) {
    snprintf(buf, sizeof buf, "%02x", out[i]);
    hex += buf;
  }
  return hex;
}

TEST(Signature, MatchesKnownVectors) {
  // Computed with Python: hmac.new(key, b"<timestamp>.<body>", hashlib.sha256).hexdigest()
  EXPECT_EQ(sign("Jefe", "1700000000", "what do ya want for nothing?"),
            "sha256=1cdd0650c8be1cb0974b1788d458b1e781206cfef59b85faafc582d2e182c57e");
  EXPECT_EQ(sign("密钥", "1717171717", "<alert>黄色预警</alert>"),
            "sha256=46d3b8b6da86d78234a3138e0dfe55d1225c9af2d6cbb04b40896f97badddbf6");
}

TEST(Signature, MatchesAnIndependentHmac) {
  std::string body(5000, 'x');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
  EXPECT_EQ(sign("s3cret", "1234567890", body),
            "sha256=" + evp_mac_hex("s3cret", "1234567890." + body));
  EXPECT_EQ(sign("", "1", ""), "sha256=" + evp_mac_hex("", "1."));
}

TEST(Signature, VerifyAcceptsTheRightOneAndRefusesChanges) {
  const std::string sig = sign("key", "1700000000", "<alert/>");
  EXPECT_TRUE(verify_signature("key", "1700000000", "<alert/>", sig).is_ok());
  std::string upper = sig;
  for (size_t i = 7; i < upper.size(); ++i) upper[i] = static_cast<char>(toupper(upper[i]));
  EXPECT_TRUE(verify_signature("key", "1700000000", "<alert/>", upper).is_ok());

  auto changed_body = verify_signature("key", "1700000000", "<alert />", sig);
  EXPECT_EQ(changed_body.code(), core::Code::kUnauthenticated);
  auto changed_time = verify_signature("key", "1700000001", "<alert/>", sig);
  EXPECT_EQ(changed_time.code(), core::Code::kUnauthenticated);
  auto other_key = verify_signature("kez", "1700000000", "<alert/>", sig);
  EXPECT_EQ(other_key.code(), core::Code::kUnauthenticated);
  std::string flipped = sig;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_EQ(verify_signature("key", "1700000000", "<alert/>", flipped).code(),
            core::Code::kUnauthenticated);
}

TEST(Signature, VerifyRefusesMalformedHeaders) {
  const std::string sig = sign("key", "1700000000", "b");
  for (std::string bad : {std::string(""), sig.substr(7), "sha1=" + sig.substr(7), sig + "0",
                          sig.substr(0, sig.size() - 1) + "g"}) {
    auto s = verify_signature("key", "1700000000", "b", bad);
    EXPECT_EQ(s.code(), core::Code::kInvalidArgument) << bad;
    EXPECT_EQ(s.field(), std::string(kSignatureHeader));
  }
  for (std::string bad_time : {"", "17e8", "-1", " 1700000000", "1234567890123456789"}) {
    auto s = verify_signature("key", bad_time, "b", sig);
    EXPECT_EQ(s.code(), core::Code::kInvalidArgument) << bad_time;
    EXPECT_EQ(s.field(), std::string(kTimestampHeader));
  }
}

TEST(Signature, VerifyWithToleranceRefusesStaleTimestamps) {
  const auto now = core::from_unix_millis(1'700'000'000'000);
  const std::string sig = sign("key", "1700000000", "b");
  EXPECT_TRUE(verify_signature("key", "1700000000", "b", sig, now, core::Millis(300'000)).is_ok());
  EXPECT_TRUE(verify_signature("key", "1700000000", "b", sig, now + core::Millis(300'000),
                               core::Millis(300'000))
                  .is_ok());
  auto late = verify_signature("key", "1700000000", "b", sig, now + core::Millis(301'000),
                               core::Millis(300'000));
  EXPECT_EQ(late.code(), core::Code::kUnauthenticated);
  EXPECT_NE(late.message().find("301 s"), std::string::npos) << late.message();
  auto early = verify_signature("key", "1700000000", "b", sig, now - core::Millis(301'000),
                                core::Millis(300'000));
  EXPECT_EQ(early.code(), core::Code::kUnauthenticated);
  // A bad signature is refused even with a fresh timestamp.
  EXPECT_EQ(verify_signature("key", "1700000000", "c", sig, now, core::Millis(300'000)).code(),
            core::Code::kUnauthenticated);
}

}  // namespace
}  // namespace liandong::webhooks
