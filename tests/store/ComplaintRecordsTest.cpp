// CaseService's rules for a case's representative, remedies and referral to
// the ombudsman, against a real store: what is refused (word for word, as the
// officer reads it) and what is kept, with the history saying who did it.
#include "duly/engine/CaseService.h"
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"
#include "../support/TestStore.h"

#include "TempDir.h"

#include <gtest/gtest.h>

using namespace duly::engine;
using duly::store::SqliteCaseStore;
using duly::testsupport::storeAt;
using duly::store::test::TempDir;

namespace {

Instant at(const char* t) { return parseRfc3339(t); }

struct ComplaintRecords : ::testing::Test {
    TempDir dir;
    SqliteCaseStore store{storeAt(dir / "duly.db")};
    CharterBook charters{DULY_SOURCE_HOME};
    CaseService service{store, charters};
    std::string ref;
    const Instant now = at("2026-11-25T10:00:00Z");

    void SetUp() override {
        store.upsertOfficer(Officer{"sali", "Sara Ali", "Complaints Officer", "sali@example.org", "", "complaints", "",
                                    Role::Officer});
        Customer tom;
        tom.reference = "C10004";
        tom.name = "Mr Tom Fairclough";
        tom.email = "tom.fairclough@example.org";
        store.upsertCustomer(tom);
        OpenCaseRequest r;
        r.charter = "progress";
        r.channel = Channel::Email;
        r.kind = Kind::ComplaintStage1;
        r.received = at("2026-11-23T10:00:00Z");
        r.customerRef = "C10004";
        r.officerId = "sali";
        r.subject = "Back door";
        ref = service.open(r).reference;
    }

    Representative mp() const {
        Representative r;
        r.kind = RepresentativeKind::Mp;
        r.name = "Ms Priya Patel MP";
        r.email = "priya.patel@parliament.example.org";
        r.consentAt = at("2026-11-24T15:00:00Z");
        r.consentHow = "signed form";
        return r;
    }

    std::string refusal(const std::function<void()>& f) {
        try {
            f();
        } catch (const InputError& e) {
            return e.what();
        }
        return "(accepted)";
    }
};

}  // namespace

TEST_F(ComplaintRecords, ARepresentativeWithoutConsentIsRefused) {
    const std::string noConsent =
        "a representative needs the customer's consent: record when it was given and how (a signed form, a phone call, "
        "an email)";
    Representative r = mp();
    r.consentHow = "";
    EXPECT_EQ(refusal([&] { service.setRepresentative(ref, r, now, "sali"); }), noConsent);
    r = mp();
    r.consentAt = Instant{};
    EXPECT_EQ(refusal([&] { service.setRepresentative(ref, r, now, "sali"); }), noConsent);
    r = mp();
    r.consentAt = at("2026-11-26T10:00:00Z");
    EXPECT_EQ(refusal([&] { service.setRepresentative(ref, r, now, "sali"); }),
              "the consent is dated after now (2026-11-26T10:00:00+00:00)");
    r = mp();
    r.email = "";
    EXPECT_EQ(refusal([&] { service.setRepresentative(ref, r, now, "sali"); }),
              "the representative needs an email address or a postal address for their letters");
    r.email = "not an address";
    EXPECT_EQ(refusal([&] { service.setRepresentative(ref, r, now, "sali"); }),
              "the representative's email address \"not an address\" is not an address such as name@example.org");
    r = mp();
    r.name = "  ";
    EXPECT_EQ(refusal([&] { service.setRepresentative(ref, r, now, "sali"); }), "the representative's name is required");
    EXPECT_FALSE(store.findCase(ref)->representative);
    EXPECT_EQ(refusal([&] { service.removeRepresentative(ref, "", now, "sali"); }),
              "case " + ref + " has no representative to remove");
}

TEST_F(ComplaintRecords, ARepresentativeIsKeptWithWhoAddedAndRemovedThem) {
    Representative r = mp();
    r.sendTo = SendTo::RepresentativeOnly;
    service.setRepresentative(ref, r, now, "sali");
    Case c = *store.findCase(ref);
    ASSERT_TRUE(c.representative);
    EXPECT_EQ(c.representative->sendTo, SendTo::RepresentativeOnly);
    EXPECT_EQ(c.representative->addedBy, "sali");
    EXPECT_EQ(c.events.back().type, EventType::Representative);
    EXPECT_EQ(c.events.back().actor, "sali");
    EXPECT_EQ(c.events.back().detail,
              "representative added: Ms Priya Patel MP (mp); consent 2026-11-24 by signed form; letters to them only");
    service.removeRepresentative(ref, "the customer withdrew consent", now + std::chrono::hours{1}, "rhughes");
    c = *store.findCase(ref);
    EXPECT_FALSE(c.representative);
    EXPECT_EQ(c.events.back().actor, "rhughes");
    EXPECT_EQ(c.events.back().detail,
              "representative removed: Ms Priya Patel MP (mp); the customer withdrew consent");
}

