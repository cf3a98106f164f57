// Tests of MessageComposer: a whole acknowledgement compared byte for byte
// (expected text written from RFC 5322/2045/2047 by hand), the encodings
// chosen for non-ASCII names, subjects and bodies, deterministic
// Message-IDs, and refusal of CR/LF in every header value with the exact
// error text.
#include "duly/mail/MessageComposer.h"

#include "duly/engine/InputError.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

using namespace duly::mail;
using duly::engine::InputError;

namespace {

using namespace std::chrono;

const duly::engine::Instant kNow = sys_days{2026y / November / 23} + 9h + 30min;

OutgoingMessage acknowledgement() {
    OutgoingMessage m;
    m.from = {"Progress Housing Group", "customer.services@progressgroup.org.uk"};
    m.to = {{"Ayesha Khan", "ayesha.khan@example.org"}};
    m.subject = "We have received your message";
    m.caseReference = "PHG-2026-00042";
    m.documentId = "ack.1";
    m.inReplyTo = "<CAF1234@mail.example.org>";
    m.references = {"<CAF1234@mail.example.org>"};
    m.loopMarker = "PHG-2026-00042";
    m.textBody = "Dear Ms Khan,\n\nThank you for your message. We will reply by 7 December 2026.\n";
    m.htmlBody =
        "<p>Dear Ms Khan,</p>\n"
        "<p>Thank you for your message. We will reply by <strong>7 December 2026</strong> at the latest.</p>\n";
    return m;
}

std::string expectInputError(const std::function<void()>& action) {
    try {
        action();
    } catch (const InputError& error) {
        return error.what();
    }
    return "(no InputError)";
}

const MessageComposer composer("duly.progressgroup.org.uk");

}  // namespace

TEST(MessageComposer, GoldenAcknowledgement) {
    // The text part is ASCII with lines under 77 characters: 7bit. The HTML
    // part has a 99-character line: quoted-printable, soft break after 75.
    const std::string expected =
        "Date: Mon, 23 Nov 2026 09:30:00 +0000\r\n"
        "From: Progress Housing Group <customer.services@progressgroup.org.uk>\r\n"
        "To: Ayesha Khan <ayesha.khan@example.org>\r\n"
        "Subject: We have received your message [PHG-2026-00042]\r\n"
        "Message-ID: <PHG-2026-00042.ack.1@duly.progressgroup.org.uk>\r\n"
        "In-Reply-To: <CAF1234@mail.example.org>\r\n"
        "References: <CAF1234@mail.example.org>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "X-Auto-Response-Suppress: All\r\n"
        "X-Duly-Loop: PHG-2026-00042\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/alternative; boundary=\"=_duly_alt_PHG-2026-00042.ack.1\"\r\n"
        "\r\n"
        "--=_duly_alt_PHG-2026-00042.ack.1\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 7bit\r\n"
        "\r\n"
        "Dear Ms Khan,\r\n"
        "\r\n"
        "Thank you for your message. We will reply by 7 December 2026.\r\n"
        "--=_duly_alt_PHG-2026-00042.ack.1\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "<p>Dear Ms Khan,</p>\r\n"
        "<p>Thank you for your message. We will reply by <strong>7 December 2026</st=\r\n"
        "rong> at the latest.</p>\r\n"
        "--=_duly_alt_PHG-2026-00042.ack.1--\r\n";
    const ComposedMessage composed = composer.compose(acknowledgement(), kNow);
    EXPECT_EQ(composed.bytes, expected);
    EXPECT_EQ(composed.messageId, "<PHG-2026-00042.ack.1@duly.progressgroup.org.uk>");
    EXPECT_EQ(composed.envelopeFrom, "customer.services@progressgroup.org.uk");
    EXPECT_EQ(composed.recipients, std::vector<std::string>{"ayesha.khan@example.org"});
}

TEST(MessageComposer, SameInputSameBytesAndIdDoesNotDependOnClock) {
    const ComposedMessage a = composer.compose(acknowledgement(), kNow);
    const ComposedMessage b = composer.compose(acknowledgement(), kNow);
    EXPECT_EQ(a.bytes, b.bytes);
    const ComposedMessage later = composer.compose(acknowledgement(), kNow + 1h);
    EXPECT_EQ(later.messageId, a.messageId);
    OutgoingMessage holding = acknowledgement();
    holding.documentId = "hold.1";
    EXPECT_EQ(composer.compose(holding, kNow).messageId, "<PHG-2026-00042.hold.1@duly.progressgroup.org.uk>");
}

