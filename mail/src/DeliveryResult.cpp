// DeliveryResult: names of the outcomes, for logs and the dashboard.
#include "duly/mail/DeliveryResult.h"

namespace duly::mail {

const char* toString(DeliveryOutcome outcome) {
    switch (outcome) {
    case DeliveryOutcome::Delivered: return "delivered";
    case DeliveryOutcome::Transient: return "transient";
    case DeliveryOutcome::Permanent: return "permanent";
    }
    return "unknown";
}

}  // namespace duly::mail
