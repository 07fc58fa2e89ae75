// Clauses and sentences of the translation grammar (noun phrases are in translation_grammar.cpp).
//
// What the French side has to get right here: the verb agrees with its subject (dort/dorment);
// negation wraps the verb (does not sleep -> ne dort pas; never -> ne ... jamais) and turns an
// indefinite object into "de" (does not see any cats -> ne voit pas de chats); adverbs follow
// the verb (often sleeps -> dort souvent); a place is visited but a person is paid a visit
// (visite le musée, rend visite à la mère, ne rend pas visite à); an adjective after "être"
// agrees with the subject, even across a relative clause; after a negated "penser / croire /
// espérer que" the clause's verb is in the subjunctive (ne croit pas qu' il soit là, ne pense
// jamais que le chien coure), after "savoir / dire que" and after any verb that is not negated
// it stays in the indicative.
#include <algorithm>
#include <map>

#include "common.hpp"
#include "lexicon.hpp"
#include "translation_grammar.hpp"

namespace dikkat::gen {

namespace {

struct WordPair {
    const char* en;
    const char* fr;
};

// Adverbs of frequency: before the verb in English, after it in French (after "is" in both).
const std::vector<WordPair>& adverbs() {
    static const std::vector<WordPair> table = {
        {"often", "souvent"}, {"always", "toujours"}, {"sometimes", "parfois"}, {"rarely", "rarement"}};
    return table;
}

// Time expressions at the end of a clause; `links[k]` lists the English word indices that
// French word k translates.
struct TimeExpression {
    std::vector<const char*> en;
    std::vector<const char*> fr;
    std::vector<std::vector<int>> links;
};

const std::vector<TimeExpression>& time_expressions() {
    static const std::vector<TimeExpression> table = {
        {{"today"}, {"aujourd'hui"}, {{0}}},
        {{"now"}, {"maintenant"}, {{0}}},
        {{"every", "day"}, {"chaque", "jour"}, {{0}, {1}}},
        {{"every", "week"}, {"chaque", "semaine"}, {{0}, {1}}},
        {{"in", "the", "morning"}, {"le", "matin"}, {{1}, {2}}},
        {{"in", "the", "evening"}, {"le", "soir"}, {{1}, {2}}},
        {{"at", "night"}, {"la", "nuit"}, {{0}, {1}}},
        {{"in", "winter"}, {"en", "hiver"}, {{0}, {1}}},
        {{"in", "summer"}, {"en", "été"}, {{0}, {1}}},
        {{"on", "sunday"}, {"dimanche"}, {{0, 1}}},
    };
    return table;
}

// Cities take "à", feminine countries "en", masculine countries "au" (à + le).
struct Place {
    const char* en;
    const char* fr_prep;
    const char* fr;
};

const std::vector<Place>& named_places() {
    static const std::vector<Place> table = {
        {"paris", "à", "paris"},   {"london", "à", "londres"},     {"rome", "à", "rome"},
        {"berlin", "à", "berlin"}, {"france", "en", "france"},     {"spain", "en", "espagne"},
        {"italy", "en", "italie"}, {"germany", "en", "allemagne"}, {"portugal", "au", "portugal"},
        {"japan", "au", "japon"},  {"canada", "au", "canada"},
    };
    return table;
}

// Conjunctions joining two clauses. `fronted`: the subordinate clause comes first, then a comma.
struct Conjunction {
    std::vector<const char*> en;
    std::vector<const char*> fr;
    bool fronted;
};

const std::vector<Conjunction>& conjunctions() {
    static const std::vector<Conjunction> table = {
        {{"and"}, {"et"}, false},
        {{",", "but"}, {",", "mais"}, false},
        {{"because"}, {"parce", "que"}, false},
        {{"when"}, {"quand"}, false},
        {{"while"}, {"pendant", "que"}, false},
        {{"when"}, {"quand"}, true},
    };
    return table;
}

// The French present, indicative or subjunctive, 3rd person, of a verb or of its person form.
template <class Forms>
const char* conjugated(const Forms& f, bool plural, bool subjunctive) {
    return subjunctive ? (plural ? f.fr_subj_3pl : f.fr_subj_3sg) : (plural ? f.fr_3pl : f.fr_3sg);
}

// The construction French needs for this verb with an object of class `object_cls`, when it is
// not the verb's usual one (visit + a person -> rendre visite à); nullptr otherwise.
const PersonForm* person_form(const Verb& v, unsigned object_cls) {
    return (object_cls & kHuman) ? v.with_person : nullptr;
}

}  // namespace

Phrase TranslationGrammar::relative_clause(const NounInfo& head, int depth) {
    Phrase p;
    // Object relative: "the book that the man reads" -> "le livre que l' homme lit".
    std::vector<const Verb*> takes_head;
    for (const Verb& v : verbs())
        if (v.kind == VerbKind::direct && (v.obj & head.cls)) takes_head.push_back(&v);
    if (!takes_head.empty() && chance(0.4f)) {
        const Verb& v = *pick(rng_, takes_head);
        // A person is visited with "rendre visite à", so the relative pronoun takes the "à":
        // "the mother that pierre visits" -> "la mère à qui pierre rend visite".
        const PersonForm* person = person_form(v, head.cls);
        int that = en(p, "that");
        if (person) fr(p, person->fr_prep, {that});
        fr(p, person ? "qui" : "que", {that});
        NounInfo subj;
        NpOptions opt;
        opt.cls = v.subj;
        opt.pronoun = true;
        opt.subject = true;
        append(p, noun_phrase(opt, depth + 1, subj));
        int id = en(p, subj.plural ? v.en_base : v.en_3sg);
        fr(p, person ? conjugated(*person, subj.plural, false) : conjugated(v, subj.plural, false), {id});
        if (person) fr(p, person->fr_noun, {id});
        if (v.en_prep[0]) en(p, v.en_prep);  // stranded: "the dog that the man waits for"
        return p;
    }
    // Subject relative: "the man that sleeps" -> "l' homme qui dort".
    fr(p, "qui", {en(p, "that")});
    append(p, verb_phrase(head, depth));
    return p;
}

Phrase TranslationGrammar::predicate_adjective(const NounInfo& subject) {
    std::vector<const Adjective*> c;
    for (const Adjective& a : adjectives())
        if ((a.cls & subject.cls) && a.kind != AdjKind::type) c.push_back(&a);
    const Adjective& a = *pick(rng_, c);
    Phrase p;
    const char* f = subject.plural ? (subject.fem ? a.fp : a.mp) : (subject.fem ? a.fs : a.ms);
    fr(p, f, {en(p, a.en)});
    return p;
}

Phrase TranslationGrammar::adjunct() {
    Phrase p;
    unsigned r = rng_.below(10);
    if (r < 4) {
        const TimeExpression& t = pick(rng_, time_expressions());
        std::vector<int> ids;
        for (const char* w : t.en) ids.push_back(en(p, w));
        for (std::size_t k = 0; k < t.fr.size(); ++k) {
            std::vector<int> src;
            for (int i : t.links[k]) src.push_back(ids[static_cast<std::size_t>(i)]);
            fr(p, t.fr[k], src);
        }
    } else if (r < 6) {
        const Place& pl = pick(rng_, named_places());
        int in = en(p, "in");
        int name = en(p, pl.en);
        fr(p, pl.fr_prep, {in});
        fr(p, pl.fr, {name});
    } else {
        p = prepositional_phrase(2, 1);
    }
    return p;
}

Phrase TranslationGrammar::verb_phrase(const NounInfo& subject, int depth, bool subjunctive) {
    Phrase p;
    const bool pl = subject.plural;
    const bool neg = chance(0.15f);
    const bool never = !neg && chance(0.05f);
    const WordPair* adv = (!neg && !never && chance(0.12f)) ? &pick(rng_, adverbs()) : nullptr;

    // "is / are" + an adjective that agrees with the subject, or a place.
    if (!(subject.cls & kAnimate) || chance(0.18f)) {
        int be = en(p, pl ? "are" : "is");
        int n = -1;
        if (neg) n = en(p, "not");
        if (never) n = en(p, "never");
        if (adv) n = en(p, adv->en);
        if (neg || never) fr(p, "ne", {n});
        fr(p, subjunctive ? (pl ? "soient" : "soit") : (pl ? "sont" : "est"), {be});
        if (neg || never || adv) fr(p, neg ? "pas" : never ? "jamais" : adv->fr, {n});
        if (!(subject.cls & kIdea) && chance(0.25f))
            append(p, prepositional_phrase(depth + 1, 0));
        else
            append(p, predicate_adjective(subject));
        if (chance(0.05f + rich(0.2f))) append(p, adjunct());
        return p;
    }

    const Verb* v = nullptr;
    do v = &pick(rng_, verbs());
    while (!(v->subj & subject.cls) || (v->kind == VerbKind::clausal && depth > 0));

    // English: "does not see", "never sees", "often sees", "sees". `mod` is not / never / the adverb.
    const int does = neg ? en(p, pl ? "do" : "does") : -1;
    const int mod = neg ? en(p, "not") : never ? en(p, "never") : adv ? en(p, adv->en) : -1;
    const int verb_id = en(p, pl || neg ? v->en_base : v->en_3sg);

    // What follows the verb: its object, or "que" and a clause. It is drawn before the French verb
    // is written because the object may change the verb: visite le musée, rend visite à la mère.
    Phrase rest;
    NounInfo obj;
    NpOptions opt;
    opt.cls = v->obj;
    opt.negated = neg || never;
    switch (v->kind) {
        case VerbKind::intransitive:
            break;
        case VerbKind::direct:
            if (v->en_prep[0]) en(p, v->en_prep);  // listens to X -> écoute X
            opt.direct_cls = v->with_person ? ~kHuman : ~0u;
            rest = noun_phrase(opt, depth + 1, obj);
            break;
        case VerbKind::indirect: {
            int prep = v->en_prep[0] ? en(p, v->en_prep) : verb_id;  // answers X -> répond à X
            fr(rest, v->fr_prep, {prep});
            append(rest, noun_phrase(opt, depth + 1, obj));
            break;
        }
        case VerbKind::clausal: {
            // "that" may be left out in English; French always says "que".
            int that = chance(0.7f) ? en(p, "that") : verb_id;
            fr(rest, "que", {that});
            append(rest, clause(depth + 1, (neg || never) && v->negated_takes_subjunctive));
            break;
        }
    }

    // French: ne + verb + pas / jamais, or verb + adverb; "does" goes into the verb's ending.
    const PersonForm* person = person_form(*v, obj.cls);
    const char* fverb = person ? conjugated(*person, pl, subjunctive) : conjugated(*v, pl, subjunctive);
    if (neg || never) fr(p, "ne", {mod});
    fr(p, fverb, neg ? std::vector<int>{does, verb_id} : std::vector<int>{verb_id});
    if (mod >= 0) fr(p, neg ? "pas" : never ? "jamais" : adv->fr, {mod});
    if (person) {  // ne rend pas visite à: the noun and the preposition follow pas too
        fr(p, person->fr_noun, {verb_id});
        fr(p, person->fr_prep, {verb_id});
    }
    append(p, rest);
    // No time or place after a "that" clause: it would read as part of that clause.
    if (v->kind != VerbKind::clausal && chance(0.08f + rich(0.25f))) append(p, adjunct());
    return p;
}

Phrase TranslationGrammar::clause(int depth, bool subjunctive) {
    unsigned r = rng_.below(100);
    unsigned cls = r < 62 ? kHuman : r < 84 ? kAnimal : (kThing | kPlace | kIdea);
    NounInfo subj;
    NpOptions opt;
    opt.cls = cls;
    opt.pronoun = true;
    opt.subject = true;
    Phrase p;
    if (depth == 0 && (cls & kAnimate) && chance(rich(0.12f))) {
        // "the cat and the dog sleep": plural, and masculine unless both are feminine.
        NounInfo a, b;
        opt.pronoun = false;
        Phrase first = noun_phrase(opt, depth + 1, a), second;
        do second = noun_phrase(opt, depth + 1, b);  // not "pierre and pierre"
        while (second.fr.size() == first.fr.size() && second.fr[0].text == first.fr[0].text &&
               second.fr.back().text == first.fr.back().text);
        append(p, first);
        fr(p, "et", {en(p, "and")});
        append(p, second);
        subj.plural = true;
        subj.fem = a.fem && b.fem;
        subj.cls = cls;
    } else {
        p = noun_phrase(opt, depth, subj);
    }
    append(p, verb_phrase(subj, depth, subjunctive));
    return p;
}

SentencePair TranslationGrammar::sentence(float richness) {
    richness_ = richness;
    next_id_ = 0;
    Phrase s;
    if (chance(rich(0.9f))) {
        const Conjunction& c = pick(rng_, conjunctions());
        Phrase first = clause(0), second = clause(1);
        Phrase conj;
        std::vector<int> ids;
        for (const char* w : c.en) ids.push_back(en(conj, w));
        for (std::size_t k = 0; k < c.fr.size(); ++k)
            fr(conj, c.fr[k], {ids[k < ids.size() ? k : ids.size() - 1]});
        if (c.fronted) {  // "when the cat sleeps , the dog runs ."
            append(s, conj);
            append(s, second);
            fr(s, ",", {en(s, ",")});
            append(s, first);
        } else {
            append(s, first);
            append(s, conj);
            append(s, second);
        }
    } else {
        s = clause(0);
    }
    fr(s, ".", {en(s, ".")});

    // English: a -> an before a vowel sound.  French: elision and contraction.
    for (std::size_t i = 0; i + 1 < s.en.size(); ++i) {
        const std::string& nx = s.en[i + 1].text;
        if (s.en[i].text == "a" && !nx.empty() && std::string("aeiou").find(nx[0]) != std::string::npos &&
            nx.rfind("eu", 0) != 0 && nx.rfind("uni", 0) != 0)
            s.en[i].text = "an";
    }
    apply_french_spelling(s.fr);

    SentencePair out;
    std::map<int, int> index;  // English word id -> position
    for (const EnWord& w : s.en) {
        index[w.id] = static_cast<int>(out.en.size());
        out.en.push_back(w.text);
    }
    for (std::size_t j = 0; j < s.fr.size(); ++j) {
        out.fr.push_back(s.fr[j].text);
        for (int id : s.fr[j].src) out.alignment.emplace_back(index.at(id), static_cast<int>(j));
    }
    std::sort(out.alignment.begin(), out.alignment.end());
    out.alignment.erase(std::unique(out.alignment.begin(), out.alignment.end()), out.alignment.end());
    return out;
}

}  // namespace dikkat::gen
