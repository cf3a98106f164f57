// AutomaticMessage: the loop rules as they concern an inbound message's
// headers — whether a machine sent it, so that Duly never answers it
// (RFC 3834 and what Sieve vacation implementations check). A message is
// automatic when it carries Auto-Submitted other than "no"; Precedence bulk,
// list or junk; any List-* header; a null Return-Path ("<>"); a sender such
// as MAILER-DAEMON, postmaster, LISTSERV, majordomo, *-request, owner-*,
// no-reply; X-Auto-Response-Suppress All or AutoReply; X-Autoreply or
// X-Autorespond; a delivery or disposition report (multipart/report); mail
// from one of Duly's own addresses; Duly's X-Duly-Loop marker; or an X-Loop
// header naming one of Duly's own addresses.
//
// XXX: a missing Return-Path is not counted as automatic: messages put in a
// Maildir by hand or by some servers (Exchange) have none, and a false
// "automatic" silently withholds a customer's acknowledgement; the
// per-sender limit (Intake) stops any loop this lets through.
#pragma once

#include "duly/mail/MimeParser.h"

#include <optional>
#include <string>
#include <vector>

namespace duly::mail {

// The reason the message is automatic, in words for the case history
// ("Auto-Submitted: auto-replied"), or nullopt when a person wrote it.
// `ownAddresses` are compared without regard to case.
std::optional<std::string> automaticReason(const MimeMessage& message, const std::vector<std::string>& ownAddresses);

}  // namespace duly::mail
