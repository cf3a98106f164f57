// Charter files: the shipped charters load and say what the seeds promise;
// a charter with a mistake is refused with file, line, key and what was
// expected.
#include "duly/engine/CharterFile.h"
#include "duly/engine/InputError.h"

#include <gtest/gtest.h>

using namespace duly::engine;

namespace {

const std::filesystem::path kHome(DULY_SOURCE_HOME);

const char* kGood = R"(name = "test"
reference_prefix = "TST"

[organisation]
name = "Test Homes"

[calendar]
region = "england-and-wales"

[calendar.hours]
monday = "09:00-17:00"
tuesday = "09:00-17:00"
wednesday = "09:00-17:00"
thursday = "09:00-17:00"
friday = "09:00-16:30"

[[rule]]
channels = ["letter"]
kinds = ["enquiry"]
respond_within = 5
)";

std::string errorFor(const std::string& text) {
    try {
        parseCharter(text, "bad.toml", kHome / "config" / "calendars");
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto pos = text.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return text.replace(pos, from.size(), to);
}

}  // namespace

TEST(CharterFile, ShippedChartersLoad) {
    EXPECT_EQ(shippedCharters(kHome), (std::vector<std::string>{"example-scotland", "example-wales", "paragon",
                                                                "progress", "south-western"}));
    for (const auto& name : {"paragon", "progress", "south-western"}) {
        auto c = loadCharter(name, kHome);
        EXPECT_EQ(c.name, name);
        // Every charter carries the Complaint Handling Code.
        const auto* s1 = c.ruleFor(Channel::Web, Kind::ComplaintStage1);
        ASSERT_NE(s1, nullptr) << name;
        EXPECT_EQ(s1->acknowledgeWithin, 5);
        EXPECT_EQ(s1->respondWithin, 10);
        EXPECT_EQ(s1->maxExtension, 10);
        EXPECT_EQ(s1->respondFrom, RespondFrom::Acknowledgement);
        const auto* s2 = c.ruleFor(Channel::Letter, Kind::ComplaintStage2);
        ASSERT_NE(s2, nullptr) << name;
        EXPECT_EQ(s2->respondWithin, 20);
        EXPECT_EQ(s2->maxExtension, 20);
    }
}

