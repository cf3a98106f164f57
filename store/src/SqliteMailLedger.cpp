// SqliteCaseStore's MailLedger half: ingest ledger, mailbox progress,
// quarantine and the outbox, in the same SQLite file as the cases so that a
// case and what it decided to send are one transaction.
#include "duly/engine/InputError.h"
#include "duly/store/SqliteCaseStore.h"

#include "SqliteSupport.h"
#include "TextGuard.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <limits>
#include <mutex>
#include <stdexcept>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;
using namespace duly::engine;

namespace duly::engine {

std::string_view outboundStateName(OutboundMessage::State state) {
    switch (state) {
        case OutboundMessage::State::Queued: return "queued";
        case OutboundMessage::State::Delivered: return "delivered";
        case OutboundMessage::State::Failed: return "failed";
    }
    return "?";
}

}  // namespace duly::engine

namespace duly::store {
namespace {

using namespace detail;

const char* kOutboundColumns =
    "id, case_reference, document_key, route, message_key, recipient, bytes, state, attempts, queued_at,"
    " next_attempt_at, done_at, last_result";

template <typename Rs>
OutboundMessage outboundAt(const Rs& rs, std::size_t r) {
    OutboundMessage m;
    m.id = integer(rs, 0, r);
    m.caseReference = text(rs, 1, r);
    m.documentKey = text(rs, 2, r);
    m.route = text(rs, 3, r) == "post" ? OutboundMessage::Route::Post : OutboundMessage::Route::Email;
    m.messageKey = text(rs, 4, r);
    m.recipient = text(rs, 5, r);
    m.bytes = bytes(rs, 6, r);
    const std::string state = text(rs, 7, r);
    m.state = state == "delivered" ? OutboundMessage::State::Delivered
              : state == "failed"  ? OutboundMessage::State::Failed
                                   : OutboundMessage::State::Queued;
    m.attempts = static_cast<int>(integer(rs, 8, r));
    m.queuedAt = instant(integer(rs, 9, r));
    m.nextAttemptAt = instant(integer(rs, 10, r));
    if (!rs.isNull(11, r)) m.doneAt = instant(integer(rs, 11, r));
    m.lastResult = text(rs, 12, r);
    return m;
}

}  // namespace

namespace {

class SqliteWriteBatch : public WriteBatch {
public:
    // `cache`: the store's prepared statements (SQLite), or null.
    SqliteWriteBatch(Poco::Data::Session& session, StatementCache* cache, std::recursive_mutex& mutex, Flush flush)
        : _session(session), _cache(cache), _lock(mutex) {
        _nested = inOpenTransaction(_session);
        _postgres = postgres(_session);
        // A nested batch is made durable by the batch around it.
        _relaxed = flush == Flush::System && !_nested;
        if (_nested) {
            run("SAVEPOINT duly_batch");
        } else if (_postgres) {
            // PostgreSQL's counterpart of synchronous=NORMAL, for this
            // transaction only: a crash of the database server (not of
            // duly) may lose it, never half of it.
            run("BEGIN");
            if (_relaxed) run("SET LOCAL synchronous_commit = off");
            _relaxed = false;
        } else {
            // Not a kept statement: SQLite applies this PRAGMA when it
            // prepares it, so a re-used one would do nothing.
            if (_relaxed) _session << "PRAGMA synchronous = NORMAL", now;
            try {
                run("BEGIN IMMEDIATE");
            } catch (...) {
                restoreSynchronous();
                throw;
            }
        }
    }
    ~SqliteWriteBatch() override {
        rollback();
        restoreSynchronous();
    }
    void commit() override {
        if (_done) return;
        // After some errors (a full disk, an I/O error) SQLite rolls the
        // whole transaction back by itself; committing then would claim
        // writes that are gone.
        if (transactionLost(_session))
            throw StoreError(storeFile(_session) +
                             ": the store rolled back a batch of writes after an error; none of it was kept");
        try {
            run(_nested ? "RELEASE duly_batch" : "COMMIT");
        } catch (const Poco::Exception& e) {
            throw StoreError(storeFile(_session) + ": a batch of writes could not be made durable: " + e.displayText());
        } catch (const StoreError& e) {
            throw StoreError(std::string("a batch of writes could not be made durable: ") + e.what());
        }
        _done = true;
        restoreSynchronous();
        _lock.unlock();  // other threads may write again
    }

private:
    void restoreSynchronous() {
        if (!_relaxed) return;
        _relaxed = false;
        try {
            _session << "PRAGMA synchronous = FULL", now;
        } catch (...) {
        }
    }
    // The statements that start and end a batch are prepared once (SQLite;
    // never a PRAGMA, which SQLite applies when preparing it).
    void run(const std::string& text) { execute(_session, _cache, text); }
    void rollback() {
        if (_done || !inOpenTransaction(_session)) return;  // committed, or SQLite already rolled it back
        rollbackQuietly(_session, _nested ? "duly_batch" : "");
    }

