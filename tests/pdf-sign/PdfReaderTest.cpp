// PdfReader: objects found through classic tables, cross-reference streams
// with predictors and object streams; bad cross-references refused with the
// offset; truncation at any length fails cleanly; the work a hostile file
// can ask for (one /XRefStm named by thousands of sections, streams that
// inflate, entries without end) is counted and capped per file.
#include "TestPdf.h"

#include "duly/pdf/PdfFormatError.h"
#include "duly/pdf/PdfReader.h"

#include <gtest/gtest.h>

using namespace duly::pdf;
using duly::pdf::test::makeTestPdf;
using duly::pdf::test::withSectionsSharingXRefStm;
using duly::pdf::test::TestPdfOptions;

namespace {

std::string errorOf(const std::string& pdf) {
    try {
        PdfReader r(pdf);
        r.object({1, 0});
    } catch (const PdfFormatError& e) {
        return e.what();
    }
    return "(no error)";
}

void expectLetterObjects(PdfReader& r) {
    const PdfObject* root = r.trailer().find("Root");
    ASSERT_TRUE(root && root->isReference());
    PdfObject catalog = r.object(root->ref());
    ASSERT_TRUE(catalog.isDictionary());
    EXPECT_TRUE(catalog.find("Type")->isName("Catalog"));
    EXPECT_EQ(catalog.find("Lang")->text(), "en-GB");
    PdfObject info = r.resolve(*r.trailer().find("Info"));
    EXPECT_EQ(info.find("Subject")->text(), "PHG-2026-00001");
    PdfReader::Stream content = r.stream({4, 0});
    EXPECT_NE(content.data.find("fix the back door"), std::string::npos);
}

}  // namespace

TEST(PdfReader, ClassicTable) {
    const std::string pdf = makeTestPdf();
    PdfReader r(pdf);
    EXPECT_FALSE(r.newestSectionIsStream());
    EXPECT_EQ(r.size(), 7u);
    expectLetterObjects(r);
    EXPECT_TRUE(r.object({99, 0}).isNull());  // absent objects are null
}

TEST(PdfReader, CrossReferenceStreamWithPredictor) {
    TestPdfOptions o;
    o.xrefStream = true;
    const std::string pdf = makeTestPdf(o);
    PdfReader r(pdf);
    EXPECT_TRUE(r.newestSectionIsStream());
    expectLetterObjects(r);
}

TEST(PdfReader, ObjectsInsideAnObjectStream) {
    TestPdfOptions o;
    o.objectStream = true;
    o.acroForm = true;
    const std::string pdf = makeTestPdf(o);
    PdfReader r(pdf);
    expectLetterObjects(r);
    PdfObject field = r.object({10, 0});
    EXPECT_EQ(field.find("T")->text(), "Signature1");
}

TEST(PdfReader, HybridTableWithXRefStm) {
    TestPdfOptions o;
    o.hybrid = true;
    o.acroForm = true;
    const std::string pdf = makeTestPdf(o);
    PdfReader r(pdf);
    EXPECT_FALSE(r.newestSectionIsStream());
    // The table lists only the objects at offsets; /XRefStm finds the rest.
    expectLetterObjects(r);
    EXPECT_EQ(r.object({10, 0}).find("T")->text(), "Signature1");
}

TEST(PdfReader, RefusesWhatIsNotAPdf) {
    EXPECT_EQ(errorOf("hello"), "offset 0: expected a PDF header '%PDF-' in the first 1024 bytes");
    EXPECT_EQ(errorOf("%PDF-1.4\n1 0 obj << >> endobj\n"),
              "offset 30: expected 'startxref' near the end of the file; it is not a complete PDF");
    EXPECT_EQ(errorOf("%PDF-1.4\nstartxref\n9\n"), "offset 21: expected '%%EOF' after the startxref offset");
    EXPECT_EQ(errorOf("%PDF-1.4\nstartxref\n900\n%%EOF\n"),
              "offset 900: a cross-reference offset points beyond the end of the file (29 bytes)");
}

TEST(PdfReader, RefusesBadCrossReferences) {
    std::string pdf = makeTestPdf();
    // /Prev pointing at the same section loops.
    const auto xrefAt = pdf.rfind("xref\n0 ");
    std::string looped = pdf;
    looped.replace(looped.find("/Root 1 0 R"), 11, "/Prev " + std::to_string(xrefAt));
    EXPECT_EQ(errorOf(looped), "offset " + std::to_string(xrefAt) +
                                   ": the /Prev chain of cross-reference sections comes back to this section");
    // An entry that points at the wrong object.
    std::string wrong = pdf;
    const auto entry1 = wrong.find("0000000000 65535 f\r\n") + 20;
    wrong.replace(entry1, 10, wrong.substr(entry1 + 20, 10));  // object 1 at object 2's offset
    const std::string off = std::to_string(std::stoul(wrong.substr(entry1, 10)));
    EXPECT_EQ(errorOf(wrong), "offset " + off + ": the cross-reference says object 1 is here, but object 2 is");
    // A table entry that is neither n nor f.
    std::string badType = pdf;
    badType[entry1 + 17] = 'x';
    EXPECT_EQ(errorOf(badType), "offset " + std::to_string(entry1 + 17) +
                                    ": expected 'n' or 'f' in a cross-reference entry, found 'x'");
}

