// Tests of AudioWriter: the text spoken (reference and phone numbers digit
// by digit, dates as dates, the address left out), the voice of each
// language, a duration plausible for the words (Ogg's own length read from
// the file, WAV's from its header), a one-page acknowledgement well under
// 1 MB, the same bytes for the same letter, and the refusals.
#include "duly/engine/InputError.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"
#include "duly/pdf/AudioWriter.h"

#include <gtest/gtest.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <cstring>

using namespace duly::pdf;
using duly::engine::BlockKind;
using duly::engine::Document;

namespace {

const duly::engine::Renderer& renderer() {
    static duly::engine::Renderer r{DULY_SOURCE_HOME};
    return r;
}

Document sample(const std::string& name, const std::string& locale) {
    return renderer().render(name, locale, "standard", duly::engine::sampleContext(name));
}

uint64_t le(const std::string& s, size_t at, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s.at(at + size_t(i)));
    return v;
}

// The length of an Ogg Opus file as a player sees it: the last page's
// granule position (48 kHz samples) less the header's pre-skip.
double oggSeconds(const std::string& ogg) {
    const size_t head = ogg.find("OpusHead");
    const size_t last = ogg.rfind("OggS");
    if (head == std::string::npos || last == std::string::npos) return -1;
    const uint64_t granule = le(ogg, last + 6, 8);
    const uint64_t preSkip = le(ogg, head + 10, 2);
    return double(granule - preSkip) / 48000.0;
}

// What is spoken, counted as a listener hears it: Latin and Arabic-script
// words and digits one each (a spelled reference is one word a character);
// each Chinese character is a syllable.
struct Count {
    int words = 0;
    int syllables = 0;
};
Count countSpoken(const std::string& text) {
    Count n;
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
    bool inWord = false;
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
        const UChar32 c = u.char32At(i);
        UErrorCode st = U_ZERO_ERROR;
        if (uscript_getScript(c, &st) == USCRIPT_HAN) {
            ++n.syllables;
            inWord = false;
        } else if (u_isalnum(c) || c == 0x200C) {
            if (!inWord) ++n.words;
            inWord = true;
        } else {
            inWord = false;
        }
    }
    return n;
}

TEST(AudioVoices, EachLanguageHasItsVoice) {
    EXPECT_EQ(voiceFor("en-GB"), "en-gb");
    EXPECT_EQ(voiceFor("ur-PK"), "ur");
    EXPECT_EQ(voiceFor("yue-Hant"), "yue");
    EXPECT_EQ(voiceFor("zh-HK"), "yue");
    EXPECT_FALSE(voiceFor("fr"));
}

TEST(AudioSpeech, ReferenceAndPhoneNumbersDigitByDigitDatesAsDates) {
    const Document doc = sample("acknowledgement", "en-GB");
    const std::string text = speechText(doc);
    const auto made = duly::engine::sampleFor("acknowledgement");
    ASSERT_EQ(made.kase.reference, "PHG-2026-00042");
    ASSERT_EQ(made.officer.phone, "01772 450612");
    EXPECT_NE(text.find("P H G, 2 0 2 6, 0 0 0 4 2"), std::string::npos) << text;
    EXPECT_NE(text.find("0 1 7 7 2, 4 5 0 6 1 2"), std::string::npos) << text;
    EXPECT_EQ(text.find("01772"), std::string::npos) << text;
    // The date line: "7 December 2026" is said "7th of December 2026".
    std::string date;
    for (const auto& b : doc.blocks)
        if (b.kind == BlockKind::DateLine) date = b.lines.front().plainText();
    ASSERT_FALSE(date.empty());
    const auto space = date.find(' ');
    ASSERT_NE(space, std::string::npos) << date;
    EXPECT_NE(text.find(" of " + date.substr(space + 1)), std::string::npos) << date << "\n" << text;
    // The sender's address is read, the customer's is not.
    EXPECT_EQ(text.find(made.customer.addressLine1), std::string::npos) << made.customer.addressLine1;
    EXPECT_EQ(text.find(made.customer.postcode), std::string::npos) << made.customer.postcode;
}

TEST(AudioSpeech, UrduDigitsBecomeDigitsTheVoiceReads) {
    Document doc;
    doc.lang = "ur";
    doc.blocks = {duly::engine::Block{BlockKind::Paragraph, "ur", duly::engine::Direction::Rtl,
                                      {duly::engine::Line{{{"\u0641\u0648\u0646 \u06F0\u06F1\u06F7\u06F7\u06F2 \u06F4\u06F5\u06F0\u06F6\u06F1\u06F2", "ur"}}, "ur"}}, ""}};
    EXPECT_EQ(speechText(doc), "\u0641\u0648\u0646 0 1 7 7 2, 4 5 0 6 1 2.\n");
}

