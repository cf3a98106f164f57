// InboundReading: raw message bytes → the engine's InboundMessage, with the
// loop rules' verdict. XXX: this first reader understands only the headers
// Intake needs and a single-part body; the MIME parser in mail/ (multipart,
// encodings, charsets) replaces its body extraction when it lands.
#pragma once

#include "Config.h"

#include "duly/engine/Intake.h"

#include <string>

namespace duly::app {

engine::InboundMessage readInbound(const MailboxConfig& mailbox, const MailIdentity& identity, const std::string& raw,
                                   engine::Instant receivedAt);

}  // namespace duly::app
