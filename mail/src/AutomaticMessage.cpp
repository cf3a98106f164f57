// AutomaticMessage: the loop rules on parsed headers. See AutomaticMessage.h.
// Pure; nothing throws.
#include "duly/mail/AutomaticMessage.h"

#include "AsciiText.h"

#include <algorithm>
#include <cctype>

namespace duly::mail {
namespace {

using ascii::lower;


std::string trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return std::string(s.substr(0, 80));
}

// The first word of a header value, before ';' or a comment.
std::string keyword(std::string_view v) {
    std::string k = lower(trimmed(v));
    const auto end = k.find_first_of("; \t(");
    return end == std::string::npos ? k : k.substr(0, end);
}

}  // namespace

std::optional<std::string> automaticReason(const MimeMessage& m, const std::vector<std::string>& ownAddresses) {
    const MimeHeaders& h = m.headers;
    if (const auto* v = h.find("auto-submitted"); v && keyword(*v) != "no") return "Auto-Submitted: " + trimmed(*v);
    if (const auto* v = h.find("precedence")) {
        const std::string p = keyword(*v);
        if (p == "bulk" || p == "list" || p == "junk") return "Precedence: " + p;
    }
    for (const auto& field : h.all())
        if (field.name.size() > 5 && lower(field.name.substr(0, 5)) == "list-")
            return "a mailing list message (" + field.name + ")";
    if (const auto* v = h.find("return-path")) {
        std::string path = trimmed(*v);
        path.erase(std::remove_if(path.begin(), path.end(), [](char c) { return c == ' ' || c == '\t'; }), path.end());
        if (path == "<>" || path.empty()) return "a null return path (Return-Path: <>)";
    }
    if (const auto* v = h.find("x-auto-response-suppress")) {
        const std::string s = lower(*v);
        if (s.find("all") != std::string::npos || s.find("autoreply") != std::string::npos)
            return "X-Auto-Response-Suppress: " + trimmed(*v);
    }
    if (h.has("x-autoreply")) return "an automatic reply (X-Autoreply)";
    if (h.has("x-autorespond")) return "an automatic reply (X-Autorespond)";
    if (h.has("x-duly-loop")) return "a message Duly sent (X-Duly-Loop)";
    if (!m.reportType.empty()) return "a " + m.reportType + " report (multipart/report)";
    // X-Loop (procmail, many helpdesks): each hop that must not see the
    // message again adds its address. One of ours means our own mail came
    // back, through a forward or another system's auto-reply.
    for (const auto& field : h.all()) {
        if (lower(field.name) != "x-loop") continue;
        std::string loop = lower(trimmed(field.value));
        loop.erase(std::remove_if(loop.begin(), loop.end(), [](char c) { return c == '<' || c == '>' || c == ' '; }),
                   loop.end());
        for (const auto& own : ownAddresses)
            if (!own.empty() && lower(own) == loop) return "a message Duly sent came back (X-Loop: " + loop + ")";
    }

    const std::string address = lower(m.from.address);
    for (const auto& own : ownAddresses)
        if (!own.empty() && lower(own) == address) return "mail from Duly's own address " + m.from.address;
    const auto at = address.find('@');
    const std::string local = address.substr(0, at);
    static const char* kMachines[] = {"mailer-daemon", "postmaster", "listserv",      "majordomo",  "no-reply",
                                      "noreply",       "do-not-reply", "donotreply", "no_reply", "bounce",
                                      "bounces",       "mdaemon"};
    for (const char* machine : kMachines)
        if (local == machine) return "a machine's address (" + m.from.address + ")";
    if (local.size() > 8 && local.ends_with("-request")) return "a list's request address (" + m.from.address + ")";
    if (local.rfind("owner-", 0) == 0) return "a list owner's address (" + m.from.address + ")";
    if (local.ends_with("-bounces") || local.rfind("bounce-", 0) == 0 || local.rfind("bounces+", 0) == 0)
        return "a bounce address (" + m.from.address + ")";
    return std::nullopt;
}

}  // namespace duly::mail
