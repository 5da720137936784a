// The journal text of the two records a large state is mostly made of — alarms and incidents —
// written straight from the record as compact JSON, without building an nlohmann tree first.
//
// Contract: append_journal_text appends exactly json_text(to_journal_json(record)) — the members
// in nlohmann's sorted order, strings, numbers and times spelt as nlohmann's dump spells them
// (json_text.h) — so the text may stand for the tree anywhere: in snapshots, and as the record a
// journal event's data embeds (the writer's typed path, internal/tx.h), whose bytes are hashed.
// record_text_test compares the two byte for byte; a member added to to_journal_json must be
// added here in its sorted place.
//
// Why: serialising a ~100 MB snapshot through nlohmann trees took about a second of a core, which
// a sustained burst of alarms paid every few seconds; and every new alarm's two events built,
// dumped, parsed back and freed the same trees on the writer (bench/run intake). Plain functions,
// any thread.
#pragma once

#include <string>
#include <string_view>

#include "engine/records.h"

namespace liandong::engine {

void append_journal_text(std::string& out, const Alarm& a);
void append_journal_text(std::string& out, const Incident& i, bool with_timeline);

}  // namespace liandong::engine
