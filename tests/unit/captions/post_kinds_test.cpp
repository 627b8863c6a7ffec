// Kinds of posts the plans write for (hours, hiring, thanks, moving), how a description says to
// reach a business, and the words that name rather than describe.

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "captions/analyzer.hpp"
#include "captions/post_analysis.hpp"
#include "captions/tokenizer.hpp"
#include "test_engine.hpp"

namespace reelgen::captions {
namespace {

using testing::engine;
using testing::generate;

CaptionRequest request(std::string description, Style style, std::string language = "en") {
  CaptionRequest r;
  r.content_description = std::move(description);
  r.style = style;
  r.language = std::move(language);
  return r;
}

constexpr std::array<Style, 9> kAllStyles = {
    Style::casual,  Style::professional, Style::inspirational,
    Style::playful, Style::educational,  Style::promotional,
    Style::luxury,  Style::storytelling, Style::call_to_action};

// Every caption of every style and a few seeds.
std::vector<Caption> every_style(const std::string& description, const std::string& lang = "en") {
  std::vector<Caption> out;
  for (Style style : kAllStyles) {
    for (std::uint64_t seed = 0; seed < 4; ++seed) {
      CaptionRequest r = request(description, style, lang);
      r.seed = seed;
      out.push_back(generate(r).caption);
    }
  }
  return out;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

detail::PostAnalysis read(std::string_view description, std::string_view lang = "en") {
  const std::size_t i = detail::language_index(lang);
  return detail::analyze_post(description, engine().post_language(i), engine().language(i),
                              i == 0 ? &engine().lexicon() : nullptr);
}

TEST(PostKinds, AnHoursNoticeOpensAndEndsAsANotice) {
  for (const Caption& c : every_style(
           "Reminder: Glow Yoga Studio closes early at 3pm and stays closed until January 2.")) {
    const std::string hook = first_line(c.text);
    for (std::string_view stock : {"Big news", "A new chapter", "Plot twist", "You're invited"}) {
      EXPECT_EQ(hook.find(stock), std::string::npos) << c.text;
    }
    EXPECT_EQ(c.text.find("Tag who you're bringing"), std::string::npos) << c.text;
  }
}

TEST(PostKinds, AJobAdAsksForApplicantsAndNeverForTheLinkWhenItGivesAnEmail) {
  for (const Caption& c :
       every_style("We're hiring two part-time baristas at Bean & Barley, apply by emailing "
                   "jobs@beanandbarley.com before May 5.")) {
    EXPECT_EQ(c.text.find("link in bio"), std::string::npos) << c.text;
    EXPECT_EQ(c.text.find("Thank you for being here"), std::string::npos) << c.text;
  }
  for (const Caption& c : every_style(
           "Unser Café Morgenrot sucht ab April eine Vollzeitkraft für die Küche, Bewerbungen "
           "per E-Mail an team@cafe-morgenrot.de.",
           "de")) {
    EXPECT_EQ(c.text.find("Link in der Bio"), std::string::npos) << c.text;
  }
}

TEST(PostKinds, AThankYouIsThankedNotSold) {
  for (const Caption& c : every_style("Huge thanks to everyone who came to our bake sale")) {
    EXPECT_EQ(c.text.find("Treat yourself"), std::string::npos) << c.text;
    EXPECT_EQ(c.text.find("come hungry"), std::string::npos) << c.text;
  }
  EXPECT_NE(read("Huge thanks to everyone who came to our bake sale").intent, Intent::promotion);
}

TEST(PostKinds, AHookNeverRepeatsTheDescriptionsOpening) {
  for (const Caption& c :
       every_style("We're moving! Our florist relocates to Harbor Street on August 1.")) {
    EXPECT_NE(first_line(c.text).rfind("We're moving", 0), 0u) << c.text;
  }
}

TEST(PostAnalysis, TellsWhenADescriptionSaysHowToReachTheBusiness) {
  EXPECT_TRUE(read("Apply by emailing jobs@beanandbarley.com").contact);
  EXPECT_TRUE(read("Book online or call 253-555-0142").contact);
  EXPECT_TRUE(read("Reserva por mensaje directo", "es").contact);
  EXPECT_FALSE(read("Valid March 10-31 at both locations, 2026-03-10").contact);
  EXPECT_FALSE(read("New fall denim drop, sizes 00-24").contact);
}

TEST(PostAnalysis, ASentenceOfItsOwnIsNoInstruction) {
  const detail::PostAnalysis p = read("Thank you! Our 5K raised $18,650 for the shelter.");
  ASSERT_FALSE(p.sentences.empty());
  EXPECT_EQ(p.sentences[0], "Thank you!");
  EXPECT_EQ(read("Thank everyone who ran our 5K").sentences[0].rfind("Thank you to everyone", 0),
            0u);
}

TEST(Tokenizer, MarksTheWordsOfATitleInQuotes) {
  std::vector<detail::Word> words;
  detail::tokenize("New single 'Paper Moons' out Friday, Luis's « Forêt d'hiver » too", words);
  std::vector<std::string> quoted;
  for (const auto& w : words) {
    if (w.quoted) quoted.push_back(w.lower);
  }
  EXPECT_EQ(quoted, (std::vector<std::string>{"paper", "moons", "forêt", "dhiver"}));
}

TEST(Analyzer, AFrameNicheGivesWayToTheSubjects) {
  CaptionRequest r = request("Spring sale: 30% off all throw blankets and planters", Style::casual);
  EXPECT_EQ(generate(r).caption.niche, "home");
}

TEST(Analyzer, TheWordsOfANameBeforeItsLastSayNothingOfTheNiche) {
  CaptionRequest r = request(
      "Petal & Stem Florist is open late this Friday for Mother's Day bouquets", Style::casual);
  const Caption c = generate(r).caption;
  EXPECT_NE(c.niche, "education");
  for (const std::string& tag : c.hashtags) EXPECT_EQ(tag.find("stemeducation"), std::string::npos);
}

TEST(Hashtags, NoTagJoinsTwoNamesOrSpellsAnAddress) {
  for (const Caption& c : every_style(
           "Huge thanks to coaches Dana and Luis, and see you at 220 Harbor Street in Tacoma and "
           "Puyallup")) {
    for (const std::string& tag : c.hashtags) {
      EXPECT_NE(tag, "#danaandluis");
      EXPECT_NE(tag, "#harborstreet");
      EXPECT_NE(tag, "#tacomaandpuyallup");
    }
  }
}

TEST(Hashtags, AVerbAfterANameIsNoPartOfItsTag) {
  const Caption c =
      generate(request("The yoga studio closes at 3pm on Friday", Style::casual)).caption;
  for (const std::string& tag : c.hashtags) EXPECT_EQ(tag.find("closes"), std::string::npos) << tag;
}

TEST(PostAnalysis, AWeekdayAloneSetsASceneAndMakesNoEvent) {
  EXPECT_NE(read("Rainy Saturday, cinnamon rolls in the oven and nowhere to be").intent,
            Intent::event);
  EXPECT_NE(read("Churros con chocolate en la plaza un domingo de invierno", "es").intent,
            Intent::event);
  EXPECT_EQ(read("Live jazz this Thursday at 8pm at The Blue Door").intent, Intent::event);
}

TEST(Hashtags, ANameAfterAThingMakesNoTagOfEither) {
  const Caption c =
      generate(request("Golden retriever Max discovered the sprinkler", Style::casual)).caption;
  for (const std::string& tag : c.hashtags) EXPECT_EQ(tag.find("max"), std::string::npos) << tag;
}

TEST(Hashtags, AnEverydayWordAloneIsNoTag) {
  const Caption c = generate(request("Which day should we add for late-night yoga: Tuesday or "
                                     "Thursday?",
                                     Style::casual))
                        .caption;
  for (const std::string& tag : c.hashtags) EXPECT_NE(tag, "#day");
}

TEST(Hashtags, ACountOrAVerbMakesNoTagOfThePhrase) {
  for (const auto& [description, lang, wrong] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Trois astuces pour garder ses herbes fraîches plus longtemps", "fr", "#troisastuces"},
           {"Drei Tipps für bessere Handyfotos: Linse putzen", "de", "#dreitipps"},
           {"Notre boulangerie sera fermée du 1er au 15 août.", "fr", "#boulangerieserafermée"},
           {"Il nostro negozio resterà chiuso per ferie dal 10 al 25 agosto.", "it",
            "#negozioresteràchiuso"}}) {
    for (const Caption& c : every_style(description, lang)) {
      for (const std::string& tag : c.hashtags) EXPECT_NE(tag, wrong) << description;
    }
  }
}

TEST(PostKinds, AGermanHoursNoticeIsNoLaunch) {
  for (const Caption& c :
       every_style("Achtung: Am 24. und 31. Dezember haben wir nur bis 13 Uhr geöffnet.", "de")) {
    for (std::string_view stock : {"Brandneu", "neues Kapitel", "Dankbar für diesen Moment"}) {
      EXPECT_EQ(c.text.find(stock), std::string::npos) << c.text;
    }
  }
}

TEST(PostKinds, AHookDoesNotOpenWithTheDescriptionsFirstWord) {
  for (const auto& [description, lang, word] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Gracias a todos los que vinieron a nuestro concierto benéfico", "es", "Gracias"},
           {"Introducing the Trailblazer 2 hiking boot, available March 3", "en", "Introducing"}}) {
    for (const Caption& c : every_style(description, lang)) {
      const std::string hook = first_line(c.text);
      if (hook.rfind(description.substr(0, 20), 0) == 0) continue;  // no hook: the body leads
      EXPECT_NE(hook.rfind(word, 0), 0u) << c.text;
    }
  }
}

TEST(PostKinds, AJobAdCountingHoursIsNoHoursNotice) {
  for (const Caption& c : every_style("We're looking for a part-time bookkeeper, 20 hours a week, "
                                      "remote friendly. Email hello@northlinestudio.com.")) {
    EXPECT_EQ(c.text.find("our hours"), std::string::npos) << c.text;
    EXPECT_EQ(c.text.find("Plan your visit"), std::string::npos) << c.text;
  }
}

}  // namespace
}  // namespace reelgen::captions
