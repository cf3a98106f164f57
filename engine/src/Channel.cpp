// Channel and Kind names.
#include "duly/engine/Channel.h"

#include "duly/engine/InputError.h"

namespace duly::engine {

std::string_view channelName(Channel channel) {
    switch (channel) {
        case Channel::Letter: return "letter";
        case Channel::Email: return "email";
        case Channel::Web: return "web";
        case Channel::PhoneMessage: return "phone-message";
        case Channel::Text: return "text";
    }
    return "?";
}

std::string_view kindName(Kind kind) {
    switch (kind) {
        case Kind::Enquiry: return "enquiry";
        case Kind::ComplaintStage1: return "complaint-stage-1";
        case Kind::ComplaintStage2: return "complaint-stage-2";
        case Kind::InfoRequest: return "info-request";
        case Kind::VisitRequest: return "visit-request";
        case Kind::AppointmentRequest: return "appointment-request";
        case Kind::Comment: return "comment";
        case Kind::Compliment: return "compliment";
        case Kind::CallBack: return "call-back";
    }
    return "?";
}

std::optional<Channel> channelFromName(std::string_view name) {
    for (auto c : kAllChannels)
        if (channelName(c) == name) return c;
    return std::nullopt;
}

std::optional<Kind> kindFromName(std::string_view name) {
    for (auto k : kAllKinds)
        if (kindName(k) == name) return k;
    return std::nullopt;
}

std::string acceptedChannels() {
    std::string out;
    for (auto c : kAllChannels) out += (out.empty() ? "" : ", ") + std::string(channelName(c));
    return out;
}

std::string acceptedKinds() {
    std::string out;
    for (auto k : kAllKinds) out += (out.empty() ? "" : ", ") + std::string(kindName(k));
    return out;
}

Channel parseChannel(std::string_view name, std::string_view what) {
    if (auto c = channelFromName(name)) return *c;
    throw InputError("unknown " + std::string(what) + " \"" + std::string(name) + "\" (accepted: " +
                     acceptedChannels() + ")");
}

Kind parseKind(std::string_view name, std::string_view what) {
    if (auto k = kindFromName(name)) return *k;
    throw InputError("unknown " + std::string(what) + " \"" + std::string(name) + "\" (accepted: " +
                     acceptedKinds() + ")");
}

}  // namespace duly::engine
