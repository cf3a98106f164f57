// Organisation: the landlord whose name, address and contact details head
// every letter. Plain data; where it is kept (config, store) is the app's
// business.
#pragma once

#include <string>
#include <vector>

namespace duly::engine {

// The ombudsman a customer may go to when the landlord's complaints
// procedure is finished (from the charter's complaints scheme), as every
// complaint extension notice, stage 2 letter and refusal to escalate names
// them.
struct OmbudsmanContact {
    std::string name;                  // "Housing Ombudsman"
    std::string phone;
    std::string website;
    std::vector<std::string> address;  // lines, postcode last
    bool operator==(const OmbudsmanContact&) const = default;
};

struct Organisation {
    std::string id;                         // "progress"
    std::string name;                       // "Progress Housing Group"
    std::vector<std::string> addressLines;  // printed one per line, postcode last
    std::string phone;
    std::string email;
    std::string website;
    std::string openingHours;               // "Monday to Friday, 9am to 5pm"
    // Who signs a case no officer has yet, and how to reach them: "the
    // Customer Services team". Empty phone or email: the organisation's.
    std::string team = "Customer Services";
    std::string teamPhone;
    std::string teamEmail;
    OmbudsmanContact ombudsman{};           // of the charter's complaints scheme
    bool operator==(const Organisation&) const = default;
};

}  // namespace duly::engine