TEST(CharterFile, SeedPromises) {
    auto progress = loadCharter("progress", kHome);
    EXPECT_EQ(progress.ruleFor(Channel::Letter, Kind::Enquiry)->respondWithin, 5);
    EXPECT_EQ(progress.ruleFor(Channel::Letter, Kind::Enquiry)->holdingReplyBefore, 1);
    EXPECT_FALSE(progress.ruleFor(Channel::Email, Kind::Enquiry)->acknowledgeWithin);
    EXPECT_EQ(progress.ruleFor(Channel::PhoneMessage, Kind::Enquiry)->respondWithin, 2);
    EXPECT_EQ(progress.calendar.hoursOn(parseDate("2026-11-27"))->closes, Minutes{16 * 60 + 45});  // Friday
    EXPECT_EQ(progress.calendar.hoursOn(parseDate("2026-11-26"))->closes, Minutes{17 * 60});       // Thursday

    auto paragon = loadCharter("paragon", kHome);
    for (auto ch : {Channel::Letter, Channel::Email, Channel::Text}) {
        EXPECT_EQ(paragon.ruleFor(ch, Kind::Enquiry)->acknowledgeWithin, 1);
        EXPECT_EQ(paragon.ruleFor(ch, Kind::Enquiry)->respondWithin, 5);
    }
    EXPECT_EQ(paragon.ruleFor(Channel::PhoneMessage, Kind::Enquiry)->respondWithin, 1);
    EXPECT_EQ(paragon.ruleFor(Channel::Web, Kind::VisitRequest)->acknowledgeWithin, 1);
    EXPECT_EQ(paragon.ruleFor(Channel::Web, Kind::Comment)->acknowledgeWithin, 5);
    EXPECT_FALSE(paragon.ruleFor(Channel::Web, Kind::Comment)->respondWithin);

    auto sw = loadCharter("south-western", kHome);
    EXPECT_EQ(sw.ruleFor(Channel::Letter, Kind::Enquiry)->acknowledgeWithin, 5);
    // "an acknowledgement or reply within five working days": the reply date
    // the acknowledgement states, with a holding reply when it will be later.
    EXPECT_EQ(sw.ruleFor(Channel::Letter, Kind::Enquiry)->respondWithin, 5);
    EXPECT_EQ(sw.ruleFor(Channel::Email, Kind::InfoRequest)->respondWithin, 3);
    // 4.2: answerphone messages taken "first thing in the morning",
    // "acknowledged and responded to within one working day".
    EXPECT_FALSE(sw.ruleFor(Channel::PhoneMessage, Kind::Enquiry)->acknowledgeWithin);
    EXPECT_TRUE(sw.ruleFor(Channel::PhoneMessage, Kind::Enquiry)->acknowledgeFirstThing);
    EXPECT_EQ(sw.ruleFor(Channel::PhoneMessage, Kind::Enquiry)->respondWithin, 1);
    EXPECT_EQ(sw.firstThingMinutes, 60);
    // 4.1: "called back … (within 24 hours)", whatever the channel; the call
    // is the response, so there is no acknowledgement.
    for (auto ch : {Channel::PhoneMessage, Channel::Email}) {
        const auto* callBack = sw.ruleFor(ch, Kind::CallBack);
        ASSERT_NE(callBack, nullptr);
        EXPECT_EQ(callBack->respondWithinHours, 24);
        EXPECT_FALSE(callBack->respondWithin);
        EXPECT_FALSE(callBack->promisesAcknowledgement());
        EXPECT_FALSE(callBack->holdingReplyBefore);
    }
    // Paragon, appendix 1: "Return Telephone Call — Same or next working day".
    const auto* paragonCallBack = paragon.ruleFor(Channel::PhoneMessage, Kind::CallBack);
    ASSERT_NE(paragonCallBack, nullptr);
    EXPECT_EQ(paragonCallBack->respondWithin, 1);
    EXPECT_FALSE(paragonCallBack->promisesAcknowledgement());
    // Progress's charter says nothing about returning calls: no promise.
    EXPECT_EQ(progress.ruleFor(Channel::PhoneMessage, Kind::CallBack), nullptr);
    // The examples "return calls within 2 working days".
    for (const auto* name : {"example-scotland", "example-wales"})
        EXPECT_EQ(loadCharter(name, kHome).ruleFor(Channel::PhoneMessage, Kind::CallBack)->respondWithin, 2) << name;
}

// Clocks in hours and "first thing next working day" (issue 13).
TEST(CharterFile, HourClocksAndFirstThingParse) {
    const std::string text = replaced(replaced(kGood, "respond_within = 5",
                                               "acknowledge = \"first-thing\"\nrespond_within_hours = 24\nmax_extension = 5"),
                                      "region = \"england-and-wales\"",
                                      "region = \"england-and-wales\"\nfirst_thing_minutes = 30");
    auto c = parseCharter(text, "good.toml", kHome / "config" / "calendars");
    EXPECT_EQ(c.firstThingMinutes, 30);
    const auto& rule = c.rules.at(0);
    EXPECT_TRUE(rule.acknowledgeFirstThing);
    EXPECT_FALSE(rule.acknowledgeWithin);
    EXPECT_FALSE(rule.acknowledgeWithinHours);
    EXPECT_EQ(rule.respondWithinHours, 24);
    EXPECT_FALSE(rule.respondWithin);
    EXPECT_FALSE(rule.respondFirstThing);
    EXPECT_EQ(rule.maxExtension, 5);
    EXPECT_TRUE(rule.promisesAcknowledgement());
    EXPECT_TRUE(rule.promisesResponse());

    auto plain = parseCharter(replaced(kGood, "respond_within = 5", "respond = \"first-thing\"\nacknowledge_within_hours = 720"),
                              "good.toml", kHome / "config" / "calendars");
    EXPECT_EQ(plain.firstThingMinutes, 60);  // the default
    EXPECT_TRUE(plain.rules.at(0).respondFirstThing);
    EXPECT_EQ(plain.rules.at(0).acknowledgeWithinHours, 720);
}