    Poco::Data::Session& _session;
    StatementCache* _cache;
    std::unique_lock<std::recursive_mutex> _lock;
    bool _nested = false;
    bool _postgres = false;
    bool _relaxed = false;
    bool _done = false;
};

}  // namespace

std::unique_ptr<WriteBatch> SqliteCaseStore::beginBatch(WriteBatch::Flush flush) {
    return std::make_unique<SqliteWriteBatch>(*_session, _statements.get(), _mutex, flush);
}

bool SqliteCaseStore::knownSource(const std::string& source) const { return caseForSource(source).has_value(); }

std::optional<std::string> SqliteCaseStore::caseForSource(const std::string& source) const {
    std::lock_guard lock(_mutex);
    Rows rs = Query(*_session, _statements.get(),
                    "SELECT c.reference FROM items i JOIN cases c ON c.id = i.case_id WHERE i.source = ? LIMIT 1")
                  .bind(source)
                  .rows();
    if (rs.rowCount() == 0) return std::nullopt;
    return text(rs, 0, 0);
}

std::optional<MailLedger::SourceItem> SqliteCaseStore::itemForSource(const std::string& source) const {
    std::lock_guard lock(_mutex);
    Rows rs = Query(*_session, _statements.get(),
                    "SELECT c.reference, i.id, i.fingerprint FROM items i JOIN cases c ON c.id = i.case_id"
                    " WHERE i.source = ? ORDER BY i.id LIMIT 1")
                  .bind(source)
                  .rows();
    if (rs.rowCount() == 0) return std::nullopt;
    return SourceItem{text(rs, 0, 0), integer(rs, 1, 0), text(rs, 2, 0)};
}

std::optional<std::string> SqliteCaseStore::caseForSentMessage(const std::string& messageId) const {
    std::lock_guard lock(_mutex);
    Rows rs = Query(*_session, _statements.get(),
                    "SELECT case_reference FROM outbound WHERE message_key = ? AND route = 'email'"
                    " AND case_reference <> ''")
                  .bind(messageId)
                  .rows();
    if (rs.rowCount() == 0) return std::nullopt;
    return text(rs, 0, 0);
}

std::optional<MailboxProgress> SqliteCaseStore::progress(const std::string& mailbox) const {
    std::lock_guard lock(_mutex);
    Rows rs = Query(*_session, _statements.get(), "SELECT uid_validity, last_uid FROM mailbox_progress WHERE mailbox = ?")
                  .bind(mailbox)
                  .rows();
    if (rs.rowCount() == 0) return std::nullopt;
    return MailboxProgress{static_cast<std::uint32_t>(integer(rs, 0, 0)), static_cast<std::uint32_t>(integer(rs, 1, 0))};
}

void SqliteCaseStore::saveProgress(const std::string& mailbox, const MailboxProgress& p) {
    std::lock_guard lock(_mutex);
    Query(*_session, _statements.get(),
          "INSERT INTO mailbox_progress (mailbox, uid_validity, last_uid) VALUES (?, ?, ?)"
          " ON CONFLICT (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid")
        .bind(mailbox)
        .bind(Int{p.uidValidity})
        .bind(Int{p.lastUid})
        .run();
}

std::int64_t SqliteCaseStore::quarantine(const QuarantinedMessage& m) {
    std::lock_guard lock(_mutex);
    std::string mailbox = m.mailbox, key = m.messageKey, reason = m.reason, ref = m.caseReference;
    // Quarantine is where a message goes when nothing else could keep it:
    // a NUL in what names it is replaced (U+FFFD), never refused.
    for (auto* t : {&mailbox, &key, &reason, &ref})
        for (auto p = t->find('\0'); p != std::string::npos; p = t->find('\0', p)) t->replace(p, 1, "\xEF\xBF\xBD");
    Int received = seconds(m.received);
    Poco::Data::BLOB raw(reinterpret_cast<const unsigned char*>(m.raw.data()), m.raw.size());
    return inTransaction(*_session, [&] {
        *_session << sql(
            *_session,
            std::string("INSERT INTO quarantine (mailbox, message_key, received, reason, case_reference, raw)"
                        " VALUES (?, ?, ?, ?, ?, COALESCE(?, ") +
                emptyBytes(*_session) + ")) ON CONFLICT (message_key) DO NOTHING"),
            use(mailbox), use(key), use(received), use(reason), use(ref), use(raw), now;
        Int id = 0;
        *_session << sql(*_session, "SELECT id FROM quarantine WHERE message_key = ?"), use(key), into(id), now;
        return static_cast<std::int64_t>(id);
    }, "", _statements.get());
}

std::vector<QuarantinedMessage> SqliteCaseStore::quarantined(std::size_t limit) const {
    std::lock_guard lock(_mutex);
    Int max = limit ? static_cast<Int>(limit) : std::numeric_limits<Int>::max();
    Statement st(*_session);
    st << sql(*_session,
              "SELECT id, mailbox, message_key, received, reason, case_reference, raw FROM quarantine"
              " ORDER BY received DESC, id DESC LIMIT ?"),
        use(max), now;
    RecordSet rs(st);
    std::vector<QuarantinedMessage> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r)
        out.push_back({integer(rs, 0, r), text(rs, 1, r), text(rs, 2, r), instant(integer(rs, 3, r)), text(rs, 4, r),
                       text(rs, 5, r), bytes(rs, 6, r)});
    return out;
}

