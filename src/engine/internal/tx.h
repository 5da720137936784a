// Tx: what a command handler sees — the state, the node's rules, and emit() which journals an
// event and applies it at once so that the handler's next step sees its effect.
//
// Handlers validate everything before their first emit(); a handler that fails after emitting is
// a bug, and the engine then abandons the whole batch (see Engine).
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "access/roles.h"
#include "dispatch/mutual_aid.h"
#include "engine/commands.h"
#include "engine/event.h"
#include "engine/state.h"
#include "reports/rules.h"
#include "taxonomy/grade_rules.h"
#include "taxonomy/taxonomy.h"

namespace liandong::engine::internal {

struct Rules {
  std::string node;
  const taxonomy::Taxonomy* taxonomy = nullptr;
  const taxonomy::GradeRules* grade_rules = nullptr;
  const access::RoleCatalog* roles = nullptr;
  double dedup_radius_m = 300;
  core::Millis dedup_window{30 * 60 * 1000};
  std::span<const std::string> unit_types;              // the shared types and the node's own
  std::span<const dispatch::MutualAidRule> mutual_aid;  // when a unit may respond outside its area
  std::string alert_sender;     // CAP sender of the alerts the node issues
  std::string alert_body_code;  // the issuing body's code in GB/T 35965.1 identifiers
  const reports::RuleSet* report_rules = nullptr;  // null: no obligations are created at all
  std::string zone = "Asia/Shanghai";               // local time for daily deadlines and documents
  std::span<const std::string> report_offices;      // duty offices with daily reports (node + below)
  const std::map<std::string, std::string>* jurisdiction_names = nullptr;  // code → 禅城区 (drafts)
};

class Tx {
 public:
  Tx(State& state, const Rules& rules, core::Timestamp now, const Actor& actor, std::vector<Event>& out)
      : state_(state), rules_(rules), now_(now), actor_(actor), out_(out), first_(out.size()) {}

  const View& view() const { return state_.view(); }
  const State& state() const { return state_; }
  const Rules& rules() const { return rules_; }
  core::Timestamp now() const { return now_; }
  const std::string& by() const { return actor_.by; }
  bool emitted() const { return out_.size() > first_; }

  // Journals an event of `type` in `jurisdiction` (adds the actor's "by" and "by_address" to data) and
  // applies it.
  core::Status emit(std::string type, std::string jurisdiction, nlohmann::json data);

  // The typed forms of emit() for the two events every new alarm makes: alarm.received
  // {alarm, incident_id, joined} in the alarm's jurisdiction, and incident.opened {incident,
  // incident_id} in the incident's (its timeline left out, as to_journal_json(i, false)). The
  // record's journal text is written straight from it (record_text.h) and the state takes the
  // record as it is, so the writer neither builds, dumps and frees its JSON tree nor parses it back;
  // the event comes out slim (event.h). The same bytes, hash and state as emit() with
  // to_journal_json of the record — the TxTypedEmit tests (internal/tx_test.cpp) compare, and
  // builds with checks on verify every record reads back from its text. A record that would not
  // read back as it is — its text had to replace bytes that are not UTF-8, or a time is outside
  // what RFC 3339 writes — is applied as its text reads back (or refused, kDataLoss, when it does
  // not read back at all), as a replay would.
  core::Status emit_alarm_received(Alarm alarm, bool joined);
  core::Status emit_incident_opened(Incident incident);
  // The typed form of emit() for the rules' grade proposal (every new incident gets one; joins,
  // splits, merges and edits that change the proposal make another):
  // incident.grade_proposed {incident_id, grade, family, criterion, reason (reason_zh), reason_en}
  // in `jurisdiction`, applied as a State::ProposedGrade. Slim: its tree keeps incident_id, by and
  // by_address. Same bytes, hash and state as emit() of those members (TxTypedEmit).
  core::Status emit_grade_proposed(const std::string& incident_id, const std::string& jurisdiction,
                                   taxonomy::GradeProposal proposal);

 private:
  Event new_event(std::string type, std::string jurisdiction, nlohmann::json data) const;
  core::Status apply_whole(const Event& e);  // applies whole_event(e): its data as its text reads back
  // The typed emits' common end: seals e over its data text, applies `record` (as_is) or the whole
  // text (not), and keeps the event. `member` names where the data embeds the record (null: the
  // data is the record). Defined and used in tx.cpp only.
  template <typename Record, typename Read>
  core::Status seal_and_apply(Event e, bool as_is, const char* member, Record record, Read read);

  State& state_;
  const Rules& rules_;
  core::Timestamp now_;
  const Actor& actor_;
  std::vector<Event>& out_;
  size_t first_;
};

}  // namespace liandong::engine::internal
