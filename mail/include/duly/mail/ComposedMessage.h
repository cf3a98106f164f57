// ComposedMessage: an RFC 5322 message as bytes plus its SMTP envelope. The
// bytes are what is stored, written to the outbox and sent, unchanged, so
// what a person sees in the archive is exactly what left.
#pragma once

#include <string>
#include <vector>

namespace duly::mail {

struct ComposedMessage {
    std::string messageId;                // "<PHG-2026-00042.ack.1@duly.example.org>"
    std::string envelopeFrom;             // MAIL FROM address
    std::vector<std::string> recipients;  // RCPT TO addresses
    std::string bytes;                    // CRLF line ends, every line <= 998 octets
};

}  // namespace duly::mail
