#include "app/offline.h"

#include <filesystem>
#include <fstream>

#include "core/jurisdiction.h"

namespace liandong::app {

namespace fs = std::filesystem;
using nlohmann::json;

core::Result<json> with_offline_engine(
    const std::string& data_dir, const NodeConfig& config,
    const std::function<core::Result<json>(engine::Engine&, store::SqliteStore&)>& fn) {
  auto code = core::JurisdictionCode::parse(config.jurisdiction, "jurisdiction");
  if (!code) return code.status();
  auto store = store::SqliteStore::open((fs::path(data_dir) / "journal.db").string());
  if (!store) return store.status();
  auto owner = (*store)->get_meta("jurisdiction");
  if (!owner) return owner.status();
  if (owner->has_value() && **owner != code->str())
    return core::conflict("the store in " + data_dir + " belongs to jurisdiction " + **owner + ", not " + code->str());
  if (!owner->has_value()) LD_RETURN_IF_ERROR((*store)->put_meta("jurisdiction", code->str()));
  core::SystemClock clock;
  engine::EngineOptions eo;
  eo.node = code->str();
  eo.snapshot_every = config.snapshot_every;
  auto roles = load_roles(data_dir);
  if (!roles) return roles.status();
  eo.roles = *roles;
  auto report_rules = load_report_rules(data_dir);
  if (!report_rules) return report_rules.status();
  eo.report_rules = *report_rules;
  engine::Engine engine(eo, **store, clock, taxonomy::Taxonomy::defaults(), taxonomy::GradeRules::defaults());
  LD_RETURN_IF_ERROR(engine.start());
  auto r = fn(engine, **store);
  engine.stop();
  return r;
}

core::Result<std::shared_ptr<const access::RoleCatalog>> load_roles(const std::string& data_dir) {
  auto path = fs::path(data_dir) / "roles.yaml";
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::shared_ptr<const access::RoleCatalog>();
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto c = access::RoleCatalog::load_yaml(text, path.string(), access::RoleCatalog::defaults());
  if (!c) return c.status();
  return std::make_shared<const access::RoleCatalog>(*std::move(c));
}

core::Result<std::shared_ptr<const reports::RuleSet>> load_report_rules(const std::string& data_dir) {
  auto path = fs::path(data_dir) / "report_rules.yaml";
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::make_shared<const reports::RuleSet>(reports::default_rules());
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto local = reports::parse_rules(text, path.string(), true);
  if (!local) return local.status();
  auto merged = reports::overlay(reports::default_rules(), *local);
  if (!merged) return merged.status();
  return std::make_shared<const reports::RuleSet>(*std::move(merged));
}

core::Result<json> verify_offline(const std::string& data_dir) {
  auto path = fs::path(data_dir) / "journal.db";
  if (!fs::exists(path)) return core::not_found("no store in " + data_dir + " (no journal.db)");
  auto store = store::SqliteStore::open(path.string());
  if (!store) return store.status();
  auto r = (*store)->verify_journal_report();
  if (!r) return r.status();
  return json{{"ok", r->ok},
              {"checked", r->checked},
              {"first_bad_seq", r->ok ? json(nullptr) : json(r->first_bad_seq)},
              {"message", r->message}};
}

}  // namespace liandong::app
