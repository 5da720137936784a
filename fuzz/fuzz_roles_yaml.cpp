// fuzz_roles_yaml: the input as a roles file extending the built-in roles
// (access::RoleCatalog::load_yaml, as a jurisdiction's roles overlay is loaded). It must answer an
// error naming the line or a catalog whose every role grants only catalogued permissions; it must
// never crash or let a yaml-cpp exception out.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "access/roles.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using liandong::access::RoleCatalog;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto catalog = RoleCatalog::load_yaml(text, "fuzz.yaml", RoleCatalog::defaults());
  if (!catalog) {
    if (catalog.status().message().empty()) {
      std::fprintf(stderr, "fuzz_roles_yaml: an error without a message\n");
      std::abort();
    }
    return 0;
  }
  for (const auto& role : catalog->roles()) {
    if (catalog->find(role.name) == nullptr) {
      std::fprintf(stderr, "fuzz_roles_yaml: role %s cannot be found by name\n", role.name.c_str());
      std::abort();
    }
    for (const auto& p : role.permissions)
      if (!catalog->is_permission(p)) {
        std::fprintf(stderr, "fuzz_roles_yaml: role %s grants %s, not in the catalog\n",
                     role.name.c_str(), p.c_str());
        std::abort();
      }
  }
  return 0;
}
