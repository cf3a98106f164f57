// ImapFolderName: IMAP folder names in modified UTF-7 (RFC 3501 §5.1.3),
// the form servers use on the wire, so a folder such as "Complaints –
// Cwynion" or one named in Urdu can be watched or moved to. The conversion
// is ICU's "IMAP-mailbox-name" converter; names in the config stay UTF-8.
// Text that is not valid UTF-8 (or, decoding, not valid modified UTF-7)
// throws engine::InputError naming it.
#pragma once

#include <string>

namespace duly::mail {

// UTF-8 to modified UTF-7: "Complaints – Cwynion" -> "Complaints &IBM- Cwynion"; "&" -> "&-".
std::string encodeImapFolderName(const std::string& utf8);

// Modified UTF-7 from a server back to UTF-8.
std::string decodeImapFolderName(const std::string& mutf7);

}  // namespace duly::mail
