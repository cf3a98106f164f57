// MimeDescription: see MimeDescription.h.
#include "MimeDescription.h"

#include "duly/mail/AutomaticMessage.h"

#include <chrono>
#include <cstdio>

namespace duly::mail::test {

std::string describe(const MimeResult& r, const std::vector<std::string>& own) {
    const MimeMessage& m = r.message;
    std::string out;
    if (r.error) out += "error: " + *r.error + "\n";
    out += "from: " + m.from.name + " <" + m.from.address + ">\n";
    out += "subject: " + m.subject + "\n";
    out += "message-id: " + m.messageId + "\n";
    for (const auto& id : m.inReplyTo) out += "in-reply-to: " + id + "\n";
    for (const auto& id : m.references) out += "references: " + id + "\n";
    if (m.date) {
        const auto day = std::chrono::floor<std::chrono::days>(*m.date);
        const std::chrono::year_month_day ymd{day};
        const std::chrono::hh_mm_ss hms{*m.date - day};
        char buf[96];
        std::snprintf(buf, sizeof buf, "date: %04d-%02u-%02uT%02ld:%02ld:%02ldZ\n", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                      static_cast<long>(hms.seconds().count()));
        out += buf;
    }
    out += "content-type: " + m.contentType + "\n";
    if (!m.reportType.empty()) out += "report: " + m.reportType + " on " + m.reportedMessageId + "\n";
    if (auto why = automaticReason(m, own)) out += "automatic: " + *why + "\n";
    for (const auto& a : m.attachments)
        out += "attachment: " + a.fileName + " (" + a.contentType + ", " + std::to_string(a.bytes.size()) +
               " bytes, part " + a.part + (a.inlinePart ? ", inline" : "") + ")\n";
    for (const auto& n : m.notes) out += "note: " + n + "\n";
    out += "text from: " + m.textFrom + "\n";
    out += "text:\n" + m.text + "\n";
    return out;
}

}  // namespace duly::mail::test
