#include <gtest/gtest.h>

#include <string>

#include "captions/engine.hpp"
#include "captions/evaluation.hpp"
#include "captions/scorer.hpp"
#include "captions/tokenizer.hpp"
#include "test_engine.hpp"

namespace reelgen::captions {
namespace {

using detail::Gender;

const detail::LanguagePack& pack(std::string_view code) {
  return testing::engine().language(detail::language_index(code));
}

std::string finished(std::string_view code, std::string text) {
  pack(code).finish(text);
  return text;
}

CaptionRequest request(std::string description, std::string language, Style style = Style::casual) {
  CaptionRequest r;
  r.content_description = std::move(description);
  r.language = std::move(language);
  r.style = style;
  return r;
}

using testing::generate;

TEST(LanguagePack, ElisionAndContractions) {
  EXPECT_EQ(finished("fr", "Une ode à le océan."), "Une ode à l'océan.");
  EXPECT_EQ(finished("fr", "Parlons de le sport et de les voyages."),
            "Parlons du sport et des voyages.");
  EXPECT_EQ(finished("fr", "Retour à le marché"), "Retour au marché");
  EXPECT_EQ(finished("es", "Una oda a el atardecer de el verano."),
            "Una oda al atardecer del verano.");
  EXPECT_EQ(finished("es", "De el mar a la montaña"), "Del mar a la montaña");
  EXPECT_EQ(finished("it", "Il profumo di il mare e di lo amico."),
            "Il profumo del mare e dell'amico.");
  EXPECT_EQ(finished("pt", "Um dia em a praia de o Rio."), "Um dia na praia do Rio.");
  EXPECT_EQ(finished("de", "Der Hund am Meer."), "Der Hund am Meer.");
  EXPECT_EQ(finished("en", "a apple"), "a apple");  // English articles are polish()'s job
  // After an imperative's hyphen the pronoun is stressed and keeps its vowel.
  EXPECT_EQ(finished("fr", "Enregistre-le et partage-le avec un ami."),
            "Enregistre-le et partage-le avec un ami.");
}

TEST(LanguagePack, FrenchSpacingBeforeHighPunctuation) {
  EXPECT_EQ(finished("fr", "Vraiment ? Oui !"), "Vraiment\xE2\x80\xAF? Oui\xE2\x80\xAF!");
}

TEST(LanguagePack, ArticlesFollowGenderNumberAndSound) {
  EXPECT_EQ(pack("es").definite_article(Gender::feminine, false, "playa"), "la");
  EXPECT_EQ(pack("es").definite_article(Gender::masculine, true, "perros"), "los");
  EXPECT_EQ(pack("it").definite_article(Gender::masculine, false, "sole"), "il");
  EXPECT_EQ(pack("it").definite_article(Gender::masculine, false, "zaino"), "lo");
  EXPECT_EQ(pack("it").definite_article(Gender::masculine, false, "studio"), "lo");
  EXPECT_EQ(pack("it").definite_article(Gender::masculine, true, "amici"), "gli");
  EXPECT_EQ(pack("pt").definite_article(Gender::feminine, true, "praias"), "as");
  EXPECT_EQ(pack("de").definite_article(Gender::masculine, false, "Hund"), "");
  EXPECT_EQ(pack("es").gender_of("canción"), Gender::feminine);
  EXPECT_EQ(pack("es").gender_of("día"), Gender::masculine);
  EXPECT_EQ(pack("fr").gender_of("plage"), Gender::feminine);
  EXPECT_EQ(pack("it").gender_of("tramonto"), Gender::masculine);
}

TEST(Analyzer, OtherLanguagesFindSubjectGenderAndNiche) {
  const auto& analyzer = testing::engine().analyzer();
  auto es = analyzer.analyze("Atardecer en la playa con mi perro", {}, "", pack("es"));
  EXPECT_EQ(es.subject.text, "atardecer");
  EXPECT_EQ(es.subject.gender, Gender::masculine);
  EXPECT_EQ(testing::engine().niches().at(es.niche).name, "nature");
  EXPECT_GT(es.niche_confidence, 0.0);

  auto fr = analyzer.analyze("Une tarte aux pommes faite maison", {}, "", pack("fr"));
  EXPECT_EQ(fr.subject.text, "tarte aux pommes");
  EXPECT_EQ(fr.subject.gender, Gender::feminine);
  EXPECT_EQ(testing::engine().niches().at(fr.niche).name, "food");

  auto elided = analyzer.analyze("Coucher de soleil sur l'océan", {}, "", pack("fr"));
  EXPECT_EQ(elided.subject.text, "coucher de soleil");

  auto de = analyzer.analyze("Schokoladenkuchen mit Sahne", {}, "", pack("de"));
  EXPECT_EQ(de.subject.text, "Schokoladenkuchen");
  EXPECT_EQ(testing::engine().niches().at(de.niche).name, "food");

  auto pt = analyzer.analyze("As praias do Rio no verão", {}, "", pack("pt"));
  EXPECT_TRUE(pt.subject.plural);
  EXPECT_EQ(pt.subject.gender, Gender::feminine);
}

TEST(BuiltinProvider, WritesEveryLanguageWithoutViolations) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"en", "Beautiful sunset over the ocean"}, {"es", "Atardecer en la playa con mi perro"},
      {"fr", "Coucher de soleil sur l'océan"},   {"de", "Sonnenuntergang am Meer mit meinem Hund"},
      {"it", "Tramonto sul mare con gli amici"}, {"pt", "Pôr do sol na praia com a família"},
  };
  for (const auto& [lang, description] : cases) {
    for (std::size_t s = 0; s < kStyleNames.size(); ++s) {
      for (std::size_t t = 0; t < kContentTypeNames.size(); ++t) {
        CaptionRequest r = request(description, lang, static_cast<Style>(s));
        r.content_type = static_cast<ContentType>(t);
        r.variants = 2;
        CaptionResult result = generate(r);
        for (const Caption* c : {&result.caption, &result.variants[0]}) {
          SCOPED_TRACE(lang + "/" + std::string(kStyleNames[s]) + ": " + c->text);
          EXPECT_EQ(caption_violation(*c, lang), "");
          EXPECT_FALSE(c->hashtags.empty());
          EXPECT_FALSE(c->niche.empty());
        }
      }
    }
  }
}

