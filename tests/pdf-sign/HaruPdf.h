// HaruPdf: a one-page letter written by libharu itself (the library the
// letter layout uses), compressed, with document information set, so the
// tests sign exactly the kind of file the print run produces. Returns the
// bytes; throws std::runtime_error when libharu reports an error.
#pragma once

#include <hpdf.h>

#include <stdexcept>
#include <string>

namespace duly::pdf::test {

inline std::string makeHaruPdf() {
    HPDF_Doc doc = HPDF_New(nullptr, nullptr);
    if (!doc) throw std::runtime_error("HPDF_New failed");
    HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, "Your repair");
    HPDF_SetInfoAttr(doc, HPDF_INFO_AUTHOR, "Dee Parker");
    HPDF_SetInfoAttr(doc, HPDF_INFO_SUBJECT, "PHG-2026-00001");
    HPDF_Page page = HPDF_AddPage(doc);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    HPDF_Font font = HPDF_GetFont(doc, "Helvetica", nullptr);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, 12);
    HPDF_Page_TextOut(page, 72, 760, "Dear Mr Fairclough, we will fix the back door on Tuesday.");
    HPDF_Page_EndText(page);
    if (HPDF_SaveToStream(doc) != HPDF_OK) {
        HPDF_Free(doc);
        throw std::runtime_error("HPDF_SaveToStream failed");
    }
    const HPDF_UINT32 size = HPDF_GetStreamSize(doc);
    std::string out(size, '\0');
    HPDF_UINT32 len = size;
    HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(out.data()), &len);
    out.resize(len);
    HPDF_Free(doc);
    return out;
}

}  // namespace duly::pdf::test
