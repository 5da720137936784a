#include "webhooks/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <cstdint>

namespace liandong::webhooks {
namespace {

constexpr std::string_view kPrefix = "sha256=";

std::string hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body) {
  std::string message;
  message.reserve(timestamp.size() + 1 + body.size());
  message.append(timestamp).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // An empty key is legal HMAC; OpenSSL wants a non-null pointer for it.
  static const unsigned char kEmpty = 0;
  const void* key = secret.empty() ? static_cast<const void*>(&kEmpty) : secret.data();
  HMAC(EVP_sha256(), key, static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return std::string(kPrefix) + hex(mac, len);
}

core::Status verify_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body, std::string_view signature) {
  if (timestamp.empty() || timestamp.size() > 18)
    return core::invalid("timestamp must be 1 to 18 decimal digits of unix seconds",
                         std::string(kTimestampHeader));
  for (char c : timestamp)
    if (c < '0' || c > '9')
      return core::invalid("timestamp must be decimal unix seconds", std::string(kTimestampHeader));
  if (!signature.starts_with(kPrefix) || signature.size() != kPrefix.size() + 64)
    return core::invalid("signature must be \"sha256=\" and 64 hex digits",
                         std::string(kSignatureHeader));
  for (char c : signature.substr(kPrefix.size()))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
      return core::invalid("signature must be \"sha256=\" and 64 hex digits",
                           std::string(kSignatureHeader));
  std::string expected = sign(secret, timestamp, body);
  std::string given(signature);
  for (char& c : given)
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  if (CRYPTO_memcmp(expected.data(), given.data(), expected.size()) != 0)
    return {core::Code::kUnauthenticated, "signature does not match the body and timestamp",
            std::string(kSignatureHeader)};
  return core::Status::ok();
}

core::Status verify_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body, std::string_view signature,
                              core::Timestamp now, core::Millis tolerance) {
  LD_RETURN_IF_ERROR(verify_signature(secret, timestamp, body, signature));
  int64_t seconds = 0;
  std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), seconds);
  int64_t skew = core::to_unix_millis(now) - seconds * 1000;
  if (skew < 0) skew = -skew;
  if (skew > tolerance.count())
    return {core::Code::kUnauthenticated,
            "timestamp " + std::string(timestamp) + " is " + std::to_string(skew / 1000) +
                " s away from now, more than the " + std::to_string(tolerance.count() / 1000) +
                " s allowed",
            std::string(kTimestampHeader)};
  return core::Status::ok();
}

}  // namespace liandong::webhooks