TEST(BuiltinProvider, SpanishCaptionAgreesWithTheDescription) {
  CaptionRequest r = request("La playa al atardecer", "es");
  r.hashtag_count = 10;
  bool saw_article = false;
  for (std::uint64_t seed = 0; seed < 12; ++seed) {
    r.seed = seed;
    const Caption c = generate(r).caption;
    EXPECT_EQ(c.text.find("el playa"), std::string::npos) << c.text;
    EXPECT_EQ(c.text.find("de el"), std::string::npos) << c.text;
    saw_article = saw_article || c.text.find("la playa") != std::string::npos ||
                  c.text.find("La playa") != std::string::npos;
    EXPECT_NE(std::find(c.hashtags.begin(), c.hashtags.end(), "#playa"), c.hashtags.end());
  }
  EXPECT_TRUE(saw_article);
}

TEST(BuiltinProvider, FrenchElidesTheSubjectArticle) {
  CaptionRequest r = request("L'océan au petit matin", "fr", Style::luxury);
  for (std::uint64_t seed = 0; seed < 12; ++seed) {
    r.seed = seed;
    const Caption c = generate(r).caption;
    EXPECT_EQ(c.text.find("le océan"), std::string::npos) << c.text;
    EXPECT_EQ(c.text.find("de le"), std::string::npos) << c.text;
    EXPECT_EQ(c.text.find("à le"), std::string::npos) << c.text;
  }
}

TEST(BuiltinProvider, HashtagsAreInTheRequestLanguage) {
  CaptionRequest r = request("Mi perro jugando en la nieve", "es");
  r.hashtag_count = 15;
  const Caption c = generate(r).caption;
  EXPECT_EQ(c.niche, "pets");
  EXPECT_NE(std::find(c.hashtags.begin(), c.hashtags.end(), "#perro"), c.hashtags.end());
  EXPECT_NE(std::find(c.hashtags.begin(), c.hashtags.end(), "#perrosdeinstagram"),
            c.hashtags.end());
  EXPECT_EQ(std::find(c.hashtags.begin(), c.hashtags.end(), "#gatosdeinstagram"), c.hashtags.end());
  EXPECT_EQ(std::find(c.hashtags.begin(), c.hashtags.end(), "#dogsofinstagram"), c.hashtags.end());
}

TEST(BuiltinProvider, GermanCompoundsStayWhole) {
  CaptionRequest r = request("Schokoladenkuchen zum Geburtstag", "de");
  r.hashtag_count = 10;
  const Caption c = generate(r).caption;
  auto has = [&](std::string_view tag) {
    return std::find(c.hashtags.begin(), c.hashtags.end(), tag) != c.hashtags.end();
  };
  EXPECT_TRUE(has("#schokoladenkuchen"));
  // A fragment of a compound is no tag of the post: Nürnberg gives no #berg.
  const Caption city =
      generate(request("Lebkuchen vom Nürnberger Christkindlesmarkt", "de")).caption;
  for (std::string_view fragment : {"#berg", "#kuchen", "#markt"}) {
    EXPECT_EQ(std::find(city.hashtags.begin(), city.hashtags.end(), fragment), city.hashtags.end())
        << fragment;
  }
  // A dative plural tags as the plural: "mit den Kindern" is #kinder.
  const Caption picnic = generate(request("Picknick mit den Kindern im Park", "de")).caption;
  const auto& tags = picnic.hashtags;
  EXPECT_EQ(std::find(tags.begin(), tags.end(), "#kindern"), tags.end());
}

