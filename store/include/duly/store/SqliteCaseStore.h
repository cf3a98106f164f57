// SqliteCaseStore: the CaseStore through Poco::Data on an SQLite file, the
// embedded default, or on a PostgreSQL database named by a URL (StoreUrl;
// the name stays for now: the SQL is one text for both, with per-dialect
// words where they differ, SqliteSupport.h). Opening creates the file and
// its folder if needed (a PostgreSQL database must exist) and applies the
// schema migrations (Migrations.h). The journal is WAL with
// synchronous=FULL: a case or a queued message is on disk when a call
// returns, because a letter is not a cache. One connection, guarded by a
// mutex, so the store may be shared by the threads of `duly serve`.
// Throws InputError when the file cannot be opened or holds a newer schema;
// Poco::Data exceptions (std::exception) when SQLite itself fails.
#pragma once

#include "duly/engine/AuditStore.h"
#include "duly/engine/CaseStore.h"
#include "duly/engine/InstanceStore.h"
#include "duly/engine/MailLedger.h"
#include "duly/engine/PersonalDataStore.h"
#include "duly/engine/SignInStore.h"
#include "duly/store/StoreUrl.h"

#include <filesystem>
#include <memory>
#include <mutex>

namespace Poco::Data {
class Session;
}

namespace duly::store {

namespace detail {
class StatementCache;
}

class SqliteCaseStore : public engine::CaseStore,
                        public engine::MailLedger,
                        public engine::PersonalDataStore,
                        public engine::SignInStore,
                        public engine::AuditStore,
                        public engine::InstanceStore {
public:
    // A SQLite file, or a PostgreSQL URL (StoreUrl::parse) given as a path.
    explicit SqliteCaseStore(const std::filesystem::path& file);
    explicit SqliteCaseStore(const StoreUrl& location);
    ~SqliteCaseStore() override;

    void upsertOfficer(const engine::Officer& officer) override;
    std::optional<engine::Officer> officer(const std::string& id) const override;
    std::vector<engine::Officer> officers() const override;
    void upsertCustomer(const engine::Customer& customer) override;
    std::optional<engine::Customer> customer(const std::string& reference) const override;
    std::optional<engine::Customer> customerByEmail(const std::string& email) const override;
    std::size_t customerCount() const override;

    engine::Case createCase(engine::Case newCase, const std::string& referencePrefix) override;
    void updateCase(const engine::Case& changed, const std::vector<engine::CaseEvent>& newEvents) override;
    std::optional<engine::Case> findCase(const std::string& reference) const override;
    void setRepresentative(const std::string& reference, const std::optional<engine::Representative>& representative,
                           const engine::CaseEvent& event) override;
    engine::Remedy addRemedy(const std::string& reference, engine::Remedy remedy, const engine::CaseEvent& event) override;
    void setReferral(const std::string& reference, const engine::Referral& referral,
                     const engine::CaseEvent& event) override;
    std::vector<engine::Case> listCases(const engine::CaseFilter& filter) const override;
    std::vector<engine::Case> casesReceived(engine::Instant from, engine::Instant before) const override;
    std::vector<engine::DueAction> urgentDueActions(const std::optional<std::string>& officerId) const override;
    std::vector<engine::DueAction> dueActions(const std::optional<std::string>& officerId,
                                              std::optional<engine::Instant> overdueAt,
                                              std::size_t limit = 0) const override;  // same default as CaseStore
    std::size_t caseCount() const override;
    std::size_t openCaseCount(const std::string& officerId) const override;

    // MailLedger
    bool knownSource(const std::string& source) const override;
    std::optional<std::string> caseForSource(const std::string& source) const override;
    std::optional<SourceItem> itemForSource(const std::string& source) const override;
    std::optional<std::string> caseForSentMessage(const std::string& messageId) const override;
    std::optional<engine::MailboxProgress> progress(const std::string& mailbox) const override;
    void saveProgress(const std::string& mailbox, const engine::MailboxProgress& progress) override;
    std::int64_t quarantine(const engine::QuarantinedMessage& message) override;
    std::vector<engine::QuarantinedMessage> quarantined(std::size_t limit) const override;
    std::string reserveReference(const std::string& prefix, int year) override;
    engine::Case createCaseWithMessages(engine::Case newCase, const std::string& raw,
                                        const std::vector<engine::OutboundMessage>& messages) override;
    void addItem(const std::string& caseReference, const engine::Item& item, const std::string& raw,
                 const std::vector<engine::CaseEvent>& events) override;
    void updateCaseWithMessages(const engine::Case& changed, const std::vector<engine::CaseEvent>& events,
                                const std::vector<engine::OutboundMessage>& messages) override;
    std::vector<engine::OutboundMessage> dueForDelivery(engine::OutboundMessage::Route route, engine::Instant now,
                                                        std::size_t limit) const override;
    std::vector<engine::OutboundMessage> claimForDelivery(engine::OutboundMessage::Route route, engine::Instant now,
                                                          engine::Instant holdUntil, std::size_t limit) override;
    std::vector<engine::OutboundMessage> outbound(const std::string& caseReference) const override;
    bool queued(const std::string& caseReference, const std::string& documentKey) const override;
    void queueMessages(const std::vector<engine::OutboundMessage>& messages) override;
    void markDelivered(std::int64_t id, engine::Instant at, const std::string& result) override;
    void markRetry(std::int64_t id, engine::Instant nextAttempt, const std::string& result) override;
    void markFailed(std::int64_t id, engine::Instant at, const std::string& result) override;
    void markPrinted(std::int64_t id, engine::Instant at, const std::string& pdf, const std::string& result) override;
    std::size_t autoRepliesSince(const std::string& recipient, engine::Instant since) const override;
    std::size_t autoLettersSince(const std::string& customerRef, engine::Instant since) const override;
    std::optional<std::string> rawItem(std::int64_t itemId) const override;
    std::vector<engine::Attachment> attachments(std::int64_t itemId) const override;
    std::vector<FileInfo> attachmentList(std::int64_t itemId) const override;
    std::optional<std::size_t> rawItemSize(std::int64_t itemId) const override;
    // PersonalDataStore (SqlitePersonalData.cpp)
    std::vector<std::string> casesOfCustomer(const std::string& customerRef) const override;
    void correctCustomer(const engine::Customer& corrected, const std::vector<engine::CustomerChange>& changes) override;
    std::vector<engine::CustomerChange> customerChanges(const std::string& customerRef) const override;
    engine::Anonymised anonymise(const std::vector<std::string>& caseReferences, const std::string& customerRef,
                                 const engine::CaseEvent& note, bool rewrite = true) override;
    bool rewriteFile() override;
    std::vector<engine::Case> closedCasesNotAnonymised(engine::Instant closedBefore) const override;
    // SignInStore (SqliteSignIn.cpp)
    void createSession(const engine::SessionRecord& session) override;
    std::optional<engine::SessionRecord> findSession(const std::string& idHash) const override;
    void touchSession(const std::string& idHash, engine::Instant lastSeen) override;
    void clearSessionMustChange(const std::string& idHash) override;
    void destroySession(const std::string& idHash) override;
    std::size_t destroyUserSessions(const std::string& userId, const std::string& keepCredential) override;
    std::size_t pruneSessions(engine::Instant idleBefore, engine::Instant startedBefore,
                              std::size_t keepAtMost) override;
    std::size_t sessionCount() const override;
    engine::SignInCounts countSignInAttempt(const std::string& account, const std::string& address,
                                            engine::Instant now, engine::Instant since, int accountLimit) override;
    void takeBackSignInAttempt(const std::string& account, const std::string& address, bool wholeAccount) override;
    // AuditStore (SqliteAudit.cpp)
    void appendAudit(const engine::AuditRecord& record) override;
    std::vector<engine::AuditRecord> auditAbout(const std::set<std::string>& subjects) const override;
    std::vector<engine::AuditRecord> auditRecords(const engine::AuditQuery& query) const override;
    bool importAudit(const std::vector<engine::AuditRecord>& records, const engine::AuditRecord& marker) override;
    std::size_t removeAuditBefore(engine::Instant cutoff) override;
    // InstanceStore (SqliteInstances.cpp)
    void heartbeat(const engine::InstanceRecord& instance) override;
    std::vector<engine::InstanceRecord> instances() const override;
    std::size_t forgetInstancesSeenBefore(engine::Instant before) override;

    // How SQLite will run dueActions with these arguments: the detail
    // column of EXPLAIN QUERY PLAN, one line per step (tests check that each
    // branch uses its index and nothing is sorted).
    std::vector<std::string> dueActionsPlan(const std::optional<std::string>& officerId,
                                            std::optional<engine::Instant> overdueAt, std::size_t limit = 0) const;

    // The schema version the file is at (for `duly version` and tests).
    int schemaVersion() const;

    // The session, for adapters that keep their own tables in the same file
    // (mail progress, outbox). Lock mutex() while using it.
    // Whether the store answers now (StoreReconnect.cpp). On PostgreSQL a
    // connection the server dropped is opened again (libpq's PQreset, with
    // the session's settings) and a transaction a failure left open is
    // rolled back; on SQLite always true. Never throws: `problem` gets
    // libpq's words when it returns false.
    bool reachable(std::string& problem);
    Poco::Data::Session& session() const { return *_session; }
    std::recursive_mutex& mutex() const { return _mutex; }

    // A write batch (engine::MailLedger::beginBatch): one IMMEDIATE
    // transaction, holding the mutex, in which every write runs as a
    // savepoint; nested inside another batch it is a savepoint itself.
    // Flush::System commits with synchronous=NORMAL (in WAL mode: durable
    // against a crash of the process, not a power cut) and puts FULL back.
    std::unique_ptr<engine::WriteBatch> beginBatch(
        engine::WriteBatch::Flush flush = engine::WriteBatch::Flush::Disk) override;

private:
    // The constructor's PostgreSQL half: connects and migrates.
    void openPostgreSql(const StoreUrl& location);
    // Inside a transaction, with the mutex held.
    std::string nextReference(const std::string& prefix, long long year);
    // `raw`: the message as received, kept with the first item; null for a
    // case opened by hand.
    void insertCase(engine::Case& c, const std::string* raw);
    void updateCaseRow(const engine::Case& c, const std::vector<engine::CaseEvent>& events);
    // Adds the case's extensions and dates given that are not stored yet.
    void insertFacts(std::int64_t caseId, const engine::Case& c);
    void insertMessages(const std::vector<engine::OutboundMessage>& messages);
    void insertAttachments(std::int64_t itemId, const std::vector<engine::Attachment>& attachments);
    std::optional<engine::Case> findCaseUnlocked(const std::string& reference) const;
    // The case's id, or InputError naming the reference.
    std::int64_t caseId(const std::string& reference) const;
    // Fills the remedies and referrals of `cases`, the cases received in
    // from..before (two queries, not one per case).
    void loadRemedies(std::vector<engine::Case>& cases, engine::Instant from, engine::Instant before) const;

    std::unique_ptr<Poco::Data::Session> _session;
    // The statements prepared once: sqlite3_stmt on SQLite, named
    // statements on PostgreSQL (store/src/SqliteStatements.h).
    // Declared after _session so it is destroyed (finalized) first.
    std::unique_ptr<detail::StatementCache> _statements;
    // Recursive: a write batch holds it while the writes inside take it again.
    mutable std::recursive_mutex _mutex;
};

}  // namespace duly::store