TEST_F(ComplaintRecords, RemediesNeedWhatTheirKindNeeds) {
    auto add = [&](RemedyKind kind, std::string detail, std::optional<Date> by, std::int64_t pence) {
        return refusal([&] { service.addRemedy(ref, Remedy{0, kind, std::move(detail), by, pence, "", {}}, now, "sali"); });
    };
    const Date friday = parseDate("2026-12-18");
    EXPECT_EQ(add(RemedyKind::Action, "", friday, 0), "what was promised (the action) is required");
    EXPECT_EQ(add(RemedyKind::Action, "replace the door", std::nullopt, 0), "an action needs the date it is promised by");
    EXPECT_EQ(add(RemedyKind::Goodwill, "wasted journey", std::nullopt, 0), "a goodwill payment needs an amount of more than £0.00");
    EXPECT_EQ(add(RemedyKind::Compensation, "", std::nullopt, 5000), "the reason for the compensation payment is required");
    EXPECT_EQ(add(RemedyKind::Apology, "", std::nullopt, 5000), "only a goodwill payment or compensation has an amount");
    EXPECT_EQ(add(RemedyKind::Apology, "", friday, 0), "only an action has a date it is promised by");
    EXPECT_TRUE(store.findCase(ref)->remedies.empty());

    EXPECT_EQ(add(RemedyKind::Apology, "", std::nullopt, 0), "(accepted)");
    EXPECT_EQ(add(RemedyKind::Action, "replace the back door", friday, 0), "(accepted)");
    EXPECT_EQ(add(RemedyKind::Compensation, "three weeks without a working door", std::nullopt, 12550), "(accepted)");
    const Case c = *store.findCase(ref);
    ASSERT_EQ(c.remedies.size(), 3u);
    EXPECT_EQ(c.remedies[1].dueBy, friday);
    EXPECT_EQ(c.remedies[2].amountPence, 12550);
    EXPECT_EQ(c.events.back().detail, "compensation £125.50: three weeks without a working door");
}

TEST_F(ComplaintRecords, AReferralThenItsOutcome) {
    EXPECT_EQ(refusal([&] { service.recordReferral(ref, std::nullopt, "upheld", now, now, "sali"); }),
              "case " + ref + " has not been referred to the ombudsman: give the date it was referred first");
    EXPECT_EQ(refusal([&] { service.recordReferral(ref, at("2026-11-20T10:00:00Z"), "", std::nullopt, now, "sali"); }),
              "the referral is dated before the case was received");
    EXPECT_EQ(refusal([&] { service.recordReferral(ref, at("2026-11-26T10:00:00Z"), "", std::nullopt, now, "sali"); }),
              "the referral is dated after now");
    service.recordReferral(ref, at("2026-11-24T00:00:00Z"), "", std::nullopt, now, "sali");
    EXPECT_EQ(store.findCase(ref)->events.back().detail, "referred to the ombudsman on 2026-11-24");
    EXPECT_EQ(refusal([&] { service.recordReferral(ref, std::nullopt, "guilty", now, now, "sali"); }).substr(0, 37),
              "unknown outcome \"guilty\" (expected on");
    EXPECT_EQ(refusal([&] { service.recordReferral(ref, std::nullopt, "upheld", std::nullopt, now, "sali"); }),
              "the outcome needs the date the ombudsman decided");
    EXPECT_EQ(refusal([&] { service.recordReferral(ref, std::nullopt, "upheld", at("2026-11-23T10:00:00Z"), now, "sali"); }),
              "the outcome is dated before the referral");
    service.recordReferral(ref, std::nullopt, "maladministration", at("2026-11-25T09:00:00Z"), now, "rhughes");
    const Case c = *store.findCase(ref);
    ASSERT_TRUE(c.referral);
    EXPECT_EQ(c.referral->referredAt, at("2026-11-24T00:00:00Z"));
    EXPECT_EQ(c.referral->outcome, "maladministration");
    EXPECT_EQ(c.referral->outcomeAt, at("2026-11-25T09:00:00Z"));
    EXPECT_EQ(c.events.back().actor, "rhughes");
    EXPECT_EQ(c.events.back().detail, "ombudsman's outcome: maladministration on 2026-11-25");
}
