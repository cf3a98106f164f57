// InboundReading: a bounded header reader and the loop rules.
#include "InboundReading.h"

#include <Poco/SHA2Engine.h>
#include <Poco/DigestEngine.h>

#include <algorithm>
#include <cctype>
#include <map>

using namespace duly::engine;

namespace duly::app {
namespace {

constexpr std::size_t kMaxHeaderBytes = 256 * 1024;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// Splits "Name <a@b>" into name and address.
void splitAddress(const std::string& value, std::string& name, std::string& address) {
    auto lt = value.find('<');
    auto gt = value.find('>', lt == std::string::npos ? 0 : lt);
    if (lt != std::string::npos && gt != std::string::npos) {
        address = trim(value.substr(lt + 1, gt - lt - 1));
        name = trim(value.substr(0, lt));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    } else {
        address = trim(value);
        name.clear();
    }
}

std::vector<std::string> messageIds(const std::string& value) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while ((pos = value.find('<', pos)) != std::string::npos) {
        auto end = value.find('>', pos);
        if (end == std::string::npos) break;
        out.push_back(value.substr(pos, end - pos + 1));
        pos = end + 1;
    }
    return out;
}

std::optional<std::string> loopVerdict(const std::multimap<std::string, std::string>& h, const std::string& from,
                                       const MailIdentity& identity) {
    auto get = [&](const std::string& k) -> std::optional<std::string> {
        auto it = h.find(k);
        return it == h.end() ? std::nullopt : std::optional(it->second);
    };
    if (auto v = get("auto-submitted"); v && lower(trim(*v)).rfind("no", 0) != 0)
        return "Auto-Submitted: " + trim(*v);
    if (auto v = get("precedence")) {
        auto p = lower(trim(*v));
        if (p == "bulk" || p == "list" || p == "junk") return "Precedence: " + p;
    }
    for (const auto& [k, v] : h)
        if (k.rfind("list-", 0) == 0) return "a mailing list message (" + k + ")";
    if (auto v = get("return-path"); v && trim(*v) == "<>") return "a null return path (Return-Path: <>)";
    if (auto v = get("x-auto-response-suppress")) {
        auto s = lower(*v);
        if (s.find("all") != std::string::npos || s.find("autoreply") != std::string::npos)
            return "X-Auto-Response-Suppress: " + trim(*v);
    }
    if (get("x-autoreply") || get("x-autorespond")) return "an automatic reply (X-Autoreply)";
    if (get("x-duly-loop")) return "a message Duly sent (X-Duly-Loop)";
    const std::string address = lower(from);
    const std::string local = address.substr(0, address.find('@'));
    for (const auto& own : identity.ownAddresses)
        if (lower(own) == address) return "mail from Duly's own address " + from;
    static const char* machines[] = {"mailer-daemon", "postmaster", "listserv", "majordomo", "no-reply",
                                     "noreply", "do-not-reply", "donotreply"};
    for (const char* m : machines)
        if (local == m) return "a machine's address (" + from + ")";
    if (local.size() > 8 && local.ends_with("-request")) return "a list's request address (" + from + ")";
    if (local.rfind("owner-", 0) == 0) return "a list owner's address (" + from + ")";
    return std::nullopt;
}

}  // namespace

InboundMessage readInbound(const MailboxConfig& mailbox, const MailIdentity& identity, const std::string& raw,
                           Instant receivedAt) {
    InboundMessage m;
    m.mailbox = mailbox.name;
    m.charter = mailbox.charter;
    m.channel = mailbox.channel == "letter" ? Channel::Letter : Channel::Email;
    if (!mailbox.kind.empty()) m.kind = kindFromName(mailbox.kind);
    m.assign = mailbox.assign;
    m.received = receivedAt;
    m.raw = raw;

    // Headers end at the first empty line.
    std::size_t end = raw.find("\r\n\r\n");
    std::size_t bodyStart = end == std::string::npos ? std::string::npos : end + 4;
    if (end == std::string::npos) {
        end = raw.find("\n\n");
        bodyStart = end == std::string::npos ? std::string::npos : end + 2;
    }
    std::multimap<std::string, std::string> headers;
    if (end == std::string::npos || end > kMaxHeaderBytes) {
        m.parseProblem = end == std::string::npos ? "no empty line ends the header" : "the header is over 256 KiB";
    } else {
        std::string name, value;
        auto flush = [&] {
            if (!name.empty()) headers.emplace(lower(trim(name)), trim(value));
            name.clear();
            value.clear();
        };
        std::size_t pos = 0;
        while (pos < end) {
            auto eol = raw.find('\n', pos);
            if (eol == std::string::npos || eol > end) eol = end;
            std::string line = raw.substr(pos, eol - pos);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            pos = eol + 1;
            if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
                value += " " + trim(line);
                continue;
            }
            flush();
            auto colon = line.find(':');
            if (colon == std::string::npos || colon == 0) {
                m.parseProblem = "a header line without a name: \"" + line.substr(0, 60) + "\"";
                break;
            }
            name = line.substr(0, colon);
            value = line.substr(colon + 1);
        }
        flush();
    }
    auto get = [&](const std::string& k) {
        auto it = headers.find(k);
        return it == headers.end() ? std::string() : it->second;
    };
    splitAddress(get("from"), m.fromName, m.fromAddress);
    m.subject = get("subject");
    auto ids = messageIds(get("message-id"));
    if (!ids.empty()) {
        m.messageId = ids.front();
    } else {
        // No Message-ID: a digest of the bytes stands in, so the same bytes are
        // still taken in once.
        Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
        sha.update(raw);
        m.messageId = "<" + Poco::DigestEngine::digestToHex(sha.digest()) + "@no-message-id.duly.invalid>";
    }
    for (const auto& id : messageIds(get("in-reply-to"))) m.references.push_back(id);
    for (const auto& id : messageIds(get("references"))) m.references.push_back(id);
    if (bodyStart != std::string::npos) m.text = raw.substr(bodyStart, 64 * 1024);
    if (m.parseProblem.empty()) m.noAutoReply = loopVerdict(headers, m.fromAddress, identity);
    return m;
}

}  // namespace duly::app