TEST(MessageComposer, MessageIdTable) {
    EXPECT_EQ(MessageComposer::messageIdFor("SWHS-7", "digest.2026-11", "d.example"), "<SWHS-7.digest.2026-11@d.example>");
    EXPECT_EQ(MessageComposer::messageIdFor("P_1", "a", "x"), "<P_1.a@x>");
    EXPECT_EQ(expectInputError([] { MessageComposer::messageIdFor("PHG 1", "ack", "d.example"); }),
              "case reference \"PHG 1\" cannot go into a Message-ID (expected 1 to 40 letters, digits, '.', '-' or "
              "'_', no leading, trailing or doubled dot)");
    EXPECT_EQ(expectInputError([] { MessageComposer::messageIdFor("PHG-1", "", "d.example"); }),
              "document id \"\" cannot go into a Message-ID (expected 1 to 64 letters, digits, '.', '-' or '_', no "
              "leading, trailing or doubled dot)");
    EXPECT_NE(expectInputError([] { MessageComposer::messageIdFor("PHG-1", "ack..1", "d.example"); }), "(no InputError)");
    EXPECT_NE(expectInputError([] { MessageComposer::messageIdFor("PHG-1", "ack>", "d.example"); }), "(no InputError)");
    EXPECT_NE(expectInputError([] { MessageComposer::messageIdFor(std::string(41, 'A'), "ack", "d.example"); }),
              "(no InputError)");
    EXPECT_EQ(expectInputError([] { MessageComposer::messageIdFor("PHG-1", "ack", "bad_domain"); }),
              "message id domain \"bad_domain\" is not a host name");
    EXPECT_EQ(expectInputError([] { MessageComposer("-bad.example"); }),
              "message id domain \"-bad.example\" is not a host name (expected e.g. duly.example.org)");
}

TEST(MessageComposer, LineBreakInAnyHeaderValueIsRefusedNamingTheHeader) {
    struct Row {
        const char* header;
        std::function<void(OutgoingMessage&)> poison;
    };
    const Row rows[] = {
        {"From", [](OutgoingMessage& m) { m.from.address = "a@example.org\nBcc: victim@example.org"; }},
        {"To", [](OutgoingMessage& m) { m.to.push_back({"", "b@example.org\r"}); }},
        {"Subject", [](OutgoingMessage& m) { m.subject = "Hello\r\nBcc: victim@example.org"; }},
        {"Subject", [](OutgoingMessage& m) { m.subject = "\xD8\xB4\n"; }},
        {"X-Duly-Loop", [](OutgoingMessage& m) { m.loopMarker = "PHG\r\n"; }},
        {"attachment 1 filename", [](OutgoingMessage& m) { m.attachments.push_back({"a\r\n.pdf", "application/pdf", "x"}); }},
        {"attachment 1 content type",
         [](OutgoingMessage& m) { m.attachments.push_back({"a.pdf", "application/pdf\r\nX: y", "x"}); }},
    };
    for (const Row& row : rows) {
        OutgoingMessage m = acknowledgement();
        row.poison(m);
        EXPECT_EQ(expectInputError([&] { composer.compose(m, kNow); }),
                  std::string("header ") + row.header +
                      ": the value contains a line break (CR or LF); a header value must be one line");
    }
}

TEST(MessageComposer, OtherBadHeadersTable) {
    OutgoingMessage m = acknowledgement();
    m.to[0].address = "not-an-address";
    EXPECT_EQ(expectInputError([&] { composer.compose(m, kNow); }),
              "header To: \"not-an-address\" is not an e-mail address (no @; expected local-part@domain in ASCII)");
    m = acknowledgement();
    m.to.clear();
    EXPECT_EQ(expectInputError([&] { composer.compose(m, kNow); }), "header To: no recipient; expected at least one address");
    m = acknowledgement();
    m.subject = "bell\x07";
    EXPECT_EQ(expectInputError([&] { composer.compose(m, kNow); }),
              "header Subject: the value contains a control character (byte 7); expected printable text");
    m = acknowledgement();
    m.subject = "\xC3";
    EXPECT_EQ(expectInputError([&] { composer.compose(m, kNow); }), "header Subject: the value is not valid UTF-8");
    m = acknowledgement();
    m.loopMarker.clear();
    EXPECT_EQ(expectInputError([&] { composer.compose(m, kNow); }),
              "header X-Duly-Loop: expected a non-empty ASCII loop marker");
    m = acknowledgement();
    m.textBody = "\xFF";
    EXPECT_EQ(expectInputError([&] { composer.compose(m, kNow); }), "text body: the text is not valid UTF-8");
    m = acknowledgement();
    m.attachments.push_back({"a.pdf", "pdf", "x"});
    EXPECT_EQ(expectInputError([&] { composer.compose(m, kNow); }),
              "attachment 1 (a.pdf): content type \"pdf\" is not type/subtype");
}