std::string SqliteCaseStore::reserveReference(const std::string& prefix, int year) {
    std::lock_guard lock(_mutex);
    return inTransaction(*_session, [&] { return nextReference(prefix, year); }, "", _statements.get());
}

void SqliteCaseStore::insertMessages(const std::vector<OutboundMessage>& messages) {
    const std::string insert = std::string("INSERT INTO outbound (case_reference, document_key, route, message_key,"
                                           " recipient, bytes, state, attempts, queued_at, next_attempt_at, done_at,"
                                           " last_result) VALUES (?, ?, ?, ?, ?, COALESCE(?, ") +
                               emptyBytes(*_session) + "), ?, ?, ?, ?, ?, ?) ON CONFLICT (message_key) DO NOTHING";
    for (const auto& m : messages) {
        // Poco binds an empty BLOB as NULL, hence the COALESCE: a refused
        // message has no bytes.
        Query(*_session, _statements.get(), insert)
            .bind(m.caseReference)
            .bind(m.documentKey)
            .bind(std::string(m.route == OutboundMessage::Route::Post ? "post" : "email"))
            .bind(m.messageKey)
            .bind(m.recipient)
            .bindBytes(m.bytes)
            .bind(std::string(outboundStateName(m.state)))
            .bind(m.attempts)
            .bind(seconds(m.queuedAt))
            .bind(seconds(m.nextAttemptAt))
            .bind(nullable(m.doneAt))
            .bind(m.lastResult)
            .run();
    }
}

