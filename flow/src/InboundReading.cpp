// InboundReading: the MIME parser's result in the engine's terms. See
// InboundReading.h.
#include "duly/flow/InboundReading.h"

#include "duly/engine/ZoneRules.h"
#include "duly/mail/AutomaticMessage.h"
#include "duly/mail/MimeParser.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <cctype>

using namespace duly::engine;

namespace duly::flow {
namespace {

bool isScan(const std::string& contentType) {
    return contentType == "application/pdf" || contentType == "image/tiff" || contentType == "image/tif" ||
           contentType == "image/jpeg" || contentType == "image/jpg" || contentType == "image/pjpeg";
}

}  // namespace

InboundReading readInbound(const MailboxConfig& mailbox, const MailIdentity& identity, const std::string& raw,
                           Instant arrivedAt) {
    InboundReading reading;
    InboundMessage& m = reading.message;
    m.mailbox = mailbox.name;
    m.charter = mailbox.charter;
    m.brand = mailbox.brand;
    m.channel = mailbox.channel == "letter" ? Channel::Letter : Channel::Email;
    if (!mailbox.kind.empty()) m.kind = kindFromName(mailbox.kind);
    m.assign = mailbox.assign;
    m.urgentWords = mailbox.urgentWords;
    m.complaintWords = mailbox.complaintWords;
    m.received = arrivedAt;
    m.raw = raw;

    const mail::MimeResult parsed = mail::parseMime(raw);
    const mail::MimeMessage& p = parsed.message;
    m.fromAddress = p.from.address;
    m.fromName = p.from.name;
    m.subject = p.subject;
    m.text = p.text;
    if (!p.messageId.empty()) {
        m.messageId = p.messageId;
    } else {
        Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
        sha.update(raw);
        m.messageId = "<" + Poco::DigestEngine::digestToHex(sha.digest()) + "@no-message-id.duly.invalid>";
    }
    {
        // Sender, Date header and text: the same message however it came
        // (two mailboxes add different trace headers), another message
        // whatever Message-ID it reuses.
        Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
        std::string from = p.from.address;
        for (auto& c : from) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const std::string* date = p.headers.find("date");
        sha.update(from + "\n" + (date ? *date : std::string()) + "\n");
        sha.update(p.text);
        m.fingerprint = Poco::DigestEngine::digestToHex(sha.digest());
    }
    m.references = p.inReplyTo;
    m.references.insert(m.references.end(), p.references.begin(), p.references.end());
    for (const auto& note : p.notes) reading.notes.push_back("reading the message: " + note);
    if (!parsed.ok()) {
        m.parseProblem = *parsed.error;
        return reading;
    }
    for (const auto& a : p.attachments) {
        if (a.inlinePart && a.contentType.starts_with("image/") && m.channel == Channel::Email)
            continue;  // a logo or picture in the text of an email; the raw message keeps it
        m.attachments.push_back({a.fileName, a.contentType, a.bytes});
    }

    if (m.channel == Channel::Email) {
        // A delivery report joins the case of the message that bounced (its
        // Message-ID names the case), where the note flags it.
        if (!p.reportType.empty() && !p.reportedMessageId.empty()) {
            m.references.push_back(p.reportedMessageId);
            reading.notes.push_back("a " + p.reportType + " report about " + p.reportedMessageId +
                                    (p.reportType == "delivery-status" ? ": a message may not have been delivered" : ""));
        }
        m.noAutoReply = mail::automaticReason(p, identity.ownAddresses);
        if (!m.noAutoReply && !identity.fromAddress.empty()) m.noAutoReply = mail::automaticReason(p, {identity.fromAddress});
        return reading;
    }

    // A scanned letter.
    std::size_t scans = 0;
    for (const auto& a : m.attachments)
        if (isScan(a.contentType)) ++scans;
    if (scans == 0) reading.notes.push_back("the scanned letter has no PDF, TIFF or JPEG attached");
    const auto& london = ZoneRules::london();
    if (!p.date) {
        reading.notes.push_back("the scan has no readable Date; counted as received when it arrived, " +
                                london.formatRfc3339(arrivedAt));
    } else if (*p.date > arrivedAt + std::chrono::minutes{5}) {
        reading.notes.push_back("the scan's Date " + london.formatRfc3339(*p.date) +
                                " is after it arrived; counted as received when it arrived, " +
                                london.formatRfc3339(arrivedAt));
    } else if (*p.date < arrivedAt - std::chrono::days{14}) {
        reading.notes.push_back("the scan's Date " + london.formatRfc3339(*p.date) +
                                " is more than 14 days before it arrived; counted as received when it arrived, " +
                                london.formatRfc3339(arrivedAt));
    } else {
        m.received = std::min(*p.date, arrivedAt);
        reading.notes.push_back("logged by the mailroom at " + london.formatRfc3339(m.received) + " (the scan's Date)");
    }
    return reading;
}

}  // namespace duly::flow
