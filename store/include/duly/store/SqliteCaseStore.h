// SqliteCaseStore: the CaseStore on an SQLite file through Poco::Data, the
// embedded default. Opening creates the file and its folder if needed and
// applies the schema migrations (Migrations.h). The journal is WAL with
// synchronous=FULL: a case or a queued message is on disk when a call
// returns, because a letter is not a cache. One connection, guarded by a
// mutex, so the store may be shared by the threads of `duly serve`.
// Throws InputError when the file cannot be opened or holds a newer schema;
// Poco::Data exceptions (std::exception) when SQLite itself fails.
#pragma once

#include "duly/engine/CaseStore.h"

#include <filesystem>
#include <memory>
#include <mutex>

namespace Poco::Data {
class Session;
}

namespace duly::store {

class SqliteCaseStore : public engine::CaseStore {
public:
    explicit SqliteCaseStore(const std::filesystem::path& file);
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
    std::vector<engine::Case> listCases(const engine::CaseFilter& filter) const override;
    std::vector<engine::DueAction> dueActions(const std::optional<std::string>& officerId,
                                              std::optional<engine::Instant> overdueAt,
                                              std::size_t limit = 0) const override;  // same default as CaseStore
    std::size_t caseCount() const override;

    // How SQLite will run dueActions with these arguments: the detail
    // column of EXPLAIN QUERY PLAN, one line per step (tests check that each
    // branch uses its index and nothing is sorted).
    std::vector<std::string> dueActionsPlan(const std::optional<std::string>& officerId,
                                            std::optional<engine::Instant> overdueAt, std::size_t limit = 0) const;

    // The schema version the file is at (for `duly version` and tests).
    int schemaVersion() const;

    // The session, for adapters that keep their own tables in the same file
    // (mail progress, outbox). Lock mutex() while using it.
    Poco::Data::Session& session() const { return *_session; }
    std::mutex& mutex() const { return _mutex; }

private:
    std::optional<engine::Case> findCaseUnlocked(const std::string& reference) const;

    std::unique_ptr<Poco::Data::Session> _session;
    mutable std::mutex _mutex;
};

}  // namespace duly::store