Case SqliteCaseStore::createCaseWithMessages(Case c, const std::string& raw, const std::vector<OutboundMessage>& messages) {
    std::lock_guard lock(_mutex);
    // A caller's mistake, not bad input: Intake always reserves one first.
    if (c.reference.empty()) throw std::logic_error("createCaseWithMessages needs a reserved reference");
    return inTransaction(*_session, [&] {
        insertCase(c, &raw);
        insertMessages(messages);
        return c;
    }, "", _statements.get());
}

void SqliteCaseStore::addItem(const std::string& caseReference, const Item& item, const std::string& raw,
                              const std::vector<CaseEvent>& events) {
    std::lock_guard lock(_mutex);
    auto& s = *_session;
    inTransaction(s, [&] {
        const auto found =
            Query(s, _statements.get(), "SELECT id FROM cases WHERE reference = ?").bind(caseReference).single();
        if (!found) throw InputError("no case with reference \"" + caseReference + "\"");
        const Int caseId = *found;
        const Int itemId = Query(s, _statements.get(),
                                 "INSERT INTO items (case_id, channel, received, subject, body, source, sender,"
                                 " fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                               .bind(caseId)
                               .bind(std::string(channelName(item.channel)))
                               .bind(seconds(item.received))
                               .bind(item.subject)
                               .bind(item.body)
                               .bind(item.source)
                               .bind(item.from)
                               .bind(item.fingerprint)
                               .single()
                               .value_or(0);
        insertAttachments(itemId, item.attachments);
        // Kept even when empty: a message of no bytes is still what came.
        Query(s, _statements.get(),
              std::string("INSERT INTO raw_items (item_id, bytes) VALUES (?, COALESCE(?, ") + emptyBytes(s) + "))")
            .bind(itemId)
            .bindBytes(raw)
            .run();
        insertEvents(s, caseId, events, _statements.get());
    }, "", _statements.get());
}

void SqliteCaseStore::queueMessages(const std::vector<OutboundMessage>& messages) {
    std::lock_guard lock(_mutex);
    inTransaction(*_session, [&] { insertMessages(messages); }, "", _statements.get());
}

void SqliteCaseStore::updateCaseWithMessages(const Case& changed, const std::vector<CaseEvent>& events,
                                             const std::vector<OutboundMessage>& messages) {
    std::lock_guard lock(_mutex);
    inTransaction(*_session, [&] {
        updateCaseRow(changed, events);
        insertMessages(messages);
    }, "", _statements.get());
}

std::vector<OutboundMessage> SqliteCaseStore::dueForDelivery(OutboundMessage::Route route, Instant nowAt,
                                                             std::size_t limit) const {
    std::lock_guard lock(_mutex);
    std::string r = route == OutboundMessage::Route::Post ? "post" : "email";
    Int at = seconds(nowAt), max = limit ? static_cast<Int>(limit) : std::numeric_limits<Int>::max();
    Rows rs = Query(*_session, _statements.get(),
                    std::string("SELECT ") + kOutboundColumns +
                        " FROM outbound WHERE state = 'queued' AND route = ? AND next_attempt_at <= ? ORDER BY "
                        "next_attempt_at, id LIMIT ?")
                  .bind(r)
                  .bind(at)
                  .bind(max)
                  .rows();
    std::vector<OutboundMessage> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) out.push_back(outboundAt(rs, i));
    return out;
}

