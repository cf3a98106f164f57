// InstanceStore: the instances of `duly serve` that share a store, as each
// last said of itself: its name (`duly serve --instance`), machine, process,
// when it started and when it was last seen, and the work locks it holds
// (WorkLocks). Each instance writes its own row at every poll (a
// heartbeat); the dashboard's status page reads them all, so a manager sees
// which instances are alive and which reads each mailbox. Implemented by
// duly::store next to the cases (table instances). Throws
// std::runtime_error (StoreError) when the store fails.
#pragma once

#include "duly/engine/Time.h"

#include <string>
#include <vector>

namespace duly::engine {

struct InstanceRecord {
    std::string name;
    std::string host;
    long long pid = 0;
    Instant started{};
    Instant lastSeen{};
    std::vector<std::string> holds;  // lock names, e.g. "mailbox:complaints", "tick"
};

class InstanceStore {
public:
    virtual ~InstanceStore() = default;

    // Writes the instance's row (inserted, or replaced whole: a restarted
    // instance under the same name takes over its row).
    virtual void heartbeat(const InstanceRecord& instance) = 0;

    // Every instance ever seen, most recently seen first.
    virtual std::vector<InstanceRecord> instances() const = 0;

    // Forgets instances last seen before `before`; returns how many.
    virtual std::size_t forgetInstancesSeenBefore(Instant before) = 0;
};

}  // namespace duly::engine
