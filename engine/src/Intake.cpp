// Intake: classify an arriving message and plan its case. See Intake.h.
#include "duly/engine/Intake.h"
#include "duly/engine/TextDecoding.h"

#include "duly/engine/Correspondence.h"
#include "duly/engine/Deadlines.h"
#include "duly/engine/InputError.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <regex>

namespace duly::engine {

AssignmentRule parseAssignmentRule(const std::string& text, const std::string& what) {
    if (text.empty()) return {};
    auto colon = text.find(':');
    const std::string kind = colon == std::string::npos ? text : text.substr(0, colon);
    const std::string target = colon == std::string::npos ? "" : text.substr(colon + 1);
    if (!target.empty()) {
        if (kind == "officer") return {AssignmentRule::Kind::Officer, target};
        if (kind == "team") return {AssignmentRule::Kind::Team, target};
        if (kind == "round-robin") return {AssignmentRule::Kind::RoundRobin, target};
    }
    throw InputError(what + ": expected \"officer:ID\", \"team:NAME\", \"round-robin:NAME\" or nothing, found \"" +
                     text + "\"");
}

std::string guessLanguageFromScript(const std::string& text) {
    // Count letters by script; the first strong non-Latin script decides.
    std::size_t arabic = 0, han = 0, latin = 0;
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(std::min<std::size_t>(text.size(), 1 << 20));
    int32_t i = 0;
    while (i < length) {
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0) continue;
        UErrorCode status = U_ZERO_ERROR;
        const UScriptCode script = uscript_getScript(c, &status);
        if (U_FAILURE(status)) continue;
        if (script == USCRIPT_ARABIC) ++arabic;
        else if (script == USCRIPT_HAN || script == USCRIPT_BOPOMOFO) ++han;
        else if (script == USCRIPT_LATIN) ++latin;
    }
    if (arabic >= 3 && arabic >= han) return "ur";
    if (han >= 2) return "yue-Hant";
    return "en-GB";
}

Intake::Intake(CaseStore& cases, MailLedger& ledger, CharterBook& charters)
    : _cases(cases), _ledger(ledger), _charters(charters) {}

std::vector<std::string> Intake::referencesIn(const std::string& text) const {
    static const std::regex pattern(R"(\b([A-Z]{2,5})-(\d{4})-(\d{5,9})\b)");
    // The charters' prefixes are looked up only for text that has something
    // shaped like a reference: listing the charters reads their folder, and
    // most subjects and Message-IDs have none.
    std::optional<std::vector<std::string>> prefixes;
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
        if (!prefixes) {
            prefixes.emplace();
            for (const auto& name : _charters.shipped()) {
                try {
                    prefixes->push_back(_charters.get(name).referencePrefix);
                } catch (const InputError&) {
                }
            }
        }
        const std::string prefix = (*it)[1];
        if (std::find(prefixes->begin(), prefixes->end(), prefix) != prefixes->end()) out.push_back((*it)[0]);
    }
    return out;
}

namespace {

// The first of `words` found in `text`, compared with case folded (so
// "GAS LEAK" and "Gas leak" match "gas leak"); empty when none is.
std::optional<std::string> firstWordIn(const std::vector<std::string>& words, const std::string& text) {
    if (words.empty()) return std::nullopt;
    icu::UnicodeString folded = icu::UnicodeString::fromUTF8(text);
    folded.foldCase();
    for (const auto& w : words) {
        icu::UnicodeString needle = icu::UnicodeString::fromUTF8(w);
        needle.foldCase();
        if (!needle.isEmpty() && folded.indexOf(needle) >= 0) return w;
    }
    return std::nullopt;
}

std::string lowered(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// 64-bit FNV-1a as 16 hex digits: a stable name, not a secret.
std::string fnvHex(std::string_view bytes) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
    static const char* digits = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = digits[h & 15];
    return out;
}

}  // namespace

bool Intake::senderOnCase(const std::string& address, const Case& kase) {
    if (address.empty()) return false;
    const std::string who = lowered(address);
    if (auto customer = _cases.customer(kase.customerRef); customer && lowered(customer->email) == who) return true;
    for (const auto& item : kase.items) {
        const std::string from = lowered(item.from);
        if (from == who || from.ends_with("<" + who + ">")) return true;
    }
    return false;
}