std::vector<OutboundMessage> SqliteCaseStore::claimForDelivery(OutboundMessage::Route route, Instant nowAt,
                                                              Instant holdUntil, std::size_t limit) {
    std::lock_guard lock(_mutex);
    // SQLite: BEGIN IMMEDIATE holds the one write lock, so no other process
    // reads the same due rows meanwhile. PostgreSQL: the due rows are locked
    // as they are read, and rows another instance has locked are skipped,
    // so two instances never claim the same message.
    return inTransaction(*_session, [&] {
        std::vector<OutboundMessage> due;
        if (postgres(*_session)) {
            std::string r = route == OutboundMessage::Route::Post ? "post" : "email";
            Int max = limit ? static_cast<Int>(limit) : std::numeric_limits<Int>::max();
            Rows rs = Query(*_session, _statements.get(),
                            std::string("SELECT ") + kOutboundColumns +
                                " FROM outbound WHERE state = 'queued' AND route = ? AND next_attempt_at <= ?"
                                " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED")
                          .bind(r)
                          .bind(seconds(nowAt))
                          .bind(max)
                          .rows();
            for (std::size_t i = 0; i < rs.rowCount(); ++i) due.push_back(outboundAt(rs, i));
        } else {
            due = dueForDelivery(route, nowAt, limit);
        }
        Int until = seconds(holdUntil);
        for (const auto& m : due)
            Query(*_session, _statements.get(), "UPDATE outbound SET next_attempt_at = ? WHERE id = ?")
                .bind(until)
                .bind(m.id)
                .run();
        return due;
    }, "", _statements.get());
}

std::vector<OutboundMessage> SqliteCaseStore::outbound(const std::string& caseReference) const {
    std::lock_guard lock(_mutex);
    Rows rs = Query(*_session, _statements.get(),
                    std::string("SELECT ") + kOutboundColumns + " FROM outbound WHERE case_reference = ? ORDER BY id")
                  .bind(caseReference)
                  .rows();
    std::vector<OutboundMessage> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) out.push_back(outboundAt(rs, i));
    return out;
}

bool SqliteCaseStore::queued(const std::string& caseReference, const std::string& documentKey) const {
    std::lock_guard lock(_mutex);
    return Query(*_session, _statements.get(),
                 "SELECT count(*) FROM (SELECT 1 FROM outbound WHERE case_reference = ? AND document_key = ? LIMIT 1)"
                 " AS found")
               .bind(caseReference)
               .bind(documentKey)
               .single()
               .value_or(0) > 0;
}

void SqliteCaseStore::markDelivered(std::int64_t id, Instant at, const std::string& result) {
    std::lock_guard lock(_mutex);
    Query(*_session, _statements.get(),
          "UPDATE outbound SET state = 'delivered', attempts = attempts + 1, done_at = ?, last_result = ? WHERE id = ?")
        .bind(seconds(at))
        .bind(result)
        .bind(id)
        .run();
}

void SqliteCaseStore::markRetry(std::int64_t id, Instant nextAttempt, const std::string& result) {
    std::lock_guard lock(_mutex);
    Query(*_session, _statements.get(),
          "UPDATE outbound SET attempts = attempts + 1, next_attempt_at = ?, last_result = ? WHERE id = ?")
        .bind(seconds(nextAttempt))
        .bind(result)
        .bind(Int{id})
        .run();
}

void SqliteCaseStore::markPrinted(std::int64_t id, Instant at, const std::string& pdf, const std::string& result) {
    std::lock_guard lock(_mutex);
    Query(*_session, _statements.get(),
          std::string("UPDATE outbound SET state = 'delivered', attempts = attempts + 1, done_at = ?, last_result = ?,"
                      " bytes = COALESCE(?, ") +
              emptyBytes(*_session) + ") WHERE id = ?")
        .bind(seconds(at))
        .bind(result)
        .bindBytes(pdf)
        .bind(id)
        .run();
}

void SqliteCaseStore::markFailed(std::int64_t id, Instant at, const std::string& result) {
    std::lock_guard lock(_mutex);
    Query(*_session, _statements.get(),
          "UPDATE outbound SET state = 'failed', attempts = attempts + 1, done_at = ?, last_result = ? WHERE id = ?")
        .bind(seconds(at))
        .bind(result)
        .bind(Int{id})
        .run();
}

