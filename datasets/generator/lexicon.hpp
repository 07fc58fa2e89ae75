// The English–French lexicon of the translation grammar: nouns with gender and plural,
// adjectives with their four French forms and their place (before or after the noun), verbs
// with their present-tense forms (indicative and subjunctive, 3rd person: the grammar has no
// other subjects) and what they take (nothing, a direct object, a preposition, a clause).
// Everything the grammar in translation_grammar.cpp says comes from these tables.
#pragma once

#include <vector>

namespace dikkat::gen {

enum class Gender { masc, fem };

// What a noun denotes, as bits, so verbs and adjectives can say what they go with
// ("reads" wants something readable; "tired" wants a person or an animal).
constexpr unsigned kHuman = 1u << 0;
constexpr unsigned kAnimal = 1u << 1;
constexpr unsigned kThing = 1u << 2;
constexpr unsigned kPlace = 1u << 3;
constexpr unsigned kIdea = 1u << 4;
constexpr unsigned kReadable = 1u << 5;
constexpr unsigned kOpenable = 1u << 6;
constexpr unsigned kFood = 1u << 7;
constexpr unsigned kAnimate = kHuman | kAnimal;
constexpr unsigned kAny = kHuman | kAnimal | kThing | kPlace | kIdea;

struct Noun {
    const char* en_sg;
    const char* en_pl;
    const char* fr_sg;
    const char* fr_pl;
    Gender gender;
    unsigned cls;
};

// Where a French adjective goes, and (for those after the noun) which kind it is. Two
// adjectives after the noun come out in mirror order: English "european economic area",
// French "zone économique européenne".
enum class AdjKind { before, colour, origin, type, quality };

struct Adjective {
    const char* en;
    const char* ms;  // masculine singular, feminine singular, masculine plural, feminine plural
    const char* fs;
    const char* mp;
    const char* fp;
    const char* ms_vowel;  // masculine singular before a vowel (bel, vieil, nouvel), or nullptr
    AdjKind kind;
    unsigned cls;
};

// intransitive: "sleeps" -> "dort".  direct: "sees X" -> "voit X" (English may add a particle:
// "listens to X" -> "écoute X").  indirect: French adds a preposition: "answers X" -> "répond à
// X", "speaks to X" -> "parle à X".  clausal: "thinks that S" -> "pense que S".
enum class VerbKind { intransitive, direct, indirect, clausal };

// How French says a verb whose construction changes when its object is a person. One visits a
// place ("visite le musée") but pays a visit to a person ("rend visite à la mère"): "visiter"
// with a person reads as inspecting them. The verb takes `fr_noun` and `fr_prep` after it, after
// pas / jamais / an adverb too ("ne rend pas visite à", "rend souvent visite à"); in an object
// relative the preposition goes in front ("la mère à qui pierre rend visite").
struct PersonForm {
    const char* fr_3sg;  // "rend", "rendent"; subjunctive "rende", "rendent"
    const char* fr_3pl;
    const char* fr_subj_3sg;
    const char* fr_subj_3pl;
    const char* fr_noun;  // "visite"
    const char* fr_prep;  // "à"
};

struct Verb {
    const char* en_3sg;
    const char* en_base;
    const char* fr_3sg;  // present indicative: "dort", "dorment"
    const char* fr_3pl;
    const char* fr_subj_3sg;  // present subjunctive: "(qu' il) dorme", "(qu' ils) dorment"
    const char* fr_subj_3pl;
    VerbKind kind;
    unsigned subj;
    unsigned obj;
    const char* en_prep;  // "" when English has none
    const char* fr_prep;  // "" when French has none
    // Clausal verbs of opinion (penser, croire, espérer): negated, they put the clause they
    // introduce in the subjunctive ("ne croit pas qu' il soit là"); savoir and dire do not.
    bool negated_takes_subjunctive = false;
    // Set when a person as object needs another construction (visit -> rendre visite à).
    const PersonForm* with_person = nullptr;
};

struct Name {
    const char* en;
    const char* fr;
    Gender gender;
};

const std::vector<Noun>& nouns();
const std::vector<Adjective>& adjectives();
const std::vector<Verb>& verbs();
const std::vector<Name>& names();

// True when French reads the adjective right before the noun as a fixed expression with another
// meaning: belle mère is a mother-in-law, grand homme a great man, petit ami a boyfriend, bonne
// femme and vieille fille are pejorative. Only a pre-nominal adjective next to its noun reads so,
// and that is the only place the grammar puts one (adjectives after the noun cannot come between).
bool reads_as_compound(const Adjective& adjective, const Noun& noun);

}  // namespace dikkat::gen