std::optional<Case> Intake::caseToJoin(const InboundMessage& m, std::optional<Case>& mentioned) {
    auto open = [&](const std::string& ref) -> std::optional<Case> {
        auto found = _cases.findCase(ref);
        if (found && found->state == CaseState::Open) return found;
        return std::nullopt;
    };
    // A reply to a message Duly sent: it answers that case, whoever sends it
    // (a customer may answer from another address).
    for (const auto& id : m.references)
        if (auto ref = _ledger.caseForSentMessage(id))
            if (auto found = open(*ref)) return found;
    // Anything else that names a case (a reference in the subject, a thread
    // id carrying a reference, the customer's own earlier message) joins only
    // when the sender is already on that case: a stranger who knows or guesses
    // a reference must not add to a tenant's case or steer its letters.
    std::vector<std::string> candidates = referencesIn(m.subject);
    for (const auto& id : m.references) {
        for (const auto& ref : referencesIn(id)) candidates.push_back(ref);
        if (auto ref = _ledger.caseForSource(id)) candidates.push_back(*ref);
    }
    for (const auto& ref : candidates) {
        auto found = open(ref);
        if (!found) continue;
        // Scanned post comes from the organisation's own mailroom, which
        // files a letter under the case it answers.
        if (m.channel == Channel::Letter || senderOnCase(m.fromAddress, *found)) return found;
        if (!mentioned) mentioned = found;
    }
    return std::nullopt;
}

bool Intake::sameMessage(const InboundMessage& m, const MailLedger::SourceItem& stored) {
    if (!stored.fingerprint.empty() && !m.fingerprint.empty()) return stored.fingerprint == m.fingerprint;
    // Stored before fingerprints, or read without one: the bytes decide.
    auto raw = _ledger.rawItem(stored.itemId);
    return !raw || *raw == m.raw;
}

std::string Intake::collisionId(const InboundMessage& m) {
    std::string inner = m.messageId.size() > 2 ? m.messageId.substr(1, m.messageId.size() - 2) : m.messageId;
    if (inner.size() > 180) inner = fnvHex(inner);
    return "<collision." + fnvHex(m.fingerprint.empty() ? m.raw : m.fingerprint) + "." + inner + ">";
}

std::string Intake::chooseOfficer(const AssignmentRule& rule, Instant) {
    if (rule.kind == AssignmentRule::Kind::None) return {};
    if (rule.kind == AssignmentRule::Kind::Officer) return _cases.officer(rule.target) ? rule.target : std::string();
    std::vector<Officer> team;
    for (const auto& o : _cases.officers())
        if (o.team == rule.target && o.role != Role::Administrator) team.push_back(o);
    if (team.empty()) return {};
    if (rule.kind == AssignmentRule::Kind::Team) {
        // The fewest open cases; ties to the first by id.
        std::string best;
        std::size_t fewest = SIZE_MAX;
        for (const auto& o : team) {
            const std::size_t open = _cases.openCaseCount(o.id);
            if (open < fewest) {
                fewest = open;
                best = o.id;
            }
        }
        return best;
    }
    // Round robin: the officer after the one given the team's latest case.
    auto latest = _cases.listCases({std::nullopt, std::nullopt, rule.target, 1});
    if (latest.empty()) return team.front().id;
    auto it = std::find_if(team.begin(), team.end(), [&](const Officer& o) { return o.id == latest.front().officerId; });
    if (it == team.end() || std::next(it) == team.end()) return team.front().id;
    return std::next(it)->id;
}

