// InboundReading: raw message bytes → the engine's InboundMessage, for
// flow/Ingest, through the MIME parser (duly::mail::MimeParser) and the
// loop rules (duly::mail::automaticReason), with the mailbox's settings.
// Adds what the case history should say about the reading (a charset read
// leniently, the time a scanned letter was logged).
//
// A message the parser cannot read comes back with parseProblem set and
// whatever was read of its header (From, Subject, Message-ID), so the
// caller still opens a case for triage and quarantines the bytes. Without a
// Message-ID, a digest of the bytes stands in, so the same bytes are taken
// in once. Never throws for any bytes.
//
// A delivery report (multipart/report) about one of Duly's messages gets
// that message's Message-ID among its references, so it joins the case it
// bounced from, with a note saying so.
//
// Scanned post (channel "letter"): the message is one postal letter. Its
// PDF, TIFF and JPEG attachments are the scan; the loop rules do not apply
// (the sender is the mailroom, not the writer); and the letter counts as
// received when the mailroom logged it, which is the message's Date header
// — the time the scanner or bureau sent it — unless that is missing,
// unreadable, after the message arrived (beyond 5 minutes of clock skew)
// or more than 14 days before, when the arrival time is used and a note
// says why.
#pragma once

#include "duly/flow/MailSettings.h"

#include "duly/engine/Intake.h"

#include <string>
#include <vector>

namespace duly::flow {

struct InboundReading {
    engine::InboundMessage message;
    std::vector<std::string> notes;  // for the case history
};

InboundReading readInbound(const MailboxConfig& mailbox, const MailIdentity& identity, const std::string& raw,
                           engine::Instant arrivedAt);

}  // namespace duly::flow