TEST(CharterFile, HourClockMistakesAreRefused) {
    const std::string good = kGood;
    const std::pair<std::string, std::string> mistakes[] = {
        {replaced(good, "respond_within = 5", "respond_within = 5\nrespond_within_hours = 24"),
         "bad.toml:21: rule[1].respond_within_hours: respond_within and respond_within_hours both promise the respond "
         "clock (expected one of respond_within, respond_within_hours or respond)"},
        {replaced(good, "respond_within = 5", "respond = \"first-thing\"\nrespond_within = 1"),
         "bad.toml:21: rule[1].respond_within: respond and respond_within both promise the respond clock (expected "
         "one of respond_within, respond_within_hours or respond)"},
        {replaced(good, "respond_within = 5", "acknowledge = \"first-thing\"\nacknowledge_within_hours = 4"),
         "bad.toml:21: rule[1].acknowledge_within_hours: acknowledge and acknowledge_within_hours both promise the acknowledge "
         "clock (expected one of acknowledge_within, acknowledge_within_hours or acknowledge)"},
        {replaced(good, "respond_within = 5", "respond_within_hours = 0"),
         "bad.toml:20: rule[1].respond_within_hours: expected a whole number of hours from 1 to 720, found 0"},
        {replaced(good, "respond_within = 5", "respond_within_hours = 721"),
         "bad.toml:20: rule[1].respond_within_hours: expected a whole number of hours from 1 to 720, found 721"},
        {replaced(good, "respond_within = 5", "acknowledge_within_hours = \"24\""),
         "bad.toml:20: rule[1].acknowledge_within_hours: expected a whole number of hours from 1 to 720, found \"24\""},
        {replaced(good, "respond_within = 5", "respond = \"first thing\""),
         "bad.toml:20: rule[1].respond: expected \"first-thing\" (first thing next working day), found \"first thing\""},
        {replaced(good, "respond_within = 5", "respond_within_hours = 24\nholding_reply_before = 1"),
         "bad.toml:21: rule[1].holding_reply_before: a holding reply goes working days before a response due in "
         "working days; this rule's response is due within hours (use respond_within, or leave holding_reply_before out)"},
        {replaced(good, "respond_within = 5", "respond = \"first-thing\"\nholding_reply_before = 1"),
         "bad.toml:21: rule[1].holding_reply_before: a holding reply goes working days before a response due in "
         "working days; this rule's response is due first thing next working day (use respond_within, or leave "
         "holding_reply_before out)"},
        {replaced(good, "region = \"england-and-wales\"", "region = \"england-and-wales\"\nfirst_thing_minutes = 300"),
         "bad.toml:9: calendar.first_thing_minutes: expected a whole number of minutes after opening from 0 to 240, "
         "found 300"},
    };
    for (const auto& [text, message] : mistakes) EXPECT_EQ(errorFor(text), message);
}

TEST(CharterFile, GoodTestCharterParses) {
    auto c = parseCharter(kGood, "good.toml", kHome / "config" / "calendars");
    EXPECT_EQ(c.referencePrefix, "TST");
    // Its own rule, then the Housing Ombudsman scheme's two complaint rules.
    EXPECT_EQ(c.rules.size(), 3u);
    EXPECT_EQ(c.rules[0].line, 17);
}