std::size_t SqliteCaseStore::autoRepliesSince(const std::string& recipient, Instant since) const {
    std::lock_guard lock(_mutex);
    return static_cast<std::size_t>(Query(*_session, _statements.get(),
                                          "SELECT COUNT(*) FROM outbound WHERE lower(recipient) = lower(?)"
                                          " AND queued_at >= ? AND route = 'email' AND document_key NOT LIKE 'reply%'")
                                        .bind(recipient)
                                        .bind(seconds(since))
                                        .single()
                                        .value_or(0));
}

std::size_t SqliteCaseStore::autoLettersSince(const std::string& customerRef, Instant since) const {
    std::lock_guard lock(_mutex);
    return static_cast<std::size_t>(
        Query(*_session, _statements.get(),
              "SELECT COUNT(*) FROM outbound o JOIN cases c ON c.reference = o.case_reference WHERE c.customer_ref = ?"
              " AND o.queued_at >= ? AND o.route = 'post' AND o.document_key NOT LIKE 'reply%'")
            .bind(customerRef)
            .bind(seconds(since))
            .single()
            .value_or(0));
}

std::optional<std::string> SqliteCaseStore::rawItem(std::int64_t itemId) const {
    std::lock_guard lock(_mutex);
    Rows rs = Query(*_session, _statements.get(), "SELECT bytes FROM raw_items WHERE item_id = ?").bind(Int{itemId}).rows();
    if (rs.rowCount() == 0) return std::nullopt;
    return bytes(rs, 0, 0);
}

void SqliteCaseStore::insertAttachments(std::int64_t itemId, const std::vector<Attachment>& attachments) {
    if (attachments.empty()) return;
    const std::string insert =
        std::string("INSERT INTO attachments (item_id, position, name, content_type, bytes) VALUES (?, ?, ?, ?,"
                    " COALESCE(?, ") +
        emptyBytes(*_session) + "))";
    Int position = 0;
    for (const auto& a : attachments) {
        // An empty BLOB is bound as NULL: an empty file is stored as empty.
        Query(*_session, _statements.get(), insert)
            .bind(Int{itemId})
            .bind(position++)
            .bind(a.name)
            .bind(a.contentType)
            .bindBytes(a.bytes)
            .run();
    }
}

std::vector<Attachment> SqliteCaseStore::attachments(std::int64_t itemId) const {
    std::lock_guard lock(_mutex);
    Int key = itemId;
    Statement st(*_session);
    st << sql(*_session, "SELECT name, content_type, bytes FROM attachments WHERE item_id = ? ORDER BY position"),
        use(key), now;
    RecordSet rs(st);
    std::vector<Attachment> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) out.push_back({text(rs, 0, r), text(rs, 1, r), bytes(rs, 2, r)});
    return out;
}

std::vector<MailLedger::FileInfo> SqliteCaseStore::attachmentList(std::int64_t itemId) const {
    std::lock_guard lock(_mutex);
    Int key = itemId;
    Statement st(*_session);
    st << sql(*_session,
              "SELECT name, content_type, length(bytes) FROM attachments WHERE item_id = ? ORDER BY position"),
        use(key), now;
    RecordSet rs(st);
    std::vector<FileInfo> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r)
        out.push_back({text(rs, 0, r), text(rs, 1, r), static_cast<std::size_t>(integer(rs, 2, r))});
    return out;
}

std::optional<std::size_t> SqliteCaseStore::rawItemSize(std::int64_t itemId) const {
    std::lock_guard lock(_mutex);
    Int key = itemId;
    Statement st(*_session);
    st << sql(*_session, "SELECT length(bytes) FROM raw_items WHERE item_id = ?"), use(key), now;
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    return static_cast<std::size_t>(integer(rs, 0, 0));
}

}  // namespace duly::store
