// AttachmentName: a file name a sender chose → one safe to show and to save
// anywhere. Path separators, control and format characters (including the
// bidirectional overrides used to disguise "exe" as "pdf"), the characters
// Windows forbids, leading dots and trailing dots or spaces are removed or
// replaced; reserved Windows device names (CON, NUL, COM1…) get a leading
// "_"; the result is at most kMaxAttachmentNameBytes of UTF-8 with the
// extension kept. An empty result becomes "attachment" plus an extension
// from the content type. Never throws.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace duly::mail {

inline constexpr std::size_t kMaxAttachmentNameBytes = 120;

// `name` is UTF-8 (already decoded from RFC 2047/2231); `contentType` is
// used only when nothing of the name is left ("application/pdf" → ".pdf").
std::string sanitiseAttachmentName(std::string_view name, std::string_view contentType);

// ".pdf" for application/pdf, ".jpg", ".tif", ".png", ".txt", ".html",
// ".eml"; ".bin" otherwise.
std::string extensionForType(std::string_view contentType);

}  // namespace duly::mail