TEST(CharterFile, MistakesNameFileLineKeyAndExpectation) {
    const std::string good = kGood;
    struct Mistake {
        std::string text;
        std::string message;
    };
    const Mistake mistakes[] = {
        {replaced(good, "respond_within = 5", "respond_within = \"five\""),
         "bad.toml:20: rule[1].respond_within: expected a whole number of working days from 0 to 60, found \"five\""},
        {replaced(good, "respond_within = 5", "respond_within = -1"),
         "bad.toml:20: rule[1].respond_within: expected a whole number of working days from 0 to 60, found -1"},
        {replaced(good, "respond_within = 5", "respond_withn = 5"),
         "bad.toml:20: rule[1].respond_withn: unknown key (accepted: channels, kinds, acknowledge_within, "
         "respond_within, acknowledge_within_hours, respond_within_hours, acknowledge, respond, respond_from, holding_reply_before, holding_reply_extends, max_extension, clock_pauses_on_customer, source)"},
        {replaced(good, "kinds = [\"enquiry\"]", "kinds = [\"enquiries\"]"),
         "bad.toml:19: rule[1].kinds: expected kinds from enquiry, complaint-stage-1, complaint-stage-2, "
         "info-request, visit-request, appointment-request, comment, compliment, call-back, found \"enquiries\""},
        {replaced(good, "channels = [\"letter\"]", "channels = [\"fax\"]"),
         "bad.toml:18: rule[1].channels: expected \"any\" or channels from letter, email, web, phone-message, text, "
         "found \"fax\""},
        {replaced(good, "friday = \"09:00-16:30\"", "friday = \"9am-4.30pm\""),
         "bad.toml:15: calendar.hours.friday: expected opening and closing times as \"09:00-17:00\", found \"9am-4.30pm\""},
        {replaced(good, "friday = \"09:00-16:30\"", "friday = \"17:00-09:00\""),
         "bad.toml:15: calendar.hours.friday: expected a closing time after the opening time, found \"17:00-09:00\""},
        {replaced(good, "region = \"england-and-wales\"", "region = \"wales\""),
         "bad.toml:8: calendar.region: expected one of england-and-wales, scotland, northern-ireland, found \"wales\""},
        {replaced(good, "reference_prefix = \"TST\"", "reference_prefix = \"tst-1\""),
         "bad.toml:2: reference_prefix: expected 2 to 5 capital letters such as \"PHG\", found \"tst-1\""},
        {replaced(good, "respond_within = 5", "holding_reply_before = 1"),
         "bad.toml:17: rule[1]: expected acknowledge_within or respond_within (or their _hours forms, or acknowledge or respond = \"first-thing\"): a rule must promise something"},
        {replaced(good, "respond_within = 5", "respond_within = 5\nrespond_from = \"acknowledgment\""),
         "bad.toml:21: rule[1].respond_from: expected \"receipt\" or \"acknowledgement\", found \"acknowledgment\""},
        {replaced(good, "respond_within = 5", "respond_within = 5\nholding_reply_extends = 3"),
         "bad.toml:21: rule[1].holding_reply_extends: a new date for holding replies needs holding_reply_before"},
        {replaced(good, "[[rule]]", "[rule"), "bad.toml:17: Error while parsing table header: expected ']', saw '\\n'"},
    };
    for (const auto& m : mistakes) EXPECT_EQ(errorFor(m.text), m.message);
}

TEST(CharterFile, BrandsTakeWhatTheyLeaveOutFromTheGroup) {
    const std::string text = replaced(kGood, "name = \"Test Homes\"\n",
                                      "name = \"Test Homes\"\naddress = [\"1 High Street\", \"PR1 1AA\"]\n"
                                      "phone = \"01772 000000\"\nwebsite = \"www.test.example\"\n\n"
                                      "[brand.key]\nname = \"Key Homes\"\naddress = [\"2 Low Street\", \"PR2 2BB\"]\n"
                                      "website = \"www.key.example\"\n");
    auto c = parseCharter(text, "good.toml", kHome / "config" / "calendars");
    ASSERT_EQ(c.brands.size(), 1u);
    const auto& key = c.brands.at("key");
    EXPECT_EQ(key.name, "Key Homes");
    EXPECT_EQ(key.address, (std::vector<std::string>{"2 Low Street", "PR2 2BB"}));
    EXPECT_EQ(key.website, "www.key.example");
    EXPECT_EQ(key.phone, "01772 000000");  // the group's
    EXPECT_EQ(c.contact.name, "Test Homes");
    EXPECT_EQ(c.contact.website, "www.test.example");
}

TEST(CharterFile, BrandMistakesNameFileLineAndKey) {
    const std::string good = kGood;
    const std::pair<std::string, std::string> mistakes[] = {
        {good + "\n[brand.key]\nphone = \"01772 000000\"\n", "bad.toml:22: brand.key.name: missing (expected a text value)"},
        {good + "\n[brand.key]\nname = \"Key\"\nlogo = \"key.png\"\n",
         "bad.toml:24: brand.key.logo: unknown key (accepted: name, address, phone, email, website, opening_hours, team, team_phone, team_email)"},
        {good + "\n[brand.Key_Homes]\nname = \"Key\"\n",
         "bad.toml:22: brand.Key_Homes: a brand id is lower-case letters, digits and hyphens, such as \"key\""},
        {good + "\n[brand.test]\nname = \"Key\"\n",
         "bad.toml:22: brand.test: \"test\" is the charter's own name, which stands for [organisation]"},
        {replaced(good, "reference_prefix = \"TST\"", "reference_prefix = \"TST\"\nbrand = \"key\""),
         "bad.toml:3: brand: expected [brand.ID] tables, one per brand, found \"key\""},
    };
    for (const auto& [text, message] : mistakes) EXPECT_EQ(errorFor(text), message);
}

