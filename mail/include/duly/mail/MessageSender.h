// MessageSender: the one thing the delivery step needs from a way of
// sending — hand over composed bytes, get a classified result. Implemented
// by SmtpTransport (a real server) and FileOutbox (the embedded default).
#pragma once

#include "duly/mail/ComposedMessage.h"
#include "duly/mail/DeliveryResult.h"

namespace duly::mail {

class MessageSender {
public:
    virtual ~MessageSender() = default;
    // Never throws for a failure of the far side or the disk: that is a
    // Transient or Permanent result.
    virtual DeliveryResult send(const ComposedMessage& message) = 0;
    // Ends what send() kept open for the next message (an SMTP connection);
    // called when a round of deliveries is over.
    virtual void close() {}
};

}  // namespace duly::mail
