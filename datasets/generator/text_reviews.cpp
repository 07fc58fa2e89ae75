// datasets/text/reviews_unlabelled/ and reviews_labelled/: film reviews.
//
// Every review has a hidden sentiment, and it runs through the whole review: a warm review
// keeps choosing warm words, sentence after sentence. A language model must track it to
// predict the next opinion word, so its hidden state comes to encode sentiment, and words it
// met only in unlabelled text ("superb") end up near the ones the few labels contain ("great").
//
// The label is a function of the text, by these rules (README "How the label is decided"):
//   an opinion counts +1 or -1; "really/truly/..." doubles it, "slightly/a bit/..." halves it;
//   "not" flips it; in "A , but B" only B counts; the review's label is the sign of the sum.
// Three styles of review (the label rules are the same for all):
//   plain     — mostly opinions of the hidden sentiment, now and then a weak concession;
//   negation  — the sentiment is said mostly through negated opposites ("the plot was not dull");
//   contrast  — weak concessions, then "A , but B" where the strong B decides; half the time one
//               more opinion of the review's own polarity follows.
// A bag of words sees the opposite words in the last two and is fooled; that is the point.
//
// What makes pretraining worth something, by construction:
//   - the labelled training pool uses mostly four "core" words per polarity; the test set uses
//     mostly the 28 "wide" words, which the unlabelled reviews use all the time;
//   - each (aspect, opinion word) pair belongs either to the pool or to valid/test, never both.
#include <set>

#include "common.hpp"
#include "sentiment.hpp"
#include "templates.hpp"

namespace dikkat::gen {

namespace {

struct Aspect {
    const char* name;
    bool plural;
};

const std::vector<Aspect> kAspects = {
    {"plot", false},      {"story", false},          {"acting", false},      {"cast", false},
    {"script", false},    {"dialogue", false},       {"direction", false},   {"soundtrack", false},
    {"music", false},     {"cinematography", false}, {"ending", false},      {"pacing", false},
    {"editing", false},   {"humour", false},         {"camera work", false}, {"lead actor", false},
    {"characters", true}, {"performances", true},    {"effects", true},      {"costumes", true},
    {"visuals", true},    {"songs", true},
};

enum class Source { pool, test, unlabelled };
enum class Style { plain, negation, contrast };

// Which side of the split an (aspect, word) pair is on: within each aspect, alternate words of
// a list go to the pool and to valid/test, shifted by one from one aspect to the next. So every
// aspect has words of both kinds on both sides, and every word meets half the aspects in each.
bool in_pool(std::size_t aspect, std::size_t word_index) { return (aspect + word_index) % 2 == 0; }

struct Clause {
    std::string text;
    double score;
};

class ReviewWriter {
  public:
    ReviewWriter(Rng& rng, const Templates& t) : rng_(rng), t_(t) {}

    // A review of the given sentiment, style and source; `score` receives the rules' sum.
    std::string review(bool positive, Style style, Source source, double& score);

  private:
    std::string opinion_word(bool positive, std::size_t aspect);
    Clause aspect_clause(bool positive, int degree, bool negated);
    Clause sentence(bool positive, int degree, bool negated);