TEST(CharterFile, UnknownCharterListsTheShippedOnes) {
    try {
        loadCharter("prograss", kHome);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "unknown charter \"prograss\" (accepted: example-scotland, example-wales, paragon, progress, south-western, or a path "
                               "to a charter file)");
    }
}

// Schemes per nation (issue 14): the charter names its scheme; the
// ombudsman's details and the default complaint rules come from
// config/schemes/ID.toml, not from code.
TEST(CharterFile, EnglishChartersTakeTheHousingOmbudsmanByDefault) {
    for (const auto& name : {"paragon", "progress", "south-western"}) {
        auto c = loadCharter(name, kHome);
        EXPECT_EQ(c.scheme.id, "housing-ombudsman") << name;
        EXPECT_EQ(c.scheme.ombudsman.name, "Housing Ombudsman");
        EXPECT_EQ(c.scheme.ombudsman.phone, "0300 111 3000");
        EXPECT_EQ(c.scheme.ombudsman.website, "www.housing-ombudsman.org.uk");
        EXPECT_EQ(c.scheme.ombudsman.address, (std::vector<std::string>{"PO Box 152", "Liverpool", "L33 7WQ"}));
    }
    // A charter that writes no complaint rule takes the Code's from the scheme.
    auto c = parseCharter(kGood, "good.toml", kHome / "config" / "calendars");
    ASSERT_EQ(c.rules.size(), 3u);
    const auto* s1 = c.ruleFor(Channel::Email, Kind::ComplaintStage1);
    ASSERT_NE(s1, nullptr);
    EXPECT_EQ(s1->file, "config/schemes/housing-ombudsman.toml");
    EXPECT_EQ(s1->acknowledgeWithin, 5);
    EXPECT_EQ(s1->respondWithin, 10);
    EXPECT_EQ(s1->respondFrom, RespondFrom::Acknowledgement);
    EXPECT_EQ(s1->maxExtension, 10);
    const auto* s2 = c.ruleFor(Channel::Letter, Kind::ComplaintStage2);
    ASSERT_NE(s2, nullptr);
    EXPECT_EQ(s2->acknowledgeWithin, 5);
    EXPECT_EQ(s2->respondWithin, 20);
    EXPECT_EQ(s2->maxExtension, 20);
}

TEST(CharterFile, ScottishExampleFollowsTheSpsoModelProcedure) {
    auto c = loadCharter("example-scotland", kHome);
    EXPECT_EQ(c.scheme.id, "spso");
    EXPECT_EQ(c.scheme.nation, "Scotland");
    EXPECT_EQ(c.scheme.ombudsman.name, "Scottish Public Services Ombudsman");
    EXPECT_EQ(c.scheme.ombudsman.phone, "0800 377 7330");
    EXPECT_EQ(c.scheme.ombudsman.website, "www.spso.org.uk");
    const auto* s1 = c.ruleFor(Channel::Email, Kind::ComplaintStage1);
    ASSERT_NE(s1, nullptr);
    EXPECT_FALSE(s1->acknowledgeWithin);
    EXPECT_EQ(s1->respondWithin, 5);
    EXPECT_EQ(s1->respondFrom, RespondFrom::Receipt);
    EXPECT_EQ(s1->maxExtension, 5);  // 10 working days in total
    const auto* s2 = c.ruleFor(Channel::Letter, Kind::ComplaintStage2);
    ASSERT_NE(s2, nullptr);
    EXPECT_EQ(s2->acknowledgeWithin, 3);
    EXPECT_EQ(s2->respondWithin, 20);
    // St Andrew's Day 2026 is Monday 30 November: not a working day.
    EXPECT_FALSE(c.calendar.isWorkingDay(parseDate("2026-11-30")));
    EXPECT_TRUE(c.calendar.isWorkingDay(parseDate("2026-12-01")));
}

TEST(CharterFile, WelshExampleNamesTheOmbudsmanForWales) {
    auto c = loadCharter("example-wales", kHome);
    EXPECT_EQ(c.scheme.id, "psow");
    EXPECT_EQ(c.scheme.ombudsman.name, "Public Services Ombudsman for Wales");
    EXPECT_EQ(c.scheme.ombudsman.website, "www.ombudsman.wales");
    EXPECT_EQ(c.ruleFor(Channel::Web, Kind::ComplaintStage1)->respondWithin, 10);
    EXPECT_EQ(c.ruleFor(Channel::Web, Kind::ComplaintStage2)->acknowledgeWithin, 5);
    // England and Wales calendar: St Andrew's Day is a working day.
    EXPECT_TRUE(c.calendar.isWorkingDay(parseDate("2026-11-30")));
}

