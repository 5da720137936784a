// Secrets: password hashing (Argon2id), API-key and session-token hashing (keyed BLAKE2b), random
// tokens, constant-time comparison. Wraps libsodium; thread-safe.
//
// Passwords are stored only as Argon2id strings (salt and cost inside). Keys and session tokens are
// long random strings, so a fast keyed hash suffices: the store keeps keyed_hash(node_secret,
// token), never the token, and a stolen journal does not let anyone test guesses offline without
// the node's secret.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace liandong::access {

struct PasswordCost {
  unsigned long long ops;
  size_t mem_bytes;
  // libsodium's "interactive" Argon2id limits (2 passes, 64 MiB): the production default.
  static PasswordCost interactive();
  // The smallest libsodium allows: for tests only.
  static PasswordCost minimum();
};

// kInvalidArgument when the password breaks the policy: fewer than `min_length` characters
// (UTF-8 code points), over 256 bytes, one repeated character, or equal to the name.
core::Status check_password_policy(std::string_view password, std::string_view name, size_t min_length);

// Argon2id hash string ("$argon2id$v=19$m=...") of `password`. kInternal if libsodium runs out of
// memory.
core::Result<std::string> hash_password(std::string_view password, PasswordCost cost = PasswordCost::interactive());
// Whether `password` matches a hash_password() string; false for a malformed hash.
bool verify_password(std::string_view stored_hash, std::string_view password);

// `prefix` + `bytes` random bytes in base64url without padding, e.g. "ldk_Zq3...".
std::string random_token(std::string_view prefix, size_t bytes = 32);
// `bytes` random bytes as lower-case hex.
std::string random_hex(size_t bytes);

// Keyed BLAKE2b-256 of `message` under `key` (any length; hashed to 32 bytes first), lower-case hex.
std::string keyed_hash(std::string_view key, std::string_view message);

// keyed_hash with the key derived once, for hashing many messages under one key (every request's
// token). hash(m) == keyed_hash(key, m). Immutable after construction; thread-safe.
class KeyedHasher {
 public:
  explicit KeyedHasher(std::string_view key);
  ~KeyedHasher();
  KeyedHasher(const KeyedHasher&) = default;
  KeyedHasher& operator=(const KeyedHasher&) = default;
  std::string hash(std::string_view message) const;

 private:
  unsigned char key_[32];
};

bool constant_time_equal(std::string_view a, std::string_view b);

// Overwrites a secret's bytes with zeros (not optimised away) and clears it.
void wipe(std::string& secret);

}  // namespace liandong::access
