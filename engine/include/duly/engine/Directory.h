// Officers and customers: the people cases are about and the people who
// answer them. Imported from CSV (DirectoryImport.h) and kept in the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace duly::engine {

enum class Role { Officer, Manager, Administrator };
std::string_view roleName(Role role);  // "officer", "manager", "administrator"
std::optional<Role> roleFromName(std::string_view name);

struct Officer {
    std::string id;        // "jsmith"
    std::string name;      // "Jane Smith"
    std::string position;  // "Customer Services Officer"
    std::string email;
    std::string phone;
    std::string team;      // "customer-services"
    std::string managerId; // empty: none
    Role role = Role::Officer;
    bool operator==(const Officer&) const = default;
};

enum class PreferredChannel { Email, Post, Phone };
std::string_view preferredChannelName(PreferredChannel channel);  // "email", "post", "phone"
std::optional<PreferredChannel> preferredChannelFromName(std::string_view name);

// Formats a customer can ask for besides standard print. The customers CSV
// also accepts "standard", which adds nothing to this list.
inline constexpr const char* kKnownFormats[] = {"large-print", "braille", "audio", "easy-read"};

struct Customer {
    std::string reference;  // "C10001"
    std::string name;
    std::string salutation; // "Dear Mrs Khan"
    std::string email;
    std::string phone;
    std::string addressLine1;
    std::string addressLine2;
    std::string addressLine3;
    std::string town;
    std::string postcode;
    std::string language = "en-GB";  // BCP 47
    std::vector<std::string> formats;
    PreferredChannel preferredChannel = PreferredChannel::Email;
    bool languageConfirmed = true;  // false while guessed from a message's script
    std::string brand;  // the group's brand that is their landlord ("key"); empty: none chosen
    bool operator==(const Customer&) const = default;
};

}  // namespace duly::engine