TEST(CharterFile, EverySchemeFileNamesItsOmbudsmanInFull) {
    for (const auto& id : {"housing-ombudsman", "spso", "psow", "nipso"}) {
        auto text = replaced(kGood, "[[rule]]", std::string("[complaints]\nscheme = \"") + id + "\"\n\n[[rule]]");
        auto c = parseCharter(text, "good.toml", kHome / "config" / "calendars");
        EXPECT_EQ(c.scheme.id, id);
        EXPECT_FALSE(c.scheme.ombudsman.name.empty()) << id;
        EXPECT_FALSE(c.scheme.ombudsman.phone.empty()) << id;
        EXPECT_FALSE(c.scheme.ombudsman.website.empty()) << id;
        EXPECT_GE(c.scheme.ombudsman.address.size(), 2u) << id;
        EXPECT_NE(c.ruleFor(Channel::Email, Kind::ComplaintStage1), nullptr) << id;
        EXPECT_NE(c.ruleFor(Channel::Email, Kind::ComplaintStage2), nullptr) << id;
    }
}

TEST(CharterFile, SchemeMistakesAreRefused) {
    EXPECT_EQ(errorFor(replaced(kGood, "[[rule]]", "[complaints]\nscheme = \"ombudsman\"\n\n[[rule]]")),
              "bad.toml:18: complaints.scheme: expected one of housing-ombudsman, spso, psow, nipso, found \"ombudsman\"");
    EXPECT_EQ(errorFor(replaced(kGood, "[[rule]]", "[complaints]\nshceme = \"spso\"\n\n[[rule]]")),
              "bad.toml:18: complaints.shceme: unknown key (accepted: scheme, stage2_role, homes)");
    EXPECT_EQ(errorFor(replaced(kGood, "[[rule]]", "[complaints]\nhomes = \"many\"\n\n[[rule]]")),
              "bad.toml:18: complaints.homes: expected the number of homes managed, a whole number from 1 to 10000000, found \"many\"");
    EXPECT_EQ(errorFor(replaced(kGood, "[[rule]]", "[complaints]\nhomes = 0\n\n[[rule]]")),
              "bad.toml:18: complaints.homes: expected the number of homes managed, a whole number from 1 to 10000000, found 0");
    EXPECT_EQ(parseCharter(replaced(kGood, "[[rule]]", "[complaints]\nhomes = 12500\n\n[[rule]]"), "good.toml",
                           kHome / "config" / "calendars").homes, 12500);
    EXPECT_FALSE(parseCharter(kGood, "good.toml", kHome / "config" / "calendars").homes);
    EXPECT_EQ(errorFor(replaced(kGood, "[[rule]]", "[complaints]\nstage2_role = \"boss\"\n\n[[rule]]")),
              "bad.toml:18: complaints.stage2_role: expected one of manager, officer, administrator, found \"boss\"");
    EXPECT_EQ(parseCharter(kGood, "good.toml", kHome / "config" / "calendars").scheme.stage2Role, "manager");
    std::vector<CharterRule> rules;
    auto schemeError = [&](const std::string& text) {
        try {
            parseScheme(text, "s.toml", rules);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string good = "id = \"x\"\ntitle = \"X\"\nnation = \"England\"\n[ombudsman]\nname = \"X Ombudsman\"\n"
                             "phone = \"0300 000 0000\"\nwebsite = \"www.x.example\"\naddress = [\"1 Road\", \"X1 1XX\"]\n";
    EXPECT_EQ(schemeError(good), "no error");
    EXPECT_EQ(schemeError(replaced(good, "phone = \"0300 000 0000\"", "phone = \"\"")),
              "s.toml:6: ombudsman.phone: expected a value, found \"\"");
    EXPECT_EQ(schemeError(replaced(good, "website = \"www.x.example\"\n", "")),
              "s.toml:4: ombudsman.website: missing (expected a text value)");
    EXPECT_EQ(schemeError(good + "[[rule]]\nkinds = [\"enquiry\"]\nrespond_within = 5\n"),
              "s.toml:9: rule.kinds: a scheme's rules are for complaint kinds only, found enquiry");
}