TEST(MessageComposer, NonAsciiNamesSubjectsAndBodiesAreEncoded) {
    OutgoingMessage m = acknowledgement();
    // "عائشہ" (Urdu): d8 b9 d8 a7 d8 a6 d8 b4 db 81 → base64 "2LnYp9im2LTbgQ==".
    m.to = {{"\xD8\xB9\xD8\xA7\xD8\xA6\xD8\xB4\xDB\x81", "ayesha.khan@example.org"},
            {"Officer \"Two\"", "two@example.org"}};
    // "收到" (Cantonese, received): e6 94 b6 e5 88 b0 → "5pS25Yiw".
    m.subject = "\xE6\x94\xB6\xE5\x88\xB0";
    m.autoSubmitted = AutoSubmitted::AutoGenerated;
    // Mostly non-ASCII text: base64. "你好\n" → e4 bd a0 e5 a5 bd 0d 0a → "5L2g5aW9DQo=".
    m.textBody = "\xE4\xBD\xA0\xE5\xA5\xBD\n";
    m.htmlBody.clear();
    const std::string bytes = composer.compose(m, kNow).bytes;
    EXPECT_NE(bytes.find("\r\nTo: =?UTF-8?B?2LnYp9im2LTbgQ==?= <ayesha.khan@example.org>,\r\n"
                         " \"Officer \\\"Two\\\"\" <two@example.org>\r\n"),
              std::string::npos)
        << bytes;
    EXPECT_NE(bytes.find("\r\nSubject: =?UTF-8?B?5pS25Yiw?=\r\n [PHG-2026-00042]\r\n"), std::string::npos) << bytes;
    EXPECT_NE(bytes.find("\r\nAuto-Submitted: auto-generated\r\n"), std::string::npos);
    // Text only: no multipart, the part headers are the message's own.
    EXPECT_NE(bytes.find("MIME-Version: 1.0\r\n"
                         "Content-Type: text/plain; charset=utf-8\r\n"
                         "Content-Transfer-Encoding: base64\r\n"
                         "\r\n"
                         "5L2g5aW9DQo=\r\n"),
              std::string::npos)
        << bytes;
}

TEST(MessageComposer, AsciiTextWithAFewAccentsIsQuotedPrintable) {
    OutgoingMessage m = acknowledgement();
    m.htmlBody.clear();
    m.textBody = "Caf\xC3\xA9 open on Monday.\n";
    const std::string bytes = composer.compose(m, kNow).bytes;
    EXPECT_NE(bytes.find("Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9 open on Monday.\r\n"),
              std::string::npos)
        << bytes;
}

TEST(MessageComposer, SubjectAlreadyTaggedIsNotTaggedTwiceAndLongSubjectsFold) {
    OutgoingMessage m = acknowledgement();
    m.subject = "Re: repairs [PHG-2026-00042]";
    std::string bytes = composer.compose(m, kNow).bytes;
    EXPECT_NE(bytes.find("\r\nSubject: Re: repairs [PHG-2026-00042]\r\n"), std::string::npos);
    // 12 words of 9 letters: "Subject: " + 7 words = 9 + 69 = 78; the eighth folds.
    m.subject.clear();
    for (int i = 0; i < 12; ++i) m.subject += (i ? " " : "") + std::string(9, static_cast<char>('a' + i));
    bytes = composer.compose(m, kNow).bytes;
    EXPECT_NE(bytes.find("\r\nSubject: aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg\r\n"
                         " hhhhhhhhh iiiiiiiii jjjjjjjjj kkkkkkkkk lllllllll [PHG-2026-00042]\r\n"),
              std::string::npos)
        << bytes;
}

