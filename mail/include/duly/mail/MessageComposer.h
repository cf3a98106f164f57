// MessageComposer: turns an OutgoingMessage into RFC 5322 bytes — headers
// (RFC 2047 for non-ASCII text), multipart/alternative text and HTML,
// attachments — deterministically: the same message and clock give the
// same bytes. Every problem with the input is an InputError naming the
// header or part; a CR or LF in a header value is always refused, so no
// caller can inject a header.
#pragma once

#include "duly/engine/Time.h"
#include "duly/mail/ComposedMessage.h"
#include "duly/mail/OutgoingMessage.h"

#include <string>
#include <string_view>

namespace duly::mail {

class MessageComposer {
public:
    // `domain` is the right-hand side of every Message-ID Duly makes
    // ("duly.progressgroup.org.uk"). Throws InputError when it is not a
    // host name.
    explicit MessageComposer(std::string domain);

    // The whole message, dated `date`. Throws InputError naming the header
    // or part at fault.
    ComposedMessage compose(const OutgoingMessage& message, engine::Instant date) const;

    // "<PHG-2026-00042.ack.1@duly.progressgroup.org.uk>": a function of its
    // arguments only, so a retry of the same document gets the same id.
    // Case reference and document id: letters, digits, '.', '-', '_' (no
    // leading, trailing or doubled dot), at most 64 characters each.
    // Throws InputError otherwise.
    static std::string messageIdFor(std::string_view caseReference, std::string_view documentId,
                                    std::string_view domain);

private:
    std::string _domain;
};

}  // namespace duly::mail
