// A small English→French grammar that writes both sentences at once and records which English
// word each French word comes from, so the word alignment is exact by construction.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <dikkat/random.hpp>

namespace dikkat::gen {

// One English word; `id` is unique within a sentence and survives reordering.
struct EnWord {
    std::string text;
    int id;
};

// One French word and the ids of the English words it translates (at least one).
struct FrWord {
    std::string text;
    std::vector<int> src;
};

// A piece of a sentence pair. Pieces are concatenated in English order on one side and in
// French order on the other; that is all reordering is.
struct Phrase {
    std::vector<EnWord> en;
    std::vector<FrWord> fr;
};

// Appends `b` after `a` on both sides.
inline void append(Phrase& a, const Phrase& b) {
    a.en.insert(a.en.end(), b.en.begin(), b.en.end());
    a.fr.insert(a.fr.end(), b.fr.begin(), b.fr.end());
}

// A finished pair: tokens on both sides and Pharaoh alignment pairs (source i, target j).
struct SentencePair {
    std::vector<std::string> en;
    std::vector<std::string> fr;
    std::vector<std::pair<int, int>> alignment;
};

// Draws sentence pairs. `richness` in [0, 1] is how readily the grammar takes optional
// expansions (adjectives, prepositional phrases, relative clauses, a second clause), and so
// sets the expected length.
class TranslationGrammar {
  public:
    explicit TranslationGrammar(Rng& rng) : rng_(rng) {}
    SentencePair sentence(float richness);

  private:
    // What the rest of the clause must agree with.
    struct NounInfo {
        bool fem = false;
        bool plural = false;
        unsigned cls = 0;
    };
    struct NpOptions {
        unsigned cls = 0;      // which nouns may head it (lexicon.hpp bits)
        bool pronoun = false;  // he / she allowed (subjects)
        // The object of a negated verb. English says "any", not "some" (does not see any cats);
        // French turns un / une / des into "de" (pas de chat) where the verb takes the noun
        // directly, which `direct_cls` says by class: visit takes a place directly but a person
        // through "à" (ne visite pas de musée, ne rend pas visite à un ami).
        bool negated = false;
        unsigned direct_cls = 0;
        bool subject = false;        // bare plurals only here: "dogs sleep" -> "les chiens dorment"
        bool no_indefinite = false;  // after "without": "sans clé", never "sans une clé"
    };
    // `subjunctive`: the clause follows a negated "penser / croire / espérer que", so its own
    // verb is in the subjunctive (relative clauses inside it keep the indicative).
    Phrase clause(int depth, bool subjunctive = false);
    Phrase noun_phrase(const NpOptions& opt, int depth, NounInfo& info);
    Phrase relative_clause(const NounInfo& head, int depth);
    Phrase prepositional_phrase(int depth, int max_kind);  // kinds: see prepositions()
    Phrase adjunct();
    Phrase verb_phrase(const NounInfo& subject, int depth, bool subjunctive = false);
    Phrase predicate_adjective(const NounInfo& subject);

    int en(Phrase& p, const std::string& word);
    void fr(Phrase& p, const std::string& word, std::vector<int> src);
    bool chance(float p) { return rng_.bernoulli(p); }
    float rich(float p) const { return p * richness_; }

    Rng& rng_;
    float richness_ = 0.5f;
    int next_id_ = 0;
};

// The French spelling rules that depend on the next word, applied to a finished sentence:
// elision (le homme -> l' homme, que il -> qu' il, ne aime -> n' aime, de un -> d' un,
// ce homme -> cet homme) and contraction (de le -> du, de les -> des, à le -> au, à les -> aux,
// de des -> de, de de -> de). A merged word keeps the alignment links of both.
void apply_french_spelling(std::vector<FrWord>& words);

// True for words that start with a vowel or a mute h (l'homme, l'hôtel).
bool starts_with_vowel_sound(const std::string& word);

}  // namespace dikkat::gen
