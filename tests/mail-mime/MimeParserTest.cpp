// MimeParser: tables of messages and what is read from them, the exact
// error text for each way a message cannot be read, limits, the same result
// whether the bytes come at once, one at a time or in odd pieces, and the
// corpus in data/ against its golden descriptions (DULY_UPDATE_GOLDEN=1
// rewrites them; read the diff before committing).
#include "MimeDescription.h"

#include "duly/mail/AttachmentName.h"
#include "duly/mail/MimeParser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace duly::mail;
using duly::mail::test::describe;
namespace fs = std::filesystem;

namespace {

std::string crlf(std::string s) {
    std::string out;
    for (char c : s) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

MimeResult inPieces(std::string_view raw, std::size_t size, const MimeLimits& limits = {}) {
    MimeParser parser(limits);
    for (std::size_t i = 0; i < raw.size(); i += size) parser.feed(raw.substr(i, size));
    return parser.finish();
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct ErrorCase {
    const char* name;
    std::string raw;
    std::string error;
};

TEST(MimeParser, ErrorsNameTheLineAndWhatWasWrong) {
    MimeLimits small;
    small.maxMessageBytes = 200;
    small.maxHeaderBytes = 120;
    small.maxHeaderFields = 3;
    small.maxFieldBytes = 40;
    const std::vector<ErrorCase> cases = {
        {"empty", "", "the message is empty"},
        {"no name", "From: a@b\r\nthis is not a header\r\n\r\nx", "line 2: a header line without a name: \"this is not a header\""},
        {"empty name", "Subject: x\r\n: value\r\n\r\n", "line 2: a header line without a name: \": value\""},
        {"space in name", "Sub ject: x\r\n\r\n", "line 1: a header line without a name: \"Sub ject: x\""},
        {"fold first", " folded\r\nFrom: a@b\r\n\r\n", "line 1: a folded line with no header field before it"},
        {"nul", std::string("From: a@b\r\nSubject: a\0b\r\n\r\n", 24), "line 2: a NUL byte in the header"},
        {"control shown", "From: a@b\r\n\x01\x02garbage\r\n\r\n", "line 2: a header line without a name: \"??garbage\""},
        {"too many fields", "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", "line 4: the header has more than 3 fields"},
        {"long field", "Subject: " + std::string(40, 'x') + "\r\n\r\n", "line 1: header field Subject is over 40 bytes"},
        {"long folded field", "Subject: 0123456789\r\n 0123456789\r\n 0123456789\r\n 0123456789\r\n\r\n",
         "line 3: header field Subject is over 40 bytes"},
        {"long header", "A: 1\r\nB: " + std::string(30, 'y') + "\r\nC: " + std::string(30, 'z') + "\r\n" + std::string(80, 'w'),
         "the header is over 120 bytes"},
        {"long message", "A: 1\r\n\r\n" + std::string(300, 'b'), "the message is over the limit of 200 bytes"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        for (std::size_t piece : {c.raw.size() + 1, std::size_t{1}, std::size_t{7}}) {
            const MimeResult r = inPieces(c.raw, std::max<std::size_t>(piece, 1), small);
            ASSERT_TRUE(r.error.has_value()) << "piece " << piece;
            EXPECT_EQ(*r.error, c.error) << "piece " << piece;
        }
    }
}

TEST(MimeParser, WhatWasReadBeforeAnErrorIsKept) {
    const MimeResult r = parseMime(crlf("From: Tom <tom@example.org>\nSubject: Door\nMessage-ID: <d1@x>\n\x89PNG\n\nbody\n"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(*r.error, "line 4: a header line without a name: \"?PNG\"");
    EXPECT_EQ(r.message.from.address, "tom@example.org");
    EXPECT_EQ(r.message.subject, "Door");
    EXPECT_EQ(r.message.messageId, "<d1@x>");
}

TEST(MimeParser, ErrorIsKnownAsSoonAsItsBytesArrive) {
    MimeLimits limits;
    limits.maxMessageBytes = 50;
    MimeParser parser(limits);
    EXPECT_TRUE(parser.feed("From: a@b\r\n"));
    EXPECT_FALSE(parser.feed("garbage\r\n"));
    EXPECT_FALSE(parser.feed("Subject: later\r\n"));  // ignored once in error
    EXPECT_EQ(*parser.finish().error, "line 2: a header line without a name: \"garbage\"");

    MimeParser sized(limits);
    EXPECT_TRUE(sized.feed("A: b\r\n\r\n"));
    EXPECT_TRUE(sized.feed(std::string(42, 'x')));
    EXPECT_FALSE(sized.feed("yz"));
    EXPECT_EQ(*sized.finish().error, "the message is over the limit of 50 bytes");
}

struct ReadCase {
    const char* name;
    std::string raw;
    std::string described;
};

TEST(MimeParser, Structures) {
    const std::vector<ReadCase> cases = {
        {"headers only, no body", "From: a@b.org\nSubject: Hi",
         "from:  <a@b.org>\nsubject: Hi\nmessage-id: \ncontent-type: text/plain\ntext from: text/plain\ntext:\n\n"},
        {"bare LF, folding, 8-bit UTF-8 subject",
         "From: \"Doe, Jane\" <jane@x.org>\nSubject: Caf\xC3\xA9\n\tau lait\nMessage-ID:\n <m1@x>\n\nHello\n",
         "from: Doe, Jane <jane@x.org>\nsubject: Café au lait\nmessage-id: <m1@x>\ncontent-type: text/plain\n"
         "text from: text/plain\ntext:\nHello\n"},
        {"raw 8-bit header in the body's charset",
         "From: a@b\nSubject: \xB0\xDA\nContent-Type: text/plain; charset=big5\n\n\xB0\xDA\n",
         "from:  <a@b>\nsubject: 啊\nmessage-id: \ncontent-type: text/plain\ntext from: text/plain\ntext:\n啊\n"},
        {"alternative prefers plain text",
         "Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/html\n\n<p>html</p>\n--b\n"
         "Content-Type: text/plain\n\nplain\n--b--\n",
         "from:  <>\nsubject: \nmessage-id: \ncontent-type: multipart/alternative\ntext from: text/plain\ntext:\nplain\n"},
        {"html only, entities and script dropped",
         "Content-Type: text/html; charset=utf-8\n\n<script>alert(1)</script><p>Rent &pound;5&nbsp;&amp; more</p><p>Line&#8217;s &#x263A;</p>",
         "from:  <>\nsubject: \nmessage-id: \ncontent-type: text/html\ntext from: text/html\ntext:\nRent £5 & more\n\nLine’s ☺\n"},
        {"nested related in alternative, boundary prefix of another",
         "Content-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: multipart/alternative; boundary=\"ab\"\n\n"
         "--ab\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n=A3100 =\nowed\n"
         "--ab--\n--a\nContent-Type: application/pdf; name=x.pdf\nContent-Transfer-Encoding: base64\n\nJVBERg==\n--a--\n",
         "from:  <>\nsubject: \nmessage-id: \ncontent-type: multipart/mixed\n"
         "attachment: x.pdf (application/pdf, 4 bytes, part 2)\ntext from: text/plain\ntext:\n£100 owed\n"},
        {"missing closing boundary and unknown charset and encoding",
         "Content-Type: multipart/mixed; boundary=z\n\n--z\nContent-Type: text/plain; charset=x-klingon\n"
         "Content-Transfer-Encoding: x-uue\n\nqapla\xE9\n",
         "from:  <>\nsubject: \nmessage-id: \ncontent-type: multipart/mixed\n"
         "note: the last part has no closing boundary; read to the end\n"
         "note: part 1: transfer encoding \"x-uue\" is unknown; read as it is\n"
         "note: part 1: charset \"x-klingon\" is unknown; read as windows-1252\n"
         "text from: text/plain\ntext:\nqaplaé\n"},
        {"multipart without boundary is text",
         "Content-Type: multipart/mixed\n\nplain words\n",
         "from:  <>\nsubject: \nmessage-id: \ncontent-type: multipart/mixed\n"
         "note: multipart/mixed without a usable boundary; read as text\ntext from: text/plain\ntext:\nplain words\n"},
        {"RFC 2231 name with language, duplicate names made unique",
         "Content-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: image/jpeg\n"
         "Content-Disposition: attachment; filename*=iso-8859-1'fr'r%E9sum%E9.jpg\n\nA\n--q\n"
         "Content-Type: image/jpeg\nContent-Disposition: attachment; filename=\"r\xC3\xA9sum\xC3\xA9.jpg\"\n\nB\n--q--\n",
         "from:  <>\nsubject: \nmessage-id: \ncontent-type: multipart/mixed\n"
         "attachment: résumé.jpg (image/jpeg, 1 bytes, part 1)\nattachment: résumé (2).jpg (image/jpeg, 1 bytes, part 2)\n"
         "text from: \ntext:\n\n"},
        {"flowed text",
         "Content-Type: text/plain; format=flowed; delsp=yes\n\nOne long sen \ntence.\n> quoted\n",
         "from:  <>\nsubject: \nmessage-id: \ncontent-type: text/plain\ntext from: text/plain\ntext:\nOne long sentence.\n> quoted\n"},
        {"part without a header or the empty line",
         "Content-Type: multipart/mixed; boundary=n\n\n--n\nJust text, no header.\nSecond line.\n--n--\n",
         "from:  <>\nsubject: \nmessage-id: \ncontent-type: multipart/mixed\ntext from: text/plain\ntext:\n"
         "Just text, no header.\nSecond line.\n"},
        {"mbox separator line skipped",
         "From someone@x Mon Nov 23 10:00:00 2026\nFrom: someone@x\n\nhi\n",
         "from:  <someone@x>\nsubject: \nmessage-id: \ncontent-type: text/plain\ntext from: text/plain\ntext:\nhi\n"},
        {"forwarded message is an attachment named after its subject",
         "Content-Type: multipart/mixed; boundary=f\n\n--f\n\nsee below\n--f\nContent-Type: message/rfc822\n\n"
         "Subject: Old / news\n\nold body\n--f--\n",
         "from:  <>\nsubject: \nmessage-id: \ncontent-type: multipart/mixed\n"
         "attachment: Old - news.eml (message/rfc822, 31 bytes, part 2)\ntext from: text/plain\ntext:\nsee below\n"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string raw = crlf(c.raw);
        EXPECT_EQ(describe(parseMime(raw)), c.described);
        EXPECT_EQ(describe(inPieces(raw, 1)), c.described);
    }
}

TEST(MimeParser, NestingAndPartLimits) {
    MimeLimits limits;
    limits.maxDepth = 3;
    limits.maxParts = 5;
    std::string deep = "Content-Type: multipart/mixed; boundary=b0\n\n";
    for (int i = 1; i <= 4; ++i)
        deep += "--b" + std::to_string(i - 1) + "\nContent-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n";
    deep += "--b4\n\ntext\n";
    const MimeResult d = parseMime(crlf(deep), limits);
    ASSERT_TRUE(d.error);
    EXPECT_EQ(*d.error, "part 1.1.1: multiparts nested deeper than 3");

    std::string many = "Content-Type: multipart/mixed; boundary=m\n\n";
    for (int i = 0; i < 6; ++i) many += "--m\n\npart\n";
    many += "--m--\n";
    const MimeResult p = parseMime(crlf(many), limits);
    ASSERT_TRUE(p.error);
    EXPECT_EQ(*p.error, "the message has more than 5 parts");
    EXPECT_EQ(describe(inPieces(crlf(many), 3, limits)), describe(p));
}

TEST(MimeParser, TextIsBoundedAtACharacter) {
    MimeLimits limits;
    limits.maxTextBytes = 10;
    const MimeResult r = parseMime(crlf("Content-Type: text/plain; charset=utf-8\n\n123456789\xC3\xA9xyz\n"), limits);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.message.text, "123456789");
    ASSERT_EQ(r.message.notes.size(), 1u);
    EXPECT_EQ(r.message.notes[0], "the text is over 10 bytes; the rest is kept only in the raw message");
}

TEST(MimeParser, CorpusMatchesGoldenDescriptions) {
    const fs::path data = DULY_TEST_DATA;
    const bool update = std::getenv("DULY_UPDATE_GOLDEN") != nullptr;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(data))
        if (e.path().extension() == ".eml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    ASSERT_GE(files.size(), 10u);
    const std::vector<std::string> own = {"customer.services@progressgroup.org.uk"};
    for (const auto& file : files) {
        SCOPED_TRACE(file.filename().string());
        const std::string raw = readFile(file);
        const std::string whole = describe(parseMime(raw), own);
        EXPECT_EQ(describe(inPieces(raw, 1), own), whole);
        EXPECT_EQ(describe(inPieces(raw, 13), own), whole);
        fs::path golden = file;
        golden.replace_extension(".expected");
        if (update) {
            std::ofstream(golden, std::ios::binary) << whole;
            continue;
        }
        ASSERT_TRUE(fs::exists(golden)) << golden << " is missing; run with DULY_UPDATE_GOLDEN=1 and check it";
        EXPECT_EQ(whole, readFile(golden));
    }
}

}  // namespace

namespace {

TEST(MimeParser, LongDuplicateNamesStayUniqueAndBounded) {
    // Found by the fuzzer: a name at the length bound, repeated, once looped for ever.
    const std::string name = std::string(200, 'n') + ".pdf";
    std::string raw = "Content-Type: multipart/mixed; boundary=d\r\n\r\n";
    for (int i = 0; i < 12; ++i)
        raw += "--d\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\n\r\nx\r\n";
    raw += "--d--\r\n";
    const MimeResult r = parseMime(raw);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.message.attachments.size(), 12u);
    std::set<std::string> names;
    for (const auto& a : r.message.attachments) {
        EXPECT_LE(a.fileName.size(), kMaxAttachmentNameBytes);
        EXPECT_TRUE(a.fileName.ends_with(".pdf")) << a.fileName;
        names.insert(a.fileName);
    }
    EXPECT_EQ(names.size(), 12u);
    EXPECT_TRUE(r.message.attachments[11].fileName.ends_with("n (12).pdf")) << r.message.attachments[11].fileName;
}

}  // namespace

namespace {

// Inputs that once cost time quadratic in their size; each must finish (the
// test's time limit catches a regression, nothing here measures time).
TEST(MimeParser, HostileInputsAreReadInLinearTime) {
    std::string words;
    for (int i = 0; i < 8000; ++i) words += "=?x?Q?a";
    const MimeResult w = parseMime("Subject: " + words + " ?=\r\n\r\n");
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(w.message.subject.size(), words.size() + 3);  // no word there: kept as written

    const MimeResult amps = parseMime("Content-Type: text/html\r\n\r\n" + std::string(500000, '&'));
    ASSERT_TRUE(amps.ok());
    EXPECT_EQ(amps.message.text.size(), 500000u);

    MimeLimits limits;
    limits.maxHeaderBytes = 200000;
    const MimeResult line = inPieces("Subject: " + std::string(150000, 'x'), 1, limits);
    ASSERT_FALSE(line.ok());
    EXPECT_EQ(*line.error, "line 1: header field Subject is over 65536 bytes");
}

}  // namespace