// The reader is addressed in one register: a formal audience never gets a line written for
// the informal one (tú, tu, du), and the other way round.
TEST(BuiltinProvider, RegisterIsConsistent) {
  const auto& engine = testing::engine();
  for (std::string_view lang : {"es", "fr", "de", "it", "pt"}) {
    const auto& plans = engine.plan_bank(detail::language_index(lang));
    for (bool formal : {true, false}) {
      CaptionRequest r = request(lang == "es"   ? "Nuevo portátil para programar"
                                 : lang == "fr" ? "Nouvel ordinateur portable pour coder"
                                 : lang == "de" ? "Neuer Laptop zum Programmieren"
                                 : lang == "it" ? "Nuovo portatile per programmare"
                                                : "Novo notebook para programar",
                                 std::string(lang));
      // Audience words of voices.txt: a formal one, and a casual one.
      r.audience = formal ? (lang == "es"   ? "clientes"
                             : lang == "fr" ? "clients"
                             : lang == "de" ? "Kunden"
                             : lang == "it" ? "clienti"
                                            : "clientes")
                          : (lang == "es"   ? "amigos"
                             : lang == "fr" ? "amis"
                             : lang == "de" ? "Freunde"
                             : lang == "it" ? "amici"
                                            : "galera");
      for (std::uint64_t seed = 0; seed < 12; ++seed) {
        r.seed = seed;
        r.style = static_cast<Style>(seed % kStyleNames.size());
        const std::string text = generate(r).caption.text;
        for (const auto* bank : {&plans.hooks, &plans.ctas}) {
          for (const detail::PlanLine& line : *bank) {
            if (line.formal < 0 || (line.formal == 1) == formal || line.slots != 0) continue;
            std::string literal;
            for (const auto& piece : line.pieces) literal += piece.text;
            // Trailing emoji may be dropped for the emoji budget; compare the words.
            literal = literal.substr(0, literal.find(" \xF0"));
            if (literal.size() < 12) continue;
            EXPECT_EQ(text.find(literal), std::string::npos)
                << lang << (formal ? " formal" : " informal") << " got: " << literal;
          }
        }
      }
    }
  }
}

TEST(BuiltinProvider, SameSeedSameCaptionInEveryLanguage) {
  for (std::string_view lang : kLanguages) {
    CaptionRequest r = request("Sunset sunset sunset over the ocean", std::string(lang));
    r.seed = 7;
    EXPECT_EQ(generate(r).caption.text, generate(r).caption.text);
  }
}

// The scorer skips words under three letters without a search.
TEST(Sentiment, LexiconsHoldNoWordUnderThreeLetters) {
  for (std::size_t lang = 0; lang < kLanguages.size(); ++lang) {
    const detail::SortedLines& lexicon = testing::engine().language(lang).sentiment();
    ASSERT_GT(lexicon.size(), 20u);
    for (std::size_t i = 0; i < lexicon.size(); ++i) {
      EXPECT_GE(lexicon.key_at(i).size(), 3u) << kLanguages[lang] << ": " << lexicon.key_at(i);
    }
  }
}

TEST(Sentiment, InflectedWordsAreFound) {
  auto sum = [](std::string_view text, std::size_t lang) {
    std::vector<detail::Word> words;
    detail::tokenize(text, words);
    return detail::sentiment_sum(words, testing::engine().language(lang));
  };
  const std::size_t de = 3, fr = 2;
  ASSERT_EQ(kLanguages[de], "de");
  ASSERT_EQ(kLanguages[fr], "fr");
  EXPECT_GT(sum("Ein guter Tag mit guten Freunden", de), 0);  // gut
  EXPECT_LT(sum("Ein schrecklicher Tag", de), 0);             // schrecklich
  EXPECT_GT(sum("Une soirée géniale", fr), 0);                // génial
  EXPECT_EQ(sum("Ein Tag im Park", de), 0);
}

TEST(Readability, EachLanguageUsesItsFormula) {
  std::vector<detail::Word> words;
  const std::string text = "The cat sat on the mat. It was a good day.";
  detail::tokenize(text, words);
  const double flesch = detail::readability(text, words, detail::ReadabilityFormula::flesch);
  const double amstad = detail::readability(text, words, detail::ReadabilityFormula::amstad);
  const double huerta =
      detail::readability(text, words, detail::ReadabilityFormula::fernandez_huerta);
  // 11 words, 2 sentences, 11 syllables: Flesch 206.835 - 1.015*5.5 - 84.6 = 116.7 -> 100.
  EXPECT_DOUBLE_EQ(flesch, 100.0);
  // Amstad: 180 - 5.5 - 58.5 = 116 -> 100; the formulas differ on longer words.
  EXPECT_DOUBLE_EQ(amstad, 100.0);
  EXPECT_DOUBLE_EQ(huerta, 100.0);
  const std::string hard =
      "Internationalization considerations necessitate comprehensive documentation.";
  detail::tokenize(hard, words);
  double en = detail::readability(hard, words, detail::ReadabilityFormula::flesch);
  double de = detail::readability(hard, words, detail::ReadabilityFormula::amstad);
  double it = detail::readability(hard, words, detail::ReadabilityFormula::flesch_vacca);
  EXPECT_LT(en, 10.0);
  EXPECT_LT(de, 10.0);
  EXPECT_LT(it, 40.0);
}

}  // namespace
}  // namespace reelgen::captions
