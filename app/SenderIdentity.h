// The config file's [mail] identity as the pipeline's Dispatch step takes
// it: who Duly's mail comes from and the domain of its Message-IDs.
#pragma once

#include "Config.h"

#include "duly/flow/Dispatch.h"

namespace duly::app {

inline flow::SenderIdentity senderIdentity(const MailIdentity& mail) {
    return {mail.fromName, mail.fromAddress, mail.domain};
}

}  // namespace duly::app
