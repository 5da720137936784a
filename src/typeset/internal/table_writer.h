// A bordered table in the PDF: column widths from the cells' natural widths (the header and the
// first rows), cells wrapped between words or characters, rows kept whole on a page when they fit
// on one and split line by line when they do not, the header row repeated on each page the table
// continues on. Not thread-safe (runs inside one rendering).
#pragma once

#include "typeset/document.h"
#include "typeset/internal/page_writer.h"

namespace liandong::typeset::internal {

void write_table(PageWriter& writer, const Table& table);

}  // namespace liandong::typeset::internal