TEST(MessageComposer, AttachmentsMakeMultipartMixed) {
    OutgoingMessage m = acknowledgement();
    m.attachments.push_back({"letter.pdf", "application/pdf", "%PDF"});
    // "lettre-été.pdf": non-ASCII → RFC 2231.
    m.attachments.push_back({"lettre-\xC3\xA9t\xC3\xA9.pdf", "application/pdf", "Man"});
    const std::string bytes = composer.compose(m, kNow).bytes;
    const std::string mixed = "=_duly_mix_PHG-2026-00042.ack.1";
    EXPECT_NE(bytes.find("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n--" +
                         mixed + "\r\nContent-Type: multipart/alternative; boundary=\"=_duly_alt_PHG-2026-00042.ack.1\""),
              std::string::npos)
        << bytes;
    EXPECT_NE(bytes.find("--=_duly_alt_PHG-2026-00042.ack.1--\r\n--" + mixed +
                         "\r\nContent-Type: application/pdf; name=\"letter.pdf\"\r\n"
                         "Content-Disposition: attachment; filename=\"letter.pdf\"\r\n"
                         "Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--" +
                         mixed +
                         "\r\nContent-Type: application/pdf\r\n"
                         "Content-Disposition: attachment; filename*=UTF-8''lettre-%C3%A9t%C3%A9.pdf\r\n"
                         "Content-Transfer-Encoding: base64\r\n\r\nTWFu\r\n--" +
                         mixed + "--\r\n"),
              std::string::npos)
        << bytes;
    EXPECT_EQ(bytes.substr(bytes.size() - mixed.size() - 6), "--" + mixed + "--\r\n");
}

TEST(MessageComposer, EveryLineEndsInCrlfAndFitsIn998) {
    OutgoingMessage m = acknowledgement();
    m.textBody = std::string(3000, 'x') + "\n" + "short\rline\n";
    m.htmlBody = std::string(2000, '\xC3');  // invalid UTF-8 is refused...
    EXPECT_NE(expectInputError([&] { composer.compose(m, kNow); }), "(no InputError)");
    m.htmlBody.clear();
    for (int i = 0; i < 1500; ++i) m.htmlBody += "\xC3\xA9";  // ...valid text of any length is encoded
    const std::string bytes = composer.compose(m, kNow).bytes;
    std::size_t start = 0;
    while (start < bytes.size()) {
        const std::size_t end = bytes.find("\r\n", start);
        ASSERT_NE(end, std::string::npos) << "no CRLF after byte " << start;
        const std::string line = bytes.substr(start, end - start);
        EXPECT_LE(line.size(), 998u);
        EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << "bare CR or LF in: " << line.substr(0, 60);
        start = end + 2;
    }
}

TEST(MessageComposer, BodyContainingOurBoundaryPrefixIsNotSentAs7bit) {
    OutgoingMessage m = acknowledgement();
    m.textBody = "--=_duly_alt_PHG-2026-00042.ack.1\n";
    const std::string bytes = composer.compose(m, kNow).bytes;
    EXPECT_NE(bytes.find("quoted-printable\r\n\r\n--=3D_duly_alt_PHG-2026-00042.ack.1\r\n"), std::string::npos) << bytes;
}

TEST(MessageComposer, LongIdsKeepBoundariesShortAndDistinct) {
    auto boundaryOf = [](const std::string& bytes) {
        const auto at = bytes.find("boundary=\"");
        if (at == std::string::npos) return std::string();
        const auto end = bytes.find('"', at + 10);
        return bytes.substr(at + 10, end - at - 10);
    };
    OutgoingMessage m = acknowledgement();
    m.caseReference = std::string(40, 'A');
    m.documentId = "escalation-respond-2026-12-11.rhughes" + std::string(20, 'x') + "1";
    m.htmlBody = "<p>x</p>";
    const std::string one = boundaryOf(composer.compose(m, kNow).bytes);
    m.documentId.back() = '2';
    const std::string two = boundaryOf(composer.compose(m, kNow).bytes);
    EXPECT_LE(one.size(), 70u);  // RFC 2046, section 5.1.1
    EXPECT_LE(two.size(), 70u);
    EXPECT_NE(one, two);
    EXPECT_EQ(one.rfind("=_duly_alt_AAAA", 0), 0u) << one;
}

