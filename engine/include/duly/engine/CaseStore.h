// CaseStore: what the engine needs from persistence. Implemented by
// duly::store (SQLite through Poco::Data); the engine never sees SQL.
// Every method that changes state does so atomically: it either happens
// completely or not at all. Methods throw std::runtime_error (or a subclass)
// when the store itself fails, and InputError for a reference that does not
// exist where one is required.
#pragma once

#include "duly/engine/Case.h"
#include "duly/engine/Directory.h"

#include <functional>
#include <optional>
#include <string>
#include <algorithm>
#include <vector>

namespace duly::engine {

struct CaseFilter {
    std::optional<std::string> officerId;
    std::optional<CaseState> state;  // empty: any
    std::optional<std::string> team;
    std::size_t limit = 0;           // 0: no limit
    bool extendedOnly = false;       // only cases whose response date was extended
    bool awaitingTriage = false;     // only cases with no customer yet
    bool pausedOnly = false;         // only cases whose clock is paused (waiting on the customer)
    bool resumedUnanswered = false;  // only unanswered cases whose clock was paused and has run again
};

// One thing an officer must do, as listed by `duly due`.
struct DueAction {
    std::string caseReference;
    std::string charter;
    std::string officerId;
    std::string customerRef;
    std::string subject;
    Channel channel = Channel::Email;
    Kind kind = Kind::Enquiry;
    enum class What { Acknowledge, HoldingReply, Respond } what = What::Respond;
    Instant dueAt{};
    bool urgent = false;  // the case is marked urgent: listed first
    std::string callNumber{};  // a phone message's number to call back (Case::callNumber)
};

// Cases marked urgent first, each part still in the order it had (due order).
inline void urgentFirst(std::vector<DueAction>& actions) {
    std::stable_partition(actions.begin(), actions.end(), [](const DueAction& a) { return a.urgent; });
}
std::string_view dueWhatName(DueAction::What what);

class CaseStore;
// A queue shown to `limit` actions (0: all): every action of a case marked
// urgent first, in due order, however many others fall due before them; then
// the others, in due order, from the first `limit` due (`read`: how many of
// those were read, which is `limit` when there may be more).
std::vector<DueAction> dueQueue(const CaseStore& store, const std::optional<std::string>& officerId, std::size_t limit,
                                std::size_t* read = nullptr);  // "acknowledge", "holding-reply", "respond"

class CaseStore {
public:
    virtual ~CaseStore() = default;

    // Officers and customers: insert or update by id / reference.
    virtual void upsertOfficer(const Officer& officer) = 0;
    virtual std::optional<Officer> officer(const std::string& id) const = 0;
    virtual std::vector<Officer> officers() const = 0;
    virtual void upsertCustomer(const Customer& customer) = 0;
    virtual std::optional<Customer> customer(const std::string& reference) const = 0;
    virtual std::optional<Customer> customerByEmail(const std::string& email) const = 0;
    virtual std::size_t customerCount() const = 0;

    // Creates the case with its items and events, giving it the next
    // reference "PREFIX-YEAR-NNNNN" for its charter's prefix; returns the
    // stored case (ids and reference filled).
    virtual Case createCase(Case newCase, const std::string& referencePrefix) = 0;

    // Replaces the case's fields and appends `newEvents` to its history, in
    // one transaction. Items and earlier events are kept.
    virtual void updateCase(const Case& changed, const std::vector<CaseEvent>& newEvents) = 0;

    // A case's representative, replaced (or removed: nullopt), its
    // remedies added to, its referral to the ombudsman replaced; each with
    // `event` for the history, in one transaction. InputError for a
    // reference that does not exist. addRemedy returns the remedy with its id.
    virtual void setRepresentative(const std::string& reference, const std::optional<Representative>& representative,
                                   const CaseEvent& event) = 0;
    virtual Remedy addRemedy(const std::string& reference, Remedy remedy, const CaseEvent& event) = 0;
    virtual void setReferral(const std::string& reference, const Referral& referral, const CaseEvent& event) = 0;

    // The case with its items and events, or nothing.
    virtual std::optional<Case> findCase(const std::string& reference) const = 0;

    // Cases without items or events, newest first.
    virtual std::vector<Case> listCases(const CaseFilter& filter) const = 0;

    // Cases received at or after `from` and before `before`, without items
    // or events, newest first: the period of a report. The default reads
    // listCases and filters; a store with an index on receipt overrides it.
    virtual std::vector<Case> casesReceived(Instant from, Instant before) const;

    // Open actions (not yet acknowledged / not yet replied), most urgent
    // first; with `overdueAt`, only those due before that instant. A case
    // whose clock is paused has no holding-reply or respond action until it
    // resumes (its acknowledgement is still due).
    virtual std::vector<DueAction> dueActions(const std::optional<std::string>& officerId,
                                              std::optional<Instant> overdueAt,
                                              std::size_t limit = 0) const = 0;
    // The open actions of the cases marked urgent, all of them, in due
    // order: a queue shown to a limit lists them first however many other
    // actions fall due before them.
    virtual std::vector<DueAction> urgentDueActions(const std::optional<std::string>& officerId) const = 0;

    virtual std::size_t caseCount() const = 0;
    // How many open cases an officer has (team assignment: fewest first).
    virtual std::size_t openCaseCount(const std::string& officerId) const = 0;
};

inline std::vector<DueAction> dueQueue(const CaseStore& store, const std::optional<std::string>& officerId,
                                       std::size_t limit, std::size_t* read) {
    std::vector<DueAction> out = store.urgentDueActions(officerId);
    std::vector<DueAction> first = store.dueActions(officerId, std::nullopt, limit);
    if (read) *read = first.size();
    for (auto& a : first)
        if (!a.urgent) out.push_back(std::move(a));
    return out;
}

}  // namespace duly::engine