TEST(PdfReader, ObjectCountsAreBounded) {
    const std::string table = "%PDF-1.4\nxref\n0 2000000\n0000000000 65535 f\r\ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF\n";
    EXPECT_EQ(errorOf(table), "offset 23: a cross-reference table of more than 1048576 objects");
    const std::string size = "%PDF-1.4\nxref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 99999999 >>\nstartxref\n9\n%%EOF\n";
    EXPECT_EQ(errorOf(size), "offset 9: the trailer's /Size 99999999 is more than 1048576 objects");
}

TEST(PdfReader, EveryTruncationFailsCleanly) {
    TestPdfOptions o;
    o.objectStream = true;
    const std::string pdf = makeTestPdf(o);
    // Only the final end-of-line may go; any shorter file lacks its trailer.
    EXPECT_NO_THROW(PdfReader(std::string_view(pdf).substr(0, pdf.size() - 1)));
    for (std::size_t n = 0; n + 1 < pdf.size(); ++n)
        EXPECT_THROW(PdfReader(std::string_view(pdf).substr(0, n)), PdfFormatError) << n << " bytes";
}

// Corruption anywhere is read or refused with PdfFormatError, never a crash
// or another exception (run under ASan + UBSan too).
TEST(PdfReader, EveryByteFlipIsReadOrRefused) {
    TestPdfOptions o;
    o.xrefStream = true;
    const std::string pdf = makeTestPdf(o);
    for (std::size_t i = 0; i < pdf.size(); ++i) {
        std::string bad = pdf;
        bad[i] = static_cast<char>(bad[i] ^ 0x5a);
        try {
            PdfReader r(bad);
            r.object({1, 0});
            r.object({3, 0});
        } catch (const PdfFormatError&) {
        }
    }
    SUCCEED();
}

// 4,096 sections naming one /XRefStm decoded it 4,096 times (a 240 KB file
// ran for tens of minutes): it is decoded once, as for one section.
TEST(PdfReader, SectionsSharingOneXRefStmDecodeItOnce) {
    TestPdfOptions o;
    o.hybrid = true;
    o.acroForm = true;
    const std::string hybrid = makeTestPdf(o);
    const std::uint64_t once = PdfReader(hybrid).decodedBytes();
    ASSERT_GT(once, 0u);
    const std::string hostile = withSectionsSharingXRefStm(hybrid, int(PdfReader::kMaxXrefSections) - 1);
    PdfReader r(hostile);
    EXPECT_EQ(r.crossReferenceStreamsRead(), 1u);
    EXPECT_EQ(r.decodedBytes(), once);
    EXPECT_EQ(r.entriesRead(), PdfReader(hybrid).entriesRead() + PdfReader::kMaxXrefSections - 1);
    // Still read right: the objects the stream lists are found.
    expectLetterObjects(r);
    EXPECT_EQ(r.object({10, 0}).find("T")->text(), "Signature1");
}

// Distinct cross-reference streams that each inflate to 1 MiB: the file as
// a whole may decode only so much (a small budget here; 256 MiB by default).
TEST(PdfReader, TheBytesOneFileDecodesAreCappedInAll) {
    std::string pdf = makeTestPdf();
    const std::string zeros = duly::pdf::test::deflate(std::string(1u << 20, '\0'));
    const std::size_t size = duly::pdf::test::lastNumberAfter(pdf, "/Size ");
    for (int i = 0; i < 8; ++i) {
        const std::size_t prev = duly::pdf::test::lastNumberAfter(pdf, "startxref");
        const std::size_t at = pdf.size();
        pdf += std::to_string(size) + " 0 obj\n<< /Type /XRef /Size " + std::to_string(size + 1) +
               " /W [1 4 2] /Index [0 1] /Root 1 0 R /Prev " + std::to_string(prev) +
               " /Filter /FlateDecode /Length " + std::to_string(zeros.size()) + " >>\nstream\n" + zeros +
               "\nendstream\nendobj\nstartxref\n" + std::to_string(at) + "\n%%EOF\n";
    }
    EXPECT_NO_THROW(PdfReader(pdf, PdfReadLimits{9u << 20, 1000}));
    try {
        PdfReader r(pdf, PdfReadLimits{4u << 20, 1000});
        ADD_FAILURE() << "read although its streams decode to 8 MiB";
    } catch (const PdfFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("the streams of one file may decode to 4194304 bytes in all, and "
                                             "4194304 were decoded before this one"),
                  std::string::npos)
            << e.what();
    }
}

TEST(PdfReader, TheEntriesOneFileListsAreCappedInAll) {
    const std::string pdf = makeTestPdf();  // one table of 7 entries
    EXPECT_EQ(PdfReader(pdf).entriesRead(), 7u);
    try {
        PdfReader r(pdf, PdfReadLimits{1u << 20, 6});
        ADD_FAILURE() << "read although it lists 7 entries";
    } catch (const PdfFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("the cross-reference sections list more than 6 entries in all"),
                  std::string::npos)
            << e.what();
    }
}

// An offset in the blank before a table is that table: reaching it again that
// way is a loop, not a new section to read.
TEST(PdfReader, ATableReachedThroughTheBlankBeforeItIsReadOnce) {
    std::string pdf = makeTestPdf();
    const std::size_t at = pdf.size();
    pdf += "\n\n  xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 7 /Root 1 0 R /Prev " + std::to_string(at + 1) +
           " >>\nstartxref\n" + std::to_string(at) + "\n%%EOF\n";
    EXPECT_EQ(errorOf(pdf), "offset " + std::to_string(at + 1) +
                                ": the /Prev chain comes back to the cross-reference table at offset " +
                                std::to_string(at + 4) + " through another offset");
}