IntakePlan Intake::plan(const InboundMessage& m) {
    IntakePlan p;
    p.item = Item{0, m.channel, m.received, m.subject, m.text, m.messageId,
                  m.fromName.empty() ? m.fromAddress : m.fromName + " <" + m.fromAddress + ">"};
    p.item.attachments = m.attachments;

    p.item.fingerprint = m.fingerprint;

    // A Message-ID seen before is a duplicate only when it is the same
    // message; another message reusing it (a careless or hostile sender) is
    // taken in under a derived id, with a note, never dropped.
    std::vector<CaseEvent> notes;
    if (auto existing = _ledger.itemForSource(m.messageId)) {
        if (sameMessage(m, *existing)) {
            p.action = IntakePlan::Action::Duplicate;
            p.kase.reference = existing->caseReference;
            return p;
        }
        p.item.source = collisionId(m);
        if (auto again = _ledger.caseForSource(p.item.source)) {
            p.action = IntakePlan::Action::Duplicate;
            p.kase.reference = *again;
            return p;
        }
        notes.push_back({0, EventType::Note, m.received, "duly",
                         "this message came with the Message-ID " + m.messageId + " of a different message on " +
                             existing->caseReference + "; it was taken in as " + p.item.source});
    }
    std::optional<Case> mentioned;
    if (m.parseProblem.empty()) {
        if (auto join = caseToJoin(m, mentioned)) {
            p.action = IntakePlan::Action::JoinCase;
            p.kase = *join;
            p.events.push_back({0, EventType::Received, m.received, "duly",
                                std::string(channelName(m.channel)) + " joined the case: " + m.subject});
            p.events.insert(p.events.end(), notes.begin(), notes.end());
            return p;
        }
    }

    const Charter& charter = _charters.get(m.charter);
    p.action = IntakePlan::Action::OpenCase;
    Case& c = p.kase;
    c.charter = charter.name;
    c.brand = m.brand;
    c.channel = m.channel;
    c.kind = m.kind.value_or(Kind::Enquiry);
    c.subject = m.subject.empty() ? "(no subject)" : m.subject;
    c.received = m.received;

    // Who wrote. An email is linked to a customer by its sender's address
    // only: a customer reference in its text is anyone's to type, so it
    // makes the customer a "possibly" for an officer to confirm, and nothing
    // automatic goes to them. Scanned post is linked by the reference the
    // mailroom or the writer gives.
    std::optional<Customer> customer;
    std::optional<Customer> possibly;
    if (!m.fromAddress.empty() && m.channel != Channel::Letter) customer = _cases.customerByEmail(m.fromAddress);
    if (!customer) {
        static const std::regex customerRef(R"(\b(C\d{4,9})\b)");
        std::smatch match;
        const std::string haystack = m.subject + "\n" + m.text;
        if (std::regex_search(haystack, match, customerRef)) {
            if (m.channel == Channel::Letter) customer = _cases.customer(match[1]);
            else possibly = _cases.customer(match[1]);
        }
    }
    if (customer) {
        p.customer = *customer;
        p.customerKnown = true;
    } else if (m.channel != Channel::Letter && !m.fromAddress.empty() && m.parseProblem.empty()) {
        Customer contact;
        const int year = static_cast<int>(civil(std::chrono::floor<std::chrono::days>(m.received)).year());
        contact.reference = _ledger.reserveReference("NEW", year);
        // A display name with U+FFFD (bytes its charset could not map) is
        // not written to: "Dear Zo\uFFFD" must never reach a letter. Nor
        // is one with nothing visible (only spaces, controls or bidi
        // marks): letters remove those, and an empty name stops them.
        const bool nameReadable = !m.fromName.empty() && m.fromName.find("\xEF\xBF\xBD") == std::string::npos &&
                                  hasVisibleCharacter(m.fromName);
        contact.name = nameReadable ? m.fromName : m.fromAddress;
        contact.salutation = nameReadable ? "Dear " + m.fromName : "";
        contact.email = m.fromAddress;
        contact.language = guessLanguageFromScript(m.subject + "\n" + m.text);
        contact.languageConfirmed = false;
        contact.preferredChannel = PreferredChannel::Email;
        p.newContact = contact;
        p.customer = contact;
    }
    c.customerRef = p.customer.reference;

    // Deadlines from the charter; the officer from the mailbox's rule.
    DeadlineCalculator calc(charter);
    auto d = calc.compute({c.channel, c.kind, c.received, std::nullopt, 0});
    c.countedFrom = d.countedFrom;
    c.acknowledgeBy = d.acknowledgeBy;
    c.respondBy = d.respondBy;
    c.holdingReplyBy = d.holdingReplyBy;
    c.officerId = chooseOfficer(parseAssignmentRule(m.assign, "mailbox " + m.mailbox + ": assign"), m.received);
    const int year = static_cast<int>(civil(std::chrono::floor<std::chrono::days>(m.received)).year());
    c.reference = _ledger.reserveReference(charter.referencePrefix, year);
    c.items.push_back(p.item);
    p.events.push_back({0, EventType::Received, m.received, "duly",
                        std::string(channelName(m.channel)) + " to mailbox " + m.mailbox});
    if (!c.officerId.empty()) p.events.push_back({0, EventType::Assigned, m.received, "duly", c.officerId});
    if (p.newContact)
        p.events.push_back({0, EventType::Note, m.received, "duly",
                            "new contact " + p.newContact->reference + "; language " + p.newContact->language +
                                " guessed from the message, to be confirmed"});
    if (possibly)
        p.events.push_back({0, EventType::Note, m.received, "duly",
                            "possibly " + possibly->reference + " (" + possibly->name +
                                "), named in the message; the sender's address is not theirs, so an officer is to "
                                "confirm before anything goes to them"});
    if (mentioned)
        p.events.push_back({0, EventType::Note, m.received, "duly",
                            "mentions case " + mentioned->reference +
                                ", but the sender is not on that case; an officer may merge the two"});
    p.events.insert(p.events.end(), notes.begin(), notes.end());
    // The mailbox's word rules: urgent first in every queue; a likely
    // complaint is flagged for an officer, never reclassified on its own.
    if (const auto word = firstWordIn(m.urgentWords, m.subject + "\n" + m.text)) {
        c.urgent = true;
        p.events.push_back({0, EventType::Note, m.received, "duly",
                            "marked urgent by mailbox " + m.mailbox + ": the message says \"" + *word + "\""});
    }
    if (c.kind != Kind::ComplaintStage1 && c.kind != Kind::ComplaintStage2)
        if (const auto word = firstWordIn(m.complaintWords, m.subject + "\n" + m.text))
            p.events.push_back({0, EventType::Note, m.received, "duly",
                                "likely complaint: the message says \"" + *word +
                                    "\"; an officer is to decide whether to reclassify it as a stage 1 complaint"});

    // May an automatic acknowledgement go, and how?
    auto withhold = [&](const std::string& why) {
        p.acknowledge = false;
        p.noAcknowledgementReason = why;
        c.acknowledgementWithheld = why;
        p.events.push_back({0, EventType::Note, m.received, "duly", "no automatic acknowledgement: " + why});
    };
    // The limit counts the address actually written to.
    const std::string recipient = p.customerKnown && !p.customer.email.empty() ? p.customer.email : m.fromAddress;
    p.byPost = goesByPost(c, p.customer);
    if (!m.parseProblem.empty()) {
        withhold("the message could not be read (" + m.parseProblem + ")");
    } else if (m.noAutoReply) {
        withhold(*m.noAutoReply);
    } else if (m.channel == Channel::Email && m.fromAddress.empty() && !p.customerKnown) {
        withhold("the message has no sender address");
    } else if (p.customerKnown && callsToAcknowledge(c, p.customer)) {
        // A call task: the officer phones; the scheduler writes only if no
        // call reaches the customer (SchedulerSettings::callAttempts).
        p.acknowledge = false;
        p.events.push_back({0, EventType::Note, m.received, "duly",
                            "the customer prefers the phone: phone " + numberToCall(c, p.customer) +
                                " to acknowledge; a letter goes if no call reaches them"});
    } else if (p.byPost && !hasPostalAddress(p.customer)) {
        withhold(p.customerKnown ? "the customer has no postal address" : "the writer is not yet known (awaiting triage)");
    } else if (!p.byPost && _ledger.autoRepliesSince(recipient, m.received - std::chrono::hours{24}) >= _autoReplyLimit) {
        withhold("already " + std::to_string(_autoReplyLimit) + " automatic replies to " + recipient + " in 24 hours");
    } else if (p.byPost &&
               _ledger.autoLettersSince(p.customer.reference, m.received - std::chrono::hours{24}) >= _autoReplyLimit) {
        withhold("already " + std::to_string(_autoReplyLimit) + " automatic letters to " + p.customer.reference +
                 " in 24 hours");
    } else {
        p.acknowledge = true;
    }
    c.events = p.events;
    return p;
}

Case Intake::commit(const IntakePlan& p, const std::string& raw, const std::vector<OutboundMessage>& messages) {
    switch (p.action) {
        case IntakePlan::Action::Duplicate:
            return p.kase;
        case IntakePlan::Action::JoinCase:
            _ledger.addItem(p.kase.reference, p.item, raw, p.events);
            return p.kase;
        case IntakePlan::Action::OpenCase:
            if (p.newContact && !_cases.customerByEmail(p.newContact->email)) _cases.upsertCustomer(*p.newContact);
            return _ledger.createCaseWithMessages(p.kase, raw, messages);
    }
    return p.kase;
}

}  // namespace duly::engine
