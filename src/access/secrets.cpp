#include "access/secrets.h"

#include <sodium.h>

#include <stdexcept>

namespace liandong::access {
namespace {

void ensure_init() {
  static const bool ok = [] { return sodium_init() >= 0; }();
  if (!ok) throw std::runtime_error("libsodium could not be initialised");
}

std::string to_hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

PasswordCost PasswordCost::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
PasswordCost PasswordCost::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

core::Status check_password_policy(std::string_view password, std::string_view name, size_t min_length) {
  if (password.size() > 256) return core::invalid("the password is longer than 256 bytes", "password");
  if (utf8_length(password) < min_length)
    return core::invalid("the password needs at least " + std::to_string(min_length) + " characters", "password");
  if (password.find_first_not_of(password.front()) == std::string_view::npos)
    return core::invalid("the password is one character repeated", "password");
  if (!name.empty() && password == name) return core::invalid("the password is the same as the name", "password");
  return core::Status::ok();
}

core::Result<std::string> hash_password(std::string_view password, PasswordCost cost) {
  ensure_init();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return core::Status(core::Code::kInternal, "password hashing ran out of memory");
  return std::string(out);
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  ensure_init();
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(stored_hash);  // NUL-terminated copy
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string random_token(std::string_view prefix, size_t bytes) {
  ensure_init();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  sodium_memzero(raw.data(), raw.size());
  return std::string(prefix) + out;
}

std::string random_hex(size_t bytes) {
  ensure_init();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

KeyedHasher::KeyedHasher(std::string_view key) {
  ensure_init();
  static_assert(sizeof key_ == crypto_generichash_KEYBYTES);
  crypto_generichash(key_, sizeof key_, reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr, 0);
}

KeyedHasher::~KeyedHasher() { sodium_memzero(key_, sizeof key_); }

std::string KeyedHasher::hash(std::string_view message) const {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(message.data()), message.size(), key_,
                     sizeof key_);
  return to_hex(out, sizeof out);
}

std::string keyed_hash(std::string_view key, std::string_view message) { return KeyedHasher(key).hash(message); }

bool constant_time_equal(std::string_view a, std::string_view b) {
  ensure_init();
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipe(std::string& secret) {
  if (!secret.empty()) sodium_memzero(secret.data(), secret.size());
  secret.clear();
}

}  // namespace liandong::access
