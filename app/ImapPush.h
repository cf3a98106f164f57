// ImapPush: push delivery for `duly serve`. One thread per IMAP mailbox
// keeps IDLE open (or, where the server lacks IDLE, waits poll_seconds) and
// wakes the serve loop with SIGUSR1 when mail may have arrived; the serve
// loop then takes the mail in on its own thread (flow/MailboxSource, wired
// in MailService), so the store is only ever used from one thread. A lost
// connection or refused login is reported through takeMessages() and
// retried with backoff (1, 2, 4 … 60 seconds). It owns its threads and stops them when destroyed.
#pragma once

#include "Config.h"

#include "duly/mail/ImapWatcher.h"

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace duly::app {

class ImapPush {
public:
    // Starts a thread for each IMAP mailbox in `mailboxes`. The caller must
    // block SIGUSR1 in every thread (the serve loop waits for it with sigtimedwait).
    explicit ImapPush(const std::vector<MailboxConfig>& mailboxes);
    ~ImapPush();
    ImapPush(const ImapPush&) = delete;
    ImapPush& operator=(const ImapPush&) = delete;

    // Lines to log (connection failures and recoveries), oldest first; clears them.
    std::vector<std::string> takeMessages();

private:
    void run(const MailboxConfig& mailbox);
    void say(const std::string& line);

    std::atomic<bool> _stop{false};
    std::mutex _mutex;
    std::vector<std::string> _messages;
    std::vector<std::thread> _threads;
};

}  // namespace duly::app
