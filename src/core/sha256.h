// SHA-256 over bytes, as lower-case hex. Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>

namespace liandong::core {

std::string sha256_hex(std::string_view data);

// Incremental form, for hashing several pieces without concatenating them.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string hex_digest();  // finishes; the object must not be updated afterwards

 private:
  void* ctx_;
};

}  // namespace liandong::core
