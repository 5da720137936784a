// Snapshot text of the two records a large state is mostly made of — alarms and incidents —
// written straight from the record as compact JSON, without building an nlohmann tree first.
//
// Contract: json::parse of what append_journal_text appends equals to_journal_json of the same
// record (member order aside), so alarm_from_json / incident_from_json read it back to the same
// record. Strings are written as nlohmann writes them (json_text.h); a number that is not finite
// is written null, as nlohmann writes it. Doubles are written
// in the shortest form that reads back to the same value (std::to_chars), which may differ in
// spelling from nlohmann's dump: these texts are for snapshots, whose bytes are not hashed —
// never for journal events, whose data text must be nlohmann's dump (event.h).
//
// Why: serialising a ~100 MB snapshot through nlohmann trees took about a second of a core, which
// a sustained burst of alarms paid every few seconds (bench/run intake). Plain functions, any thread.
#pragma once

#include <string>
#include <string_view>

#include "engine/records.h"

namespace liandong::engine {

void append_journal_text(std::string& out, const Alarm& a);
void append_journal_text(std::string& out, const Incident& i, bool with_timeline);

}  // namespace liandong::engine