    Rng& rng_;
    const Templates& t_;
    SentimentLexicon lex_;
    Source source_ = Source::unlabelled;
};

std::string ReviewWriter::opinion_word(bool positive, std::size_t aspect) {
    const std::vector<std::string>& core = positive ? lex_.positive_core : lex_.negative_core;
    const std::vector<std::string>& wide = positive ? lex_.positive_wide : lex_.negative_wide;
    const std::vector<std::string>* from = nullptr;
    if (source_ == Source::unlabelled) {
        from = rng_.below(8) == 0 ? &core : &wide;
        return pick(rng_, *from);
    }
    // Pool: core words 85% of the time; valid/test: wide words 85% of the time.
    bool use_core = rng_.bernoulli(0.85f) == (source_ == Source::pool);
    from = use_core ? &core : &wide;
    std::vector<std::string> ok;
    for (std::size_t i = 0; i < from->size(); ++i)
        if (in_pool(aspect, i) == (source_ == Source::pool)) ok.push_back((*from)[i]);
    return pick(rng_, ok);
}

// "the acting was really superb" / "the plot was not dull". degree: 0 weak, 1 plain, 2 strong.
Clause ReviewWriter::aspect_clause(bool positive, int degree, bool negated) {
    std::size_t a = rng_.below(static_cast<std::uint32_t>(kAspects.size()));
    const Aspect& asp = kAspects[a];
    const bool surface = negated ? !positive : positive;
    std::string word = opinion_word(surface, a);
    std::string be = asp.plural ? "were" : "was";
    std::string name = asp.name;
    if (negated) {
        degree = 1;
        switch (rng_.below(3)) {
            case 0:
                return {"the " + name + " " + be + " not " + word, positive ? 1.0 : -1.0};
            case 1:
                return {"i did not find the " + name + " " + word, positive ? 1.0 : -1.0};
            default:
                return {"the " + name + " " + be + " certainly not " + word, positive ? 1.0 : -1.0};
        }
    }
    std::string deg = degree == 0   ? pick(rng_, lex_.weak) + " "
                      : degree == 2 ? pick(rng_, lex_.strong) + " "
                                    : "";
    double score = (positive ? 1.0 : -1.0) * (degree == 0 ? 0.5 : degree == 2 ? 2.0 : 1.0);
    if (degree == 1 && rng_.bernoulli(0.3f)) {  // two words of one polarity: "superb and lovely"
        std::string second = opinion_word(positive, a);
        while (second == word) second = opinion_word(positive, a);
        word += " and " + second;
        score *= 2.0;
    }
    switch (rng_.below(4)) {
        case 0:
            return {"i found the " + name + " " + deg + word, score};
        case 1:
            return {"the " + name + " felt " + deg + word, score};
        case 2:
            return {"i thought the " + name + " " + be + " " + deg + word, score};
        default:
            return {"the " + name + " " + be + " " + deg + word, score};
    }
}

// One opinion sentence: a clause, two clauses joined by "and", or a verdict on the whole film.
Clause ReviewWriter::sentence(bool positive, int degree, bool negated) {
    unsigned r = rng_.below(100);
    if (r < 40 && !negated && degree > 0) {
        Clause a = aspect_clause(positive, degree, false);
        Clause b = aspect_clause(positive, 1, false);
        return {a.text + " and " + b.text + " .", a.score + b.score};
    }
    if (r < 52) {  // the film as a whole ("film" is one more aspect for the split)
        const bool surface = negated ? !positive : positive;
        std::string word = opinion_word(surface, kAspects.size());
        if (negated) return {"overall , it is not a " + word + " film .", positive ? 1.0 : -1.0};
        std::string deg = degree == 0   ? pick(rng_, lex_.weak) + " "
                          : degree == 2 ? pick(rng_, lex_.strong) + " "
                                        : "";
        double score = (positive ? 1.0 : -1.0) * (degree == 0 ? 0.5 : degree == 2 ? 2.0 : 1.0);
        const std::string lead = rng_.below(2) ? "overall , it is " : "all in all , ";
        const std::string what = deg == "a bit " ? "a bit of a " + word : "a " + deg + word;  // not "a a bit"
        return {lead + what + " film .", score};
    }
    Clause c = aspect_clause(positive, degree, negated);
    return {c.text + " .", c.score};
}

std::string ReviewWriter::review(bool positive, Style style, Source source, double& score) {
    source_ = source;
    std::vector<Clause> opinions;
    if (style == Style::plain) {
        std::size_t n = 4 + rng_.below(4);
        for (std::size_t i = 0; i < n; ++i) {
            if (i > 0 && rng_.bernoulli(0.2f))
                opinions.push_back(sentence(!positive, 0, false));
            else
                opinions.push_back(sentence(positive, rng_.bernoulli(0.3f) ? 2 : 1, false));
        }
    } else if (style == Style::negation) {
        std::size_t n = 2 + rng_.below(2);
        for (std::size_t i = 0; i < n; ++i) opinions.push_back(sentence(positive, 1, true));
        // At least one plain opinion: the review's own polarity, said outright.
        opinions.push_back(sentence(positive, 1, false));
        if (rng_.bernoulli(0.3f)) opinions.push_back(sentence(positive, 1, false));
        rng_.shuffle(opinions);
    } else {
        std::size_t m = rng_.below(3);  // weak concessions before the turn
        for (std::size_t i = 0; i < m; ++i) opinions.push_back(sentence(!positive, 0, false));
        Clause a = aspect_clause(!positive, rng_.bernoulli(0.5f) ? 2 : 1, false);
        Clause b = aspect_clause(positive, m >= 2 || rng_.bernoulli(0.5f) ? 2 : 1, false);
        while (b.text.substr(0, 12) == a.text.substr(0, 12))  // two different aspects
            b = aspect_clause(positive, m >= 2 || rng_.bernoulli(0.5f) ? 2 : 1, false);
        opinions.push_back({a.text + " , but " + b.text + " .", b.score});
        // Half the time the review goes on in its own polarity, as reviews do after the turn.
        if (rng_.bernoulli(0.5f)) opinions.push_back(sentence(positive, 1, false));
    }
    score = 0.0;
    for (const Clause& c : opinions) score += c.score;

    // Neutral sentences about the film: an opening, and maybe one more somewhere in between.
    Vars v;
    std::vector<std::string> sentences;
    sentences.push_back(t_.pick("opening", rng_, v));
    for (const Clause& c : opinions) sentences.push_back(c.text);
    if (rng_.bernoulli(0.6f)) {
        std::size_t at = 1 + rng_.below(static_cast<std::uint32_t>(sentences.size()));
        sentences.insert(sentences.begin() + static_cast<std::ptrdiff_t>(at), t_.pick("filler", rng_, v));
    }
    return fix_articles(join(sentences));
}

void add_review_rules(Templates& t) {
    t.add("opening", {"i watched this film {when} with my {relative} .", "i saw it at the cinema on {day} .",
                      "the film follows a {job} who {event} .", "{name} plays a {job} who {event} .",
                      "it is set in a small {settlement} {setting} in {season} .",
                      "the story takes place in {city} during the {season} .",
                      "this is the {ordinal} film from the director of {title} .",
                      "the film was shown at a festival in {city} last {season} .",
                      "i went to see this film because my {relative} liked the trailer ."});
    t.add("filler",
          {"the film runs for about {number} hours .", "most of the scenes were filmed near the {place} .",
           "it is the {ordinal} film in the series .", "the director made {number} films before this one .",
           "{name} plays the {job} and {name2} plays {poss} {relative} .",
           "there is a long scene at a {place} in the middle of the film .",
           "the music was written by a composer from {country} .",
           "the film is in english with some scenes in {language} .",
           "a {animal} appears in several scenes .", "the cinema was full on the night i went ."});
    t.add("when", {"last night", "on {day}", "last {season}", "on a rainy {day}", "at home"});
    t.add("relative", {"sister", "brother", "mother", "father", "friend", "cousin", "grandmother",
                       "neighbour", "children"});
    t.add("day", {"monday", "friday", "saturday", "sunday"});
    t.add("season", {"spring", "summer", "autumn", "winter"});
    t.add("job", {"doctor", "teacher", "baker", "farmer", "pilot", "nurse", "engineer", "writer", "cook",
                  "driver", "police officer", "musician"});
    t.add("event",
          {"moves to a village by the sea", "loses their job", "finds an old map in the attic",
           "travels across the country by train", "looks after a lost dog", "opens a small bakery",
           "returns home after many years", "tries to save the family farm", "falls in love with a {job}",
           "solves a crime in {city}", "climbs a mountain in {country}", "starts a new life in {city}"});
    t.add("settlement", {"town", "village", "city"});
    t.add("setting", {"by the sea", "in the mountains", "near a forest", "on an island", "near the border"});
    t.add("city",
          {"paris", "london", "rome", "berlin", "lisbon", "vienna", "cairo", "tokyo", "dublin", "athens"});
    t.add("country",
          {"france", "italy", "spain", "japan", "egypt", "ireland", "greece", "canada", "norway", "turkey"});
    t.add("language", {"french", "italian", "spanish", "japanese", "arabic", "greek"});
    t.add("ordinal", {"first", "second", "third", "fourth", "new", "last"});
    t.add("title", {"the quiet river", "a long winter", "the last train", "summer in rome", "the old bridge",
                    "the lighthouse", "the baker of lisbon"});
    t.add("number", {"two", "three", "two and a half"});
    t.add("place", {"harbour", "old station", "river", "market", "lighthouse", "castle", "beach", "school"});
    t.add("name", {"anna", "paul", "maria", "tom", "sara", "ali", "lena", "omar"});
    t.add("name2", {"julia", "david", "emma", "leo"});
    t.add("poss", {"his", "her"});
    t.add("animal", {"dog", "cat", "horse", "fox", "owl", "goat"});
}

// 70% plain, 15% negation, 15% contrast.
Style draw_style(Rng& rng) {
    unsigned r = rng.below(20);
    return r < 14 ? Style::plain : r < 17 ? Style::negation : Style::contrast;
}

}  // namespace

void make_reviews(const std::string& dir, std::uint64_t seed, std::ostream& log) {
    Rng rng(seed);
    Templates t;
    add_review_rules(t);
    ReviewWriter writer(rng, t);
    std::set<std::string> seen;

    // A review whose text has not been seen before, with the label its text implies.
    auto draw = [&](bool positive, Source source) {
        for (;;) {
            double score = 0.0;
            std::string r = writer.review(positive, draw_style(rng), source, score);
            if ((score > 0) != positive || score == 0.0) continue;  // never happens; cheap to check
            if (seen.insert(r).second) return r;
        }
    };
    auto label = [](bool positive) { return std::string(positive ? "positive" : "negative"); };

    // Labelled: the pool comes in positive/negative pairs (in random order), so every prefix
    // of even length is balanced: "the first 16 reviews" means 8 of each.
    std::vector<std::string> pool, valid, test;
    for (int i = 0; i < 2000; ++i) {
        bool first = rng.bernoulli(0.5f);
        pool.push_back(label(first) + "\t" + draw(first, Source::pool));
        pool.push_back(label(!first) + "\t" + draw(!first, Source::pool));
    }
    for (int i = 0; i < 1000; ++i) valid.push_back(label(i % 2 == 0) + "\t" + draw(i % 2 == 0, Source::test));
    for (int i = 0; i < 2000; ++i) test.push_back(label(i % 2 == 0) + "\t" + draw(i % 2 == 0, Source::test));
    rng.shuffle(valid);
    rng.shuffle(test);

    // Unlabelled: the same writer, every word and every pairing, sentiment hidden.
    std::vector<std::string> un_train, un_valid;
    std::size_t train_words = 0, valid_words = 0;
    while (train_words < 310000) {
        std::string r = draw(rng.bernoulli(0.5f), Source::unlabelled);
        train_words += split_words(r).size();
        un_train.push_back(r);
    }
    while (valid_words < 20000) {
        std::string r = draw(rng.bernoulli(0.5f), Source::unlabelled);
        valid_words += split_words(r).size();
        un_valid.push_back(r);
    }

    write_lines(dir + "/reviews_unlabelled/train.txt", un_train);
    write_lines(dir + "/reviews_unlabelled/valid.txt", un_valid);
    write_lines(dir + "/reviews_labelled/train.tsv", pool);
    write_lines(dir + "/reviews_labelled/valid.tsv", valid);
    write_lines(dir + "/reviews_labelled/test.tsv", test);

    // The opinion words themselves, for lesson 06's tagging head (which must not include this
    // generator): word<TAB>positive|negative<TAB>core|wide, in the lexicon's order.
    const SentimentLexicon lex;
    std::vector<std::string> opinion_words;
    auto add_words = [&](const std::vector<std::string>& words, const std::string& polarity_and_kind) {
        for (const std::string& w : words) opinion_words.push_back(w + "\t" + polarity_and_kind);
    };
    add_words(lex.positive_core, "positive\tcore");
    add_words(lex.positive_wide, "positive\twide");
    add_words(lex.negative_core, "negative\tcore");
    add_words(lex.negative_wide, "negative\twide");
    write_lines(dir + "/reviews_labelled/opinion_words.tsv", opinion_words);

    log << "## text/reviews (seed " << seed << ")\n\n";
    log << "reviews_unlabelled/train.txt: " << un_train.size() << " reviews, " << train_words << " words\n";
    log << "reviews_unlabelled/valid.txt: " << un_valid.size() << " reviews, " << valid_words << " words\n";
    std::vector<std::string> un_all = un_train;
    un_all.insert(un_all.end(), un_valid.begin(), un_valid.end());
    log << "reviews_unlabelled vocabulary: " << vocabulary_size(un_all) << " word types\n";
    std::vector<std::string> texts;
    for (const auto* split : {&pool, &valid, &test})
        for (const std::string& l : *split) texts.push_back(l.substr(l.find('\t') + 1));
    log << "reviews_labelled: " << pool.size() << " train, " << valid.size() << " valid, " << test.size()
        << " test; " << word_count(texts) << " words, " << vocabulary_size(texts) << " word types\n";
    log << "reviews_labelled/opinion_words.tsv: " << opinion_words.size() << " opinion words\n";
    const std::map<std::string, std::size_t> hist = length_histogram(un_train, 10);
    log << "unlabelled review lengths (words):\n";
    print_histogram(log, hist);
    log << "\n";
}

}  // namespace dikkat::gen
