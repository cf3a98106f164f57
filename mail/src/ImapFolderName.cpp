// ImapFolderName: UTF-8 <-> modified UTF-7 through ICU. ICU's converter
// works between UTF-16 and the charset, so each direction goes through a
// UnicodeString; the converters are opened per call (folder names are few
// and short) so nothing is shared between threads.
#include "duly/mail/ImapFolderName.h"

#include "duly/engine/InputError.h"

#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <memory>
#include <vector>

namespace duly::mail {
namespace {

struct Closer {
    void operator()(UConverter* c) const { ucnv_close(c); }
};

std::unique_ptr<UConverter, Closer> open(const char* name) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, Closer> c(ucnv_open(name, &status));
    if (U_FAILURE(status) || !c) throw engine::InputError(std::string("ICU has no converter ") + name);
    // Stop at the first invalid sequence instead of substituting.
    ucnv_setToUCallBack(c.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    ucnv_setFromUCallBack(c.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    if (U_FAILURE(status)) throw engine::InputError(std::string("ICU converter ") + name + ": cannot set callbacks");
    return c;
}

std::u16string toUtf16(const std::string& text, const char* charset, const std::string& what) {
    auto c = open(charset);
    std::u16string out(text.size() + 1, u'\0');
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = ucnv_toUChars(c.get(), out.data(), static_cast<int32_t>(out.size()), text.data(),
                                    static_cast<int32_t>(text.size()), &status);
    if (U_FAILURE(status)) throw engine::InputError(what + " \"" + text + "\" is not valid " + charset);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string fromUtf16(const std::u16string& text, const char* charset, const std::string& what) {
    auto c = open(charset);
    // Modified UTF-7 needs at most 8/3 bytes per UTF-16 unit plus shifts; UTF-8 at most 3.
    std::string out(text.size() * 4 + 16, '\0');
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = ucnv_fromUChars(c.get(), out.data(), static_cast<int32_t>(out.size()), text.data(),
                                      static_cast<int32_t>(text.size()), &status);
    if (U_FAILURE(status)) throw engine::InputError(what + " cannot be written in " + charset);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

}  // namespace

std::string encodeImapFolderName(const std::string& utf8) {
    return fromUtf16(toUtf16(utf8, "UTF-8", "the folder name"), "IMAP-mailbox-name", "the folder name \"" + utf8 + "\"");
}

std::string decodeImapFolderName(const std::string& mutf7) {
    return fromUtf16(toUtf16(mutf7, "IMAP-mailbox-name", "the folder name from the server"), "UTF-8",
                     "the folder name \"" + mutf7 + "\"");
}

}  // namespace duly::mail
