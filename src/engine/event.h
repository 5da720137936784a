// Journal events (DESIGN.md, "Journal events"): the one record of what happened.
//
// Each event carries seq (the node's journal position, from 1), origin (node code), jurisdiction,
// time (UTC), type (e.g. "incident.opened") and data (a JSON object). Events are chained by
// SHA-256: hash = sha256(prev_hash || canonical_body), where canonical_body is the compact JSON of
// {data, jurisdiction, origin, seq, time, type} with keys sorted (nlohmann::json's default order),
// and the first event's prev_hash is kGenesisHash. Plain value type.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "core/status.h"
#include "core/time.h"

namespace liandong::engine {

inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct Event {
  uint64_t seq = 0;
  std::string origin;
  std::string jurisdiction;
  core::Timestamp time{};
  std::string type;
  nlohmann::json data = nlohmann::json::object();
  std::string prev_hash;
  std::string hash;
  // The compact JSON text of `data` as hashed, kept by seal() so that the store and the stream
  // need not serialise it again. May be empty (then use data.dump()); never stale: whoever
  // changes `data` after seal() must clear it (slim() excepted, see there).
  std::string data_text;
  // Set by slim(): `data` holds only some members and data_text is the whole data (full_data()).
  bool data_slim = false;
};

// The whole data of `e`: e.data itself, or for a slim event its text parsed into `scratch`.
const nlohmann::json& full_data(const Event& e, nlohmann::json& scratch);
// A copy of `e` whose `data` is its whole data (full_data(e)), never slim.
Event whole_event(const Event& e);

// After seal() and once the state has applied it, the engine drops from a live event the record
// its data embeds (alarm.received's `alarm`, incident.opened's `incident`; other types are left
// alone): freed then, on the writer's thread and while still in cache, instead of node by node on
// the committer's after the commit (measured: ~10% less CPU an alarm on the writer and on the
// committer, docs/BENCHMARKS.md). What stays: every other
// member (incident_id, joined, by, by_address: what listeners read) and an alarm's caller, so that
// has_personal_data() still answers from `data`. data_text keeps the whole data: the store, the
// hash and the stream's texts use it, and full_data() parses it for the rare reader of the rest.
// Does nothing to an event without data_text (not sealed). The writer's typed emits
// (internal/tx.h) make alarm.received, incident.opened and incident.grade_proposed slim from the
// start; a grade proposal's tree keeps incident_id, by and by_address.
void slim(Event& e);

// The compact JSON text of e.data (e.data_text when set).
std::string data_json(const Event& e);

std::string canonical_body(const Event& e);
// sha256(prev_hash + canonical_body(e)) as hex.
std::string compute_hash(const Event& e);
// Sets e.data_text (json_text of e.data), e.prev_hash and e.hash.
void seal(Event& e, const std::string& prev_hash);
// seal() for an event whose data_text its maker has written already — the whole data's compact
// text exactly as nlohmann dumps it (keys sorted) — and whose `data` may be slim (data_slim set;
// the writer's typed path, internal/tx.h). Sets e.prev_hash and e.hash over data_text. Builds with
// checks on (the sanitizer build the tests run in) abort when the text is not its own parse's dump.
void seal_text(Event& e, const std::string& prev_hash);

// Checks that events follow each other (seq +1, prev_hash links) starting after (seq, hash), and
// that each hash is right. kDataLoss naming the first bad seq on failure (also put in *bad_seq).
core::Status verify_chain(uint64_t after_seq, const std::string& after_hash, std::span<const Event> events,
                          uint64_t* bad_seq = nullptr);

// The full form: {"seq","origin","jurisdiction","time","type","data","prev_hash","hash"}, secrets
// included (for the store's tools and tests; never sent to a client).
nlohmann::json to_json(const Event& e);
// Whether the event's data holds secrets: hashes (person.*, key.*, session.* events) or a webhook
// subscriber's shared secret (subscriber.* events).
bool has_secrets(const Event& e);
// Whether the event's data holds personal data (an alarm.received with a caller).
bool has_personal_data(const Event& e);
// The API/stream form: to_json(e) with every data field named "*_hash" or "secret" (top level or one
// record down: password_hash, key_hash, token_hash, a subscriber's secret) replaced by "[redacted]". A client therefore cannot
// re-check those events' hashes; `liandong audit verify` on the node can. Personal data is masked
// the same way as in API answers (a caller's name and number: "王**", "138****5678"); unmasked
// reads go through the API's recorded reveal.
nlohmann::json to_public_json(const Event& e);
// The compact text of to_public_json(e) (keys sorted), built around the kept data text when the
// event has no secrets.
std::string to_json_text(const Event& e);
// Inverse of to_json; kInvalidArgument naming the bad field.
core::Result<Event> event_from_json(const nlohmann::json& j);

// The stream topic an event type belongs to ("incident.opened" → "incidents"), or "" for none.
std::string_view topic_of(std::string_view type);

}  // namespace liandong::engine
