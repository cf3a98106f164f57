// DocumentWriters: a Document as plain text (the text/plain part of an
// email, a preview), as accessible HTML (the text/html part, a preview) and
// as JSON (`duly render --to document-json`, golden tests, other tools).
// None of them throws; each output is deterministic for a given Document.
//
// Text: blocks separated by a blank line, list items start with "• ",
// isolated runs are wrapped in U+2068 FIRST STRONG ISOLATE … U+2069 POP
// DIRECTIONAL ISOLATE.
// HTML: a whole page with lang and dir on <html>, semantic elements
// (<header>, <main>, <address>, <h1> then <h2>, <p>, <ul>, <footer>), <bdi>
// for isolated runs,
// lang/dir wherever a line or block differs from the page, inline CSS only
// taken from the Document's RenderProfile, and every text escaped.
#pragma once

#include "duly/engine/Document.h"

#include <string>

namespace duly::engine {

std::string writeText(const Document& doc);
std::string writeHtml(const Document& doc);
std::string writeDocumentJson(const Document& doc);

// Escapes & < > " ' for HTML text and attribute values.
std::string escapeHtml(std::string_view text);

}  // namespace duly::engine
