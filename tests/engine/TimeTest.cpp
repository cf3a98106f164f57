// Times: RFC 3339 parsing and Europe/London conversion through ICU's rules.
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"

#include <gtest/gtest.h>

using namespace duly::engine;

TEST(Rfc3339, ParsesOffsetsAndFractions) {
    EXPECT_EQ(formatRfc3339Utc(parseRfc3339("2026-12-24T16:50:00Z")), "2026-12-24T16:50:00Z");
    EXPECT_EQ(formatRfc3339Utc(parseRfc3339("2026-07-01T17:00:00+01:00")), "2026-07-01T16:00:00Z");
    EXPECT_EQ(formatRfc3339Utc(parseRfc3339("2026-07-01T17:00:00.250-05:30")), "2026-07-01T22:30:00Z");
}

TEST(Rfc3339, RefusesMalformedTimesWithTheExpectedForm) {
    for (const char* bad : {"2026-12-24", "2026-12-24T16:50:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                            "2026-12-24T25:00:00Z", "yesterday", "2026-12-24T16:50:00+1:00", "2026-12-24T16:50:00Zjunk"}) {
        try {
            parseRfc3339(bad, "--received");
            ADD_FAILURE() << bad << " was accepted";
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()), std::string("--received: expected an RFC 3339 time such as "
                                                         "2026-12-24T16:50:00Z or 2026-12-24T16:50:00+00:00, found \"") +
                                                 bad + "\"");
        }
    }
}

TEST(ZoneRules, LondonOffsetsAroundTheChanges) {
    const auto& z = ZoneRules::london();
    EXPECT_EQ(z.offsetAt(parseRfc3339("2026-03-29T00:59:59Z")), 0);
    EXPECT_EQ(z.offsetAt(parseRfc3339("2026-03-29T01:00:00Z")), 3600);
    EXPECT_EQ(z.offsetAt(parseRfc3339("2026-10-25T00:59:59Z")), 3600);
    EXPECT_EQ(z.offsetAt(parseRfc3339("2026-10-25T01:00:00Z")), 0);
    EXPECT_EQ(z.formatRfc3339(parseRfc3339("2026-06-01T16:00:00Z")), "2026-06-01T17:00:00+01:00");
}

TEST(ZoneRules, LocalToInstantInGapsAndOverlaps) {
    const auto& z = ZoneRules::london();
    // 01:30 on 25 October 2026 happens twice: the earlier (BST) instant.
    EXPECT_EQ(formatRfc3339Utc(z.toInstant(parseDate("2026-10-25"), Minutes{90})), "2026-10-25T00:30:00Z");
    // 01:30 on 29 March 2026 does not exist: read with the offset before the gap.
    EXPECT_EQ(formatRfc3339Utc(z.toInstant(parseDate("2026-03-29"), Minutes{90})), "2026-03-29T01:30:00Z");
    EXPECT_EQ(formatRfc3339Utc(z.toInstant(parseDate("2026-07-01"), Minutes{17 * 60})), "2026-07-01T16:00:00Z");
}

TEST(ZoneRules, UnknownZoneIsRefused) {
    EXPECT_THROW(ZoneRules("Europe/Atlantis"), InputError);
}
