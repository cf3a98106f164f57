// DeliveryResult: what became of one attempt to hand a message on. Three
// named states: delivered; transient (try again later — a 4xx reply, a
// connection that failed, TLS that could not be set up); permanent (a 5xx
// reply — stop and tell a person). The server's own words are kept.
#pragma once

#include <string>

namespace duly::mail {

enum class DeliveryOutcome { Delivered, Transient, Permanent };

struct DeliveryResult {
    DeliveryOutcome outcome = DeliveryOutcome::Transient;
    int replyCode = 0;      // the SMTP reply code that decided it; 0 when none
    std::string stage;      // "connect", "starttls", "auth", "mail", "rcpt", "data", "outbox"...
    std::string text;       // the server's reply or the local error, for a person

    bool delivered() const { return outcome == DeliveryOutcome::Delivered; }
};

// "delivered", "transient", "permanent".
const char* toString(DeliveryOutcome outcome);

}  // namespace duly::mail
