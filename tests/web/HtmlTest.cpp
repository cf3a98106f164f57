// Escaping and the plain words used for times on the pages.
#include "duly/web/Html.h"

#include "duly/engine/ZoneRules.h"

#include <gtest/gtest.h>

using namespace duly::web;
using duly::engine::parseRfc3339;

namespace {

TEST(Escape, BidirectionalOverridesAreDropped) {
    // U+202A–202E (embeddings and overrides) and U+2066–2069 (isolates): a
    // customer's subject must not turn the text around it on an officer's page.
    EXPECT_EQ(escape("Rent \u202Etxt.exe\u202C ok"), "Rent txt.exe ok");
    for (const char* c : {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"})
        EXPECT_EQ(escape(std::string("a") + c + "<b"), "a&lt;b") << c;
    // Their neighbours stay: the punctuation around them, and a lone lead byte.
    EXPECT_EQ(escape("\u2029\u2030\u2065\u206A"), "\u2029\u2030\u2065\u206A");
    EXPECT_EQ(escape("\xE2\x80"), "\xE2\x80");
}

TEST(Escape, Table) {
    EXPECT_EQ(escape(""), "");
    EXPECT_EQ(escape("plain words"), "plain words");
    EXPECT_EQ(escape("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    EXPECT_EQ(escape("a & b \"c\""), "a &amp; b &quot;c&quot;");
    EXPECT_EQ(escape("&amp;"), "&amp;amp;");  // escaped again, never trusted
    EXPECT_EQ(escape("اردو 廣東話"), "اردو 廣東話");
}

TEST(PlainWhen, SaysTheDayDateAndTime) {
    auto now = parseRfc3339("2026-11-23T10:00:00Z");
    EXPECT_EQ(plainWhen(parseRfc3339("2026-11-24T17:00:00Z"), now), "Tuesday 24 November, 5pm");
    EXPECT_EQ(plainWhen(parseRfc3339("2026-11-27T16:45:00Z"), now), "Friday 27 November, 4:45pm");
    EXPECT_EQ(plainWhen(parseRfc3339("2026-11-24T09:05:00Z"), now), "Tuesday 24 November, 9:05am");
    EXPECT_EQ(plainWhen(parseRfc3339("2026-11-24T12:00:00Z"), now), "Tuesday 24 November, noon");
    EXPECT_EQ(plainWhen(parseRfc3339("2026-11-24T00:00:00Z"), now), "Tuesday 24 November, 12am");
    // Summer time: 16:00 UTC is 5pm in London.
    EXPECT_EQ(plainWhen(parseRfc3339("2026-06-01T16:00:00Z"), now), "Monday 1 June, 5pm");
    // Another year is named.
    EXPECT_EQ(plainWhen(parseRfc3339("2027-01-04T17:00:00Z"), now), "Monday 4 January 2027, 5pm");
}

TEST(RelativeWhen, Table) {
    auto now = parseRfc3339("2026-11-24T10:00:00Z");
    EXPECT_EQ(relativeWhen(parseRfc3339("2026-11-24T10:40:00Z"), now), "in 40 minutes");
    EXPECT_EQ(relativeWhen(parseRfc3339("2026-11-24T17:00:00Z"), now), "in 7 hours");
    EXPECT_EQ(relativeWhen(parseRfc3339("2026-11-24T09:00:00Z"), now), "1 hour overdue");
    EXPECT_EQ(relativeWhen(parseRfc3339("2026-11-20T10:00:00Z"), now), "4 days overdue");
}

}  // namespace