namespace {

// The header block of a composed message, each folded line joined to its field.
std::vector<std::string> headerLines(const std::string& bytes) {
    std::vector<std::string> lines;
    const std::string head = bytes.substr(0, bytes.find("\r\n\r\n"));
    std::size_t pos = 0;
    while (pos <= head.size()) {
        std::size_t end = head.find("\r\n", pos);
        if (end == std::string::npos) end = head.size();
        const std::string line = head.substr(pos, end - pos);
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !lines.empty()) lines.back() += line;
        else lines.push_back(line);
        pos = end + 2;
    }
    return lines;
}

std::string field(const std::vector<std::string>& lines, const std::string& name) {
    for (const auto& l : lines)
        if (l.rfind(name + ": ", 0) == 0) return l.substr(name.size() + 2);
    return "(none)";
}

}  // namespace

// Ordinary mail carries threading ids Duly cannot write (RFC 6532 ids in
// UTF-8, ids without "@", ids over 250 bytes) and decoded sender names with
// line breaks in them. None of it may stop an acknowledgement, and none of it
// may reach a header line as it is.
TEST(MessageComposer, ThreadingIdsItCannotWriteAreLeftOutAndTheAcknowledgementStillGoes) {
    OutgoingMessage m = acknowledgement();
    m.inReplyTo = "<caf\xC3\xA9@mail.example.org>";  // UTF-8 in the id
    m.references = {"<first@example.org>", "no-at-sign", "<" + std::string(260, 'a') + "@example.org>",
                    "<a@b>\r\nBcc: victim@example.org", "<last@example.org>"};
    const auto lines = headerLines(composer.compose(m, kNow).bytes);
    EXPECT_EQ(field(lines, "In-Reply-To"), "(none)");
    EXPECT_EQ(field(lines, "References"), "<first@example.org> <last@example.org>");
    for (const auto& l : lines) EXPECT_NE(l.rfind("Bcc", 0), 0u) << l;

    m.inReplyTo = "no-at-sign";
    m.references = {"<\xD8\xB4@example.org>"};
    const auto bare = headerLines(composer.compose(m, kNow).bytes);
    EXPECT_EQ(field(bare, "In-Reply-To"), "(none)");
    EXPECT_EQ(field(bare, "References"), "(none)");
}

TEST(MessageComposer, ALongThreadKeepsItsNewestTwentyReferences) {
    OutgoingMessage m = acknowledgement();
    m.references.clear();
    for (int i = 1; i <= 30; ++i) m.references.push_back("<m" + std::to_string(i) + "@example.org>");
    const std::string refs = field(headerLines(composer.compose(m, kNow).bytes), "References");
    EXPECT_EQ(refs.find("<m10@example.org>"), std::string::npos);
    EXPECT_EQ(refs.rfind("<m11@example.org>", 0), 0u);
    EXPECT_NE(refs.find("<m30@example.org>"), std::string::npos);
    EXPECT_EQ(refs.size() - refs.rfind("<m30@example.org>"), std::string("<m30@example.org>").size());
}

TEST(MessageComposer, ControlsInADisplayNameBecomeSpaces) {
    OutgoingMessage m = acknowledgement();
    m.to[0].displayName = "Ayesha\r\nBcc: victim@example.org";
    m.from.displayName = "Progress\tHousing";
    const auto lines = headerLines(composer.compose(m, kNow).bytes);
    EXPECT_EQ(field(lines, "To"), "\"Ayesha  Bcc: victim@example.org\" <ayesha.khan@example.org>");
    EXPECT_EQ(field(lines, "From"), "Progress Housing <customer.services@progressgroup.org.uk>");
    for (const auto& l : lines) EXPECT_NE(l.rfind("Bcc", 0), 0u) << l;

    m.to[0].displayName = "\xC3";  // not UTF-8: the name is left out, the address stays
    EXPECT_EQ(field(headerLines(composer.compose(m, kNow).bytes), "To"), "ayesha.khan@example.org");
    m.to[0].displayName = std::string(300, 'x');
    EXPECT_EQ(field(headerLines(composer.compose(m, kNow).bytes), "To"), std::string(200, 'x') + " <ayesha.khan@example.org>");
}
