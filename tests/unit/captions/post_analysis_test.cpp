#include "captions/post_analysis.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "captions/plans.hpp"
#include "test_engine.hpp"

namespace reelgen::captions::detail {
namespace {

PostAnalysis read(std::string_view description, std::string_view lang = "en") {
  const std::size_t i = language_index(lang);
  const auto& engine = testing::engine();
  return analyze_post(description, engine.post_language(i), engine.language(i),
                      i == 0 ? &engine.lexicon() : nullptr);
}

using Facts = std::vector<std::pair<std::string, FactKind>>;

Facts facts_of(std::string_view description, std::string_view lang = "en") {
  Facts out;
  for (const Fact& f : read(description, lang).facts) out.emplace_back(f.text, f.kind);
  return out;
}

bool has(const Facts& facts, std::string_view text, FactKind kind) {
  for (const auto& [t, k] : facts) {
    if (t == text && k == kind) return true;
  }
  return false;
}

TEST(PostAnalysis, PricesTimesAndDatesAreKeptVerbatim) {
  const Facts f = facts_of(
      "Taco Tuesday is back at Casa Verde! Every Tuesday from 5 to 9 pm, all street tacos are $2.");
  EXPECT_TRUE(has(f, "$2", FactKind::price));
  EXPECT_TRUE(has(f, "5 to 9 pm", FactKind::time));
  EXPECT_TRUE(has(f, "Casa Verde", FactKind::place));
  EXPECT_TRUE(has(f, "Tuesday", FactKind::date));

  const Facts g = facts_of("Friday special, $24, tonight 5–10pm. 20% off for members.");
  EXPECT_TRUE(has(g, "$24", FactKind::price));
  EXPECT_TRUE(has(g, "5–10pm", FactKind::time));
  EXPECT_TRUE(has(g, "tonight", FactKind::date));
  EXPECT_TRUE(has(g, "20% off", FactKind::discount));
  EXPECT_TRUE(has(g, "Friday", FactKind::date));
}

TEST(PostAnalysis, QuantitiesNamesAndModelNumbersStayWhole) {
  const Facts f = facts_of(
      "New protein bar flavor: salted caramel, 20g protein, only 190 calories. Available at all "
      "Fitlife stores from March 3.");
  EXPECT_TRUE(has(f, "20g", FactKind::quantity));
  EXPECT_TRUE(has(f, "190 calories", FactKind::quantity));
  EXPECT_TRUE(has(f, "March 3", FactKind::date));
  EXPECT_TRUE(has(f, "Fitlife", FactKind::name));

  const Facts h = facts_of("Reviewing the Sony WH-1000XM5 headphones after a month of daily use");
  EXPECT_TRUE(has(h, "Sony WH-1000XM5", FactKind::name));
  // "The" starts a title mid-sentence, and a possessive is not part of a place's name.
  const Facts b = facts_of("Finished reading The Midnight Library in Portland's best cafe");
  EXPECT_TRUE(has(b, "The Midnight Library", FactKind::name));
  EXPECT_TRUE(has(b, "Portland", FactKind::place));
}

TEST(PostAnalysis, APercentageIsADiscountOnlyWhenItTakesSomethingOff) {
  EXPECT_TRUE(has(facts_of("Spring sale: 30% off all planters"), "30% off", FactKind::discount));
  EXPECT_TRUE(has(facts_of("Vitamin C serum with 15% ascorbic acid"), "15%", FactKind::quantity));
  EXPECT_TRUE(
      has(facts_of("Un 20 % de descuento en todos los ramos", "es"), "20 %", FactKind::discount));
}

TEST(PostAnalysis, ListsAreOneFact) {
  const Facts f = facts_of("Ten pieces in sand, olive and white, made in Portugal, from $79.");
  EXPECT_TRUE(has(f, "sand, olive and white", FactKind::list));
  EXPECT_TRUE(has(f, "Portugal", FactKind::place));
  EXPECT_TRUE(has(f, "$79", FactKind::price));
}

TEST(PostAnalysis, OtherLanguagesReadTheirOwnDatesTimesAndPrices) {
  const Facts es = facts_of(
      "Este sábado 12 de octubre celebramos la vendimia en Bodega Los Almendros, desde las 11:00; "
      "entrada 15 €.",
      "es");
  EXPECT_TRUE(has(es, "sábado 12 de octubre", FactKind::date));
  EXPECT_TRUE(has(es, "11:00", FactKind::time));
  EXPECT_TRUE(has(es, "15 €", FactKind::price));
  EXPECT_TRUE(has(es, "Bodega Los Almendros", FactKind::place));
}

TEST(PostAnalysis, IntentFollowsWhatThePostIsFor) {
  EXPECT_EQ(read("Our new vegan protein bar launches Friday").intent, Intent::launch);
  EXPECT_EQ(read("Spring sale: 30% off all planters this weekend").intent, Intent::promotion);
  EXPECT_EQ(read("Jazz night at The Blue Room this Saturday at 8 pm, join us").intent,
            Intent::event);
  EXPECT_EQ(read("Three mobility drills you can do at your desk").intent, Intent::tips);
  EXPECT_EQ(read("We're hiring a line cook for our downtown kitchen").intent, Intent::announcement);
  EXPECT_EQ(read("Which flavor should we make next?").intent, Intent::question);
  EXPECT_EQ(read("Sunset from the ferry between Split and Hvar").intent, Intent::moment);
  // A past event is a moment to share, not one to come.
  EXPECT_EQ(read("Thanks to everyone who came to our jazz night last Saturday").intent,
            Intent::moment);
}

TEST(PostAnalysis, SentencesLoseTheMetaPrefixAndGainPunctuation) {
  const PostAnalysis p = read("photo of our new espresso bar. opening friday");
  ASSERT_EQ(p.sentences.size(), 2u);
  EXPECT_EQ(p.sentences[0], "Our new espresso bar.");
  EXPECT_EQ(p.sentences[1], "opening friday.") << "the writer's own case after the first sentence";
  EXPECT_TRUE(read("Latte art at our cafe").fragment);
  EXPECT_FALSE(read("Our bakery turns 10 on Saturday").fragment);
}

// A brief written as an instruction to the writer is not copied as one.
TEST(PostAnalysis, InstructionsToTheWriterAreNotCopied) {
  EXPECT_EQ(read("Announce that Northfield Realty just listed a craftsman in Maple Heights")
                .sentences.front(),
            "Northfield Realty just listed a craftsman in Maple Heights.");
  EXPECT_EQ(read("Celebrate 10 years of Bramble & Oak Interiors").sentences.front(),
            "Celebrating 10 years of Bramble & Oak Interiors.");
  EXPECT_EQ(read("Show off our new oat milk cold brew").sentences.front(),
            "Our new oat milk cold brew.");
  EXPECT_EQ(read("Presentar el nuevo menú de tapas", "es").sentences.front(),
            "Presentamos el nuevo menú de tapas.");
  // A name keeps its ampersand.
  EXPECT_TRUE(has(facts_of("Celebrate 10 years of Bramble & Oak Interiors"),
                  "Bramble & Oak Interiors", FactKind::name));
}

// Instructions name their audience in many ways ("our followers", "à nos abonnés"): the data's
// "*" covers them. A German "dass" clause keeps its verb last, so its instruction becomes a main
// clause instead of being cut.
TEST(PostAnalysis, InstructionsWithAnAudienceAndDassClausesAreRewritten) {
  EXPECT_EQ(read("Anuncia que nuestra clínica abre los domingos", "es").sentences.front(),
            "Nuestra clínica abre los domingos.");
  EXPECT_EQ(read("Rappelle à nos abonnés que les inscriptions ferment le 15 septembre", "fr")
                .sentences.front(),
            "Rappel : les inscriptions ferment le 15 septembre.");
  EXPECT_EQ(read("Avise os seguidores que a padaria abre às 7h", "pt").sentences.front(),
            "A padaria abre às 7h.");
  EXPECT_EQ(read("Kündige an, dass unser Café ab April eine Köchin sucht", "de").sentences.front(),
            "Wir freuen uns, euch mitzuteilen, dass unser Café ab April eine Köchin sucht.");
  EXPECT_EQ(read("Remind all our members that the pool closes at 6 pm").sentences.front(),
            "Reminder: the pool closes at 6 pm.");
  // A question to the reader puts its auxiliary first.
  EXPECT_EQ(read("Write a caption asking our followers which topping we should add next")
                .sentences.front(),
            "Which topping should we add next?");
  EXPECT_EQ(read("Ask our followers which songs they want at the gig").sentences.front(),
            "Which songs do you want at the gig?");
}

TEST(PostAnalysis, ShortCaptionsKeepTheMostImportantFactsFirst) {
  const std::vector<Fact> ordered =
      by_importance(read("Open house Saturday 1-4 pm at 12 Elm Street, offered at $675,000").facts);
  ASSERT_FALSE(ordered.empty());
  EXPECT_EQ(ordered.front().kind, FactKind::price);
}

TEST(Plans, EveryIntentAndStyleHasAnOpeningAndAnEnding) {
  const std::string_view missing_cta =
      "[hooks]\n"
      "* | * |  | A hook\n"
      "[ctas]\n"
      "moment | * |  | Only for moments.\n"
      "[keywords]\n* | * |  | With {keywords}.\n[carousel]\n* | * |  | Swipe.\n";
  EXPECT_FALSE(parse_plan_bank(missing_cta, &testing::engine().plan_bank(0)));
  const std::string_view unknown_slot =
      "[hooks]\n* | * |  | Hello {nobody}\n[ctas]\n* | * |  | End.\n"
      "[keywords]\n* | * |  | With {keywords}.\n[carousel]\n* | * |  | Swipe.\n";
  EXPECT_FALSE(parse_plan_bank(unknown_slot, &testing::engine().plan_bank(0)));
  const std::string_view good =
      "[hooks]\n* | * |  | A hook\nevent | * | fact=date | See you {date}\n[ctas]\n* | * |  | "
      "End.\n"
      "[keywords]\n* | * |  | With {keywords}.\n[carousel]\n* | * |  | Swipe.\n";
  auto bank = parse_plan_bank(good, &testing::engine().plan_bank(0));
  ASSERT_TRUE(bank) << bank.error().message;
  EXPECT_EQ(bank->hooks.size(), 2u);
}

TEST(Plans, ALineIsUsedOnlyWhenItsConditionsHoldAndSlotsFill) {
  auto bank = parse_plan_bank(
      "[hooks]\n* | * |  | Plain\nevent | * | fact=date | See you {date}\n"
      "[ctas]\n* | * |  | End.\n[keywords]\n* | * |  | With {keywords}.\n"
      "[carousel]\n* | * |  | Swipe.\n",
      &testing::engine().plan_bank(0));
  ASSERT_TRUE(bank);
  const PostAnalysis with_date = read("Jazz night this Saturday at 8 pm, join us");
  const PostAnalysis without = read("Jazz night with friends, join us");
  PlanContext c;
  c.intent = Intent::event;
  c.mentions = [](std::string_view) { return false; };
  for (const PostAnalysis* post : {&with_date, &without}) {
    c.post = post;
    c.values[static_cast<int>(PlanSlot::date)] = post->first(FactKind::date);
    bool dated = false;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      Rng rng(seed);
      const int i = choose_line(bank->hooks, c, rng, {});
      ASSERT_GE(i, 0);
      const std::string text = render_line(bank->hooks[static_cast<std::size_t>(i)], c);
      dated = dated || text == "See you Saturday";
    }
    EXPECT_EQ(dated, post == &with_date);
  }
}

}  // namespace
}  // namespace reelgen::captions::detail
