// Words for the dashboard's pages shared by its files (web/src only): how
// a case's kind and channel read to an officer, a refusal as a sentence,
// and the form field every POST carries.
#pragma once

#include "duly/engine/Channel.h"
#include "duly/web/Dashboard.h"
#include "duly/web/Html.h"

#include <cctype>
#include <string>

namespace duly::web {

inline std::string kindWords(engine::Kind k) {
    switch (k) {
    case engine::Kind::Enquiry: return "Enquiry";
    case engine::Kind::ComplaintStage1: return "Complaint, stage 1";
    case engine::Kind::ComplaintStage2: return "Complaint, stage 2";
    case engine::Kind::InfoRequest: return "Request for information";
    case engine::Kind::VisitRequest: return "Request for a visit";
    case engine::Kind::AppointmentRequest: return "Request for an appointment";
    case engine::Kind::Comment: return "Comment";
    case engine::Kind::Compliment: return "Compliment";
    case engine::Kind::CallBack: return "Call-back request";
    }
    return "";
}

inline std::string channelWords(engine::Channel c) {
    switch (c) {
    case engine::Channel::Letter: return "Letter";
    case engine::Channel::Email: return "Email";
    case engine::Channel::Web: return "Web form";
    case engine::Channel::PhoneMessage: return "Phone message";
    case engine::Channel::Text: return "Text message";
    }
    return "";
}

// `text` with its first letter a capital ("call back …" → "Call back …").
inline std::string capitalised(std::string text) {
    if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return text;
}

// A refusal's message as a sentence for the page: a capital, a full stop.
inline std::string asSentence(std::string text) {
    text = capitalised(std::move(text));
    if (!text.empty() && text.back() != '.') text += '.';
    return text;
}

// The hidden CSRF field of every form that POSTs.
inline std::string csrfField(const Viewer& v) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(v.session.csrf) + "\">";
}

}  // namespace duly::web
