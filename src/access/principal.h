// Principal: who is acting (a person, an API key, or nobody) and what their grants allow.
//
// A grant gives a role in a jurisdiction, optionally with the jurisdictions below it
// (`subordinates`) and optionally only over records of the holder's own agency (`agency_only`).
// A Principal resolves its grants through a RoleCatalog once, at construction, so that checks are
// a hash lookup and a prefix compare. Scope of a record: its jurisdiction, and its owning agency
// where records belong to one agency (units, stations, tasks); incidents are no agency's own.
// Plain value; thread-safe to share once built.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "access/roles.h"
#include "core/status.h"

namespace liandong::access {

struct Grant {
  std::string role;
  std::string jurisdiction;  // six digits
  bool subordinates = true;
  bool agency_only = false;
};

// Checks a grant against the catalog and the code form; kInvalidArgument naming what is wrong.
core::Status validate_grant(const Grant& g, const RoleCatalog& catalog);

// What a record is scoped to.
struct Scope {
  std::string_view jurisdiction;
  std::string_view agency_id = {};  // empty: no agency's own record
};

// True when `code` is `grant_code` or (with subordinates) lies below it, by GB/T 2260 prefixes:
// 440000 covers 44xxxx, 441300 covers 4413xx.
bool jurisdiction_covers(std::string_view grant_code, std::string_view code, bool subordinates);

enum class Kind { kAnonymous, kPerson, kKey };
const char* kind_name(Kind k);  // "anonymous" | "person" | "key"

class Principal {
 public:
  // Nobody: holds no permission.
  Principal() = default;
  // Grants naming roles the catalog lacks are skipped (a role removed from the table takes its
  // permissions with it).
  Principal(Kind kind, std::string id, std::string name, std::string agency_id, std::string jurisdiction,
            std::vector<Grant> grants, const RoleCatalog& catalog);

  Kind kind() const { return kind_; }
  bool signed_in() const { return kind_ != Kind::kAnonymous; }
  const std::string& id() const { return id_; }  // USR/KEY id; "anonymous" for nobody
  const std::string& name() const { return name_; }
  const std::string& agency_id() const { return agency_id_; }
  const std::string& jurisdiction() const { return jurisdiction_; }
  const std::vector<Grant>& grants() const { return grants_; }

  // Whether the principal holds `permission` over a record of `scope`. kPublic is always true,
  // kSignedIn when signed in.
  bool may(std::string_view permission, const Scope& scope) const;
  // Whether it holds `permission` anywhere (a route's check before the record is known).
  bool may_somewhere(std::string_view permission) const;
  // Every permission held anywhere, sorted.
  std::vector<std::string> permissions() const;

 private:
  struct Rule {
    std::string prefix;  // jurisdiction prefix (see jurisdiction_covers)
    std::string code;
    bool subordinates;
    bool agency_only;
  };
  Kind kind_ = Kind::kAnonymous;
  std::string id_ = "anonymous";
  std::string name_;
  std::string agency_id_;
  std::string jurisdiction_;
  std::vector<Grant> grants_;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::vector<Rule>, Hash, std::equal_to<>> rules_;  // permission → where
};

// A second person approving what `requested_by` (a principal id) asked for: kPermissionDenied
// when the approver is that same principal or lacks `permission` over `scope`.
core::Status check_approval(const Principal& approver, std::string_view requested_by, std::string_view permission,
                            const Scope& scope);

}  // namespace liandong::access
