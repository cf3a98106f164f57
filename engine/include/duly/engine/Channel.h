// Channel and Kind: how an item reached the organisation and what it is
// about. The names are the words used in charter files, on the command line
// and in the store.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace duly::engine {

enum class Channel { Letter, Email, Web, PhoneMessage, Text };

enum class Kind {
    Enquiry,
    ComplaintStage1,
    ComplaintStage2,
    InfoRequest,
    VisitRequest,
    AppointmentRequest,
    Comment,
    Compliment,
    // A customer asked to be called back; the response is the call itself.
    CallBack,
};

inline constexpr std::array<Channel, 5> kAllChannels = {
    Channel::Letter, Channel::Email, Channel::Web, Channel::PhoneMessage, Channel::Text};

inline constexpr std::array<Kind, 9> kAllKinds = {
    Kind::Enquiry,      Kind::ComplaintStage1,    Kind::ComplaintStage2, Kind::InfoRequest,
    Kind::VisitRequest, Kind::AppointmentRequest, Kind::Comment,         Kind::Compliment,
    Kind::CallBack};

// "letter", "email", "web", "phone-message", "text".
std::string_view channelName(Channel channel);
// "enquiry", "complaint-stage-1", … "compliment", "call-back".
std::string_view kindName(Kind kind);

std::optional<Channel> channelFromName(std::string_view name);
std::optional<Kind> kindFromName(std::string_view name);

// Like the above, but throw InputError naming `what`, the bad value and the
// accepted ones.
Channel parseChannel(std::string_view name, std::string_view what = "channel");
Kind parseKind(std::string_view name, std::string_view what = "kind");

// "letter, email, web, phone-message, text"
std::string acceptedChannels();
std::string acceptedKinds();

inline bool isComplaint(Kind kind) {
    return kind == Kind::ComplaintStage1 || kind == Kind::ComplaintStage2;
}

}  // namespace duly::engine
