// Organisation: the landlord whose name, address and contact details head
// every letter. Plain data; where it is kept (config, store) is the app's
// business.
#pragma once

#include <string>
#include <vector>

namespace duly::engine {

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
    bool operator==(const Organisation&) const = default;
};

}  // namespace duly::engine
