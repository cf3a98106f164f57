// ImapFolderName: modified UTF-7 (RFC 3501 §5.1.3) both ways, with the RFC's
// own example and the names a Welsh or Urdu-speaking landlord would use.
#include "duly/mail/ImapFolderName.h"

#include "duly/engine/InputError.h"

#include <gtest/gtest.h>

using namespace duly::mail;

TEST(ImapFolderName, Rfc3501Example) {
    // RFC 3501 §5.1.3: "~peter/mail/台北/日本語".
    EXPECT_EQ(encodeImapFolderName("~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"),
              "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    EXPECT_EQ(decodeImapFolderName("~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
              "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
}

TEST(ImapFolderName, EnDashAndAmpersand) {
    // U+2013 is the UTF-16 bytes 20 13: base64 "IBM".
    EXPECT_EQ(encodeImapFolderName("Complaints \xe2\x80\x93 Cwynion"), "Complaints &IBM- Cwynion");
    EXPECT_EQ(encodeImapFolderName("Repairs & Maintenance"), "Repairs &- Maintenance");
    EXPECT_EQ(decodeImapFolderName("Repairs &- Maintenance"), "Repairs & Maintenance");
    EXPECT_EQ(encodeImapFolderName("INBOX"), "INBOX");
    EXPECT_EQ(encodeImapFolderName("INBOX/Processed"), "INBOX/Processed");
}

TEST(ImapFolderName, UrduRoundTripsAsAscii) {
    const std::string urdu = "\xd8\xb4\xda\xa9\xd8\xa7\xdb\x8c\xd8\xa7\xd8\xaa";  // شکایات, complaints
    const std::string wire = encodeImapFolderName(urdu);
    for (const char c : wire) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
    EXPECT_EQ(wire.front(), '&');
    EXPECT_EQ(wire.back(), '-');
    EXPECT_EQ(decodeImapFolderName(wire), urdu);
}

TEST(ImapFolderName, RefusesInvalidText) {
    EXPECT_THROW(encodeImapFolderName("Bad \xff name"), duly::engine::InputError);
    EXPECT_THROW(decodeImapFolderName("&,,,,-"), duly::engine::InputError);  // not UTF-16
}