TEST(AudioSpeech, OrdinalsOfEnglishDates) {
    for (const auto& [date, said] : std::vector<std::pair<std::string, std::string>>{
             {"1 March 2027", "1st of March 2027."}, {"2 March 2027", "2nd of March 2027."},
             {"3 March 2027", "3rd of March 2027."}, {"11 March 2027", "11th of March 2027."},
             {"12 March 2027", "12th of March 2027."}, {"21 March 2027", "21st of March 2027."},
             {"22 March 2027", "22nd of March 2027."}, {"30 March 2027", "30th of March 2027."}}) {
        Document doc;
        doc.lang = "en-GB";
        doc.blocks = {duly::engine::Block{BlockKind::DateLine, "en-GB", duly::engine::Direction::Ltr,
                                          {duly::engine::Line{{{date, "en-GB"}}, "en-GB"}}, ""}};
        EXPECT_EQ(speechText(doc), said + "\n");
    }
}

struct Plausible {
    const char* locale;
    const char* voiceLanguage;
};

class AudioLetters : public ::testing::TestWithParam<Plausible> {};

TEST_P(AudioLetters, VoiceOfTheLanguageAtAPlausibleSpeedSmallEnoughToEmail) {
    const Document doc = sample("acknowledgement", GetParam().locale);
    const AudioLetter ogg = writeAudio(doc, AudioContainer::OggOpus);
    EXPECT_EQ(ogg.voiceLanguage, GetParam().voiceLanguage);
    ASSERT_GT(ogg.samples, 0);
    EXPECT_EQ(ogg.sampleRate, 22050);
    ASSERT_EQ(ogg.bytes.substr(0, 4), "OggS");
    ASSERT_NE(ogg.bytes.find("OpusHead"), std::string::npos);
    EXPECT_LT(ogg.bytes.size(), 500u * 1024) << "well under 1 MB";
    // The file's own length agrees with the speech synthesised.
    EXPECT_NEAR(oggSeconds(ogg.bytes), ogg.seconds(), 0.05);
    // Plausible speed: 120–220 words a minute for what is said in words,
    // with Chinese characters at 3–6 syllables a second (Cantonese speech
    // runs near 5). The footer is in all three languages.
    const Count n = countSpoken(speechText(doc));
    const double minutes = ogg.seconds() / 60.0;
    const double minWords = n.words / 220.0 + n.syllables / (6.0 * 60), maxWords = n.words / 120.0 + n.syllables / (3.0 * 60);
    EXPECT_GE(minutes, minWords) << n.words << " words, " << n.syllables << " syllables in " << ogg.seconds() << " s";
    EXPECT_LE(minutes, maxWords) << n.words << " words, " << n.syllables << " syllables in " << ogg.seconds() << " s";

    const AudioLetter wav = writeAudio(doc, AudioContainer::Wav);
    EXPECT_NEAR(double(wav.samples), double(ogg.samples), 0.01 * double(ogg.samples));
    ASSERT_EQ(wav.bytes.substr(0, 4), "RIFF");
    EXPECT_EQ(wav.bytes.substr(8, 8), "WAVEfmt ");
    EXPECT_EQ(le(wav.bytes, 22, 2), 1u);        // mono
    EXPECT_EQ(le(wav.bytes, 24, 4), 22050u);    // sample rate
    EXPECT_EQ(le(wav.bytes, 34, 2), 16u);       // bits
    EXPECT_EQ(le(wav.bytes, 40, 4), uint64_t(wav.samples) * 2);
    EXPECT_EQ(wav.bytes.size(), 44 + size_t(wav.samples) * 2);
}

INSTANTIATE_TEST_SUITE_P(Locales, AudioLetters,
                         ::testing::Values(Plausible{"en-GB", "en-gb"}, Plausible{"ur", "ur"},
                                           Plausible{"yue-Hant", "yue"}),
                         [](const auto& p) {
                             const std::string v = p.param.voiceLanguage;
                             return std::string(v == "en-gb" ? "English" : v == "ur" ? "Urdu" : "Cantonese");
                         });

TEST(AudioLetters, SlowerSpeechIsLonger) {
    const Document doc = sample("holding-reply", "en-GB");
    const AudioLetter normal = writeAudio(doc, AudioContainer::Wav);
    const AudioLetter slow = writeAudio(doc, AudioContainer::Wav, AudioSettings{110, 24000});
    EXPECT_GT(slow.seconds(), normal.seconds() * 1.2);
}

// espeak-ng 1.51 does not give the same samples twice (see XXX in
// AudioWriter.cpp): the same letter is the same length within 2%.
TEST(AudioLetters, TheSameLetterIsTheSameLength) {
    const Document doc = sample("reply", "en-GB");
    const auto first = writeAudio(doc, AudioContainer::OggOpus);
    EXPECT_NEAR(first.seconds(), writeAudio(doc, AudioContainer::OggOpus).seconds(), 0.02 * first.seconds());
}

TEST(AudioLetters, RefusalsSayWhy) {
    Document doc = sample("acknowledgement", "en-GB");
    EXPECT_THROW(writeAudio(doc, AudioContainer::OggOpus, AudioSettings{50, 24000}), duly::engine::InputError);
    EXPECT_THROW(writeAudio(doc, AudioContainer::OggOpus, AudioSettings{160, 1000}), duly::engine::InputError);
    doc.lang = "fr";
    try {
        writeAudio(doc, AudioContainer::OggOpus);
        FAIL() << "French has no voice";
    } catch (const AudioUnavailable& e) {
        EXPECT_STREQ(e.what(), "no espeak-ng voice for language fr");
    }
}

}  // namespace
