// TextGuard: no text value with a NUL byte reaches either database. Poco's
// PostgreSQL binder passes strings as C strings, so a NUL cut the value
// there without an error, while SQLite kept it whole: the two stores would
// hold different things. Both now refuse it alike, before the statement
// runs, with a StoreError naming the table and column ("items.body: …"),
// read from the statement's own SQL text. The caller's transaction then
// rolls back, so nothing half-written stays. Text from mail never holds a
// NUL (mail::decodeCharset turns it into U+FFFD); this is the store's own
// guarantee for every other writer. Internal to store/.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace duly::store::detail {

// "table.column" that the `index`-th (0-based) ? of `sql` is written to, for
// INSERT INTO t (a, b) VALUES (?, COALESCE(?, …)) and UPDATE t SET a = ?, …
// WHERE k = ?; otherwise the table (when found) and the placeholder's number.
std::string placeholderColumn(std::string_view sql, std::size_t index);

// Throws StoreError when `value` holds a NUL byte, naming where it was to go.
void requireNoNul(std::string_view sql, std::size_t index, std::string_view value);
void requireNoNul(const char* table, const char* column, std::string_view value);

}  // namespace duly::store::detail
