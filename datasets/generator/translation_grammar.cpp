// The grammar, top down: a sentence is one or two clauses; a clause is a subject noun phrase
// and a verb phrase; noun phrases take adjectives, prepositional phrases and relative clauses,
// which hold noun phrases and clauses again. Each function builds the English and the French
// side together, in each language's own order, and links every French word to its source.
#include "translation_grammar.hpp"

#include <algorithm>
#include <map>

#include <dikkat/error.hpp>

#include "common.hpp"
#include "lexicon.hpp"

namespace dikkat::gen {

namespace {

// kind 0: says where (fits after "is"); 1: with / without (fits after a verb); 2: of.
struct Preposition {
    std::vector<const char*> en;
    std::vector<const char*> fr;
    unsigned obj;
    int kind;
};

// Prepositions that modify a noun ("the book on the table"). English and French may differ in
// length ("in front of" -> "devant", "near" -> "près de"); every French word of a preposition
// is linked to every English word of it.
const std::vector<Preposition>& prepositions() {
    static const std::vector<Preposition> table = {
        {{"in"}, {"dans"}, kPlace, 0},
        {{"on"}, {"sur"}, kThing, 0},
        {{"under"}, {"sous"}, kThing | kPlace, 0},
        {{"near"}, {"près", "de"}, kPlace | kThing | kAnimate, 0},
        {{"behind"}, {"derrière"}, kPlace | kThing | kAnimate, 0},
        {{"with"}, {"avec"}, kAnimate | kThing, 1},
        {{"of"}, {"de"}, kThing | kPlace | kIdea, 2},
        {{"next", "to"}, {"à", "côté", "de"}, kPlace | kThing | kAnimate, 0},
        {{"in", "front", "of"}, {"devant"}, kPlace | kThing | kAnimate, 0},
        {{"without"}, {"sans"}, kAnimate | kThing, 1},
    };
    return table;
}

struct Institution {
    const char* noun;
    std::vector<const char*> adjectives;  // English order
};

const std::vector<Institution>& institutions() {
    static const std::vector<Institution> table = {
        {"area", {"european", "economic"}},
        {"union", {"european"}},
        {"bank", {"national"}},
        {"government", {"french"}},
        {"council", {"european"}},
        {"policy", {"european", "social"}},
        {"committee", {"national", "economic"}},
        {"region", {"italian", "economic"}},
    };
    return table;
}

const Noun& find_noun(const std::string& en_sg) {
    for (const Noun& n : nouns())
        if (en_sg == n.en_sg) return n;
    throw ValueError("lexicon: no noun " + en_sg);
}

const Adjective& find_adjective(const std::string& en) {
    for (const Adjective& a : adjectives())
        if (en == a.en) return a;
    throw ValueError("lexicon: no adjective " + en);
}

bool is_vowel_letter(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

}  // namespace

bool starts_with_vowel_sound(const std::string& w) {
    if (w.empty()) return false;
    if (is_vowel_letter(w[0]) || w[0] == 'y' || w[0] == 'h') return true;  // every h here is mute
    static const char* accented[] = {"é", "è", "ê", "à", "â", "î", "ô", "û", "œ"};
    for (const char* a : accented)
        if (w.rfind(a, 0) == 0) return true;
    return false;
}

void apply_french_spelling(std::vector<FrWord>& w) {
    auto merge = [&w](std::size_t i, const char* text) {  // w[i] and w[i+1] become one word
        w[i].text = text;
        w[i].src.insert(w[i].src.end(), w[i + 1].src.begin(), w[i + 1].src.end());
        w.erase(w.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    };
    // 1. Articles before a vowel: le/la -> l', ce -> cet.
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
        if (!starts_with_vowel_sound(w[i + 1].text)) continue;
        if (w[i].text == "le" || w[i].text == "la") w[i].text = "l'";
        if (w[i].text == "ce") w[i].text = "cet";
    }
    // 2. Contractions (after step 1: "de l' homme" does not contract).
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
        const std::string& a = w[i].text;
        const std::string& b = w[i + 1].text;
        if (a == "de" && b == "le")
            merge(i, "du");
        else if (a == "de" && b == "les")
            merge(i, "des");
        else if (a == "de" && (b == "des" || b == "de"))
            merge(i, "de");  // parle de grandes idées
        else if (a == "à" && b == "le")
            merge(i, "au");
        else if (a == "à" && b == "les")
            merge(i, "aux");
    }
    // 3. Elision of de, que, ne before a vowel.
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
        if (!starts_with_vowel_sound(w[i + 1].text)) continue;
        if (w[i].text == "de")
            w[i].text = "d'";
        else if (w[i].text == "que")
            w[i].text = "qu'";
        else if (w[i].text == "ne")
            w[i].text = "n'";
    }
}

int TranslationGrammar::en(Phrase& p, const std::string& word) {
    p.en.push_back({word, next_id_});
    return next_id_++;
}

void TranslationGrammar::fr(Phrase& p, const std::string& word, std::vector<int> src) {
    p.fr.push_back({word, std::move(src)});
}

// ---- noun phrases -----------------------------------------------------------------------

Phrase TranslationGrammar::noun_phrase(const NpOptions& opt, int depth, NounInfo& info) {
    Phrase p;
    info.plural = false;
    if (opt.cls & kHuman) {
        if (opt.pronoun && chance(0.08f)) {  // he / she
            info.fem = chance(0.5f);
            info.cls = kHuman;
            bool m = !info.fem;
            fr(p, m ? "il" : "elle", {en(p, m ? "he" : "she")});
            return p;
        }
        if (chance(0.08f)) {  // a name
            const Name& n = pick(rng_, names());
            info.fem = n.gender == Gender::fem;
            info.cls = kHuman;
            fr(p, n.fr, {en(p, n.en)});
            return p;
        }
    }
    // Now and then a fixed name of an institution, built by the same rules as any other noun
    // phrase: "the european economic area" -> "la zone économique européenne".
    const Institution* inst = nullptr;
    if ((opt.cls & kIdea) && chance(0.03f)) inst = &pick(rng_, institutions());
    const Noun* noun = nullptr;
    if (inst)
        noun = &find_noun(inst->noun);
    else {
        do noun = &pick(rng_, nouns());
        while ((noun->cls & opt.cls) == 0);
    }
    info.fem = noun->gender == Gender::fem;
    info.cls = noun->cls;
    info.plural = !inst && chance(0.35f);
    const bool pl = info.plural, fem = info.fem;

    // Adjectives: at most one before the noun, at most two after it.
    const Adjective* pre = nullptr;
    std::vector<const Adjective*> post;  // English order
    auto find_adj = [&](auto ok) {
        std::vector<const Adjective*> c;
        for (const Adjective& a : adjectives())
            if ((a.cls & noun->cls) && ok(a)) c.push_back(&a);
        return c.empty() ? nullptr : pick(rng_, c);
    };
    if (inst) {
        for (const char* a : inst->adjectives) post.push_back(&find_adjective(a));
    } else if (chance(0.12f + rich(0.2f))) {
        pre = find_adj(
            [&](const Adjective& a) { return a.kind == AdjKind::before && !reads_as_compound(a, *noun); });
    }
    if (!inst && chance(0.15f + rich(0.3f))) {
        const Adjective* a = find_adj([](const Adjective& x) { return x.kind != AdjKind::before; });
        if (a) post.push_back(a);
        // A second one: (quality|colour|origin, then origin|type) in English order, mirrored in
        // French: "european economic area" -> "zone économique européenne".
        if (a && a->kind != AdjKind::type && chance(0.35f)) {
            const AdjKind k1 = a->kind;
            const Adjective* b = find_adj([k1](const Adjective& x) {
                if (x.kind == AdjKind::type) return k1 != AdjKind::colour;
                return x.kind == AdjKind::origin && k1 != AdjKind::origin;
            });
            if (b) post.push_back(b);
        }
    }
    auto form = [&](const Adjective& a) -> std::string {
        return pl ? (fem ? a.fp : a.mp) : (fem ? a.fs : a.ms);
    };

    // Determiner. The possessive ("marie 's dog" -> "le chien de marie") is built at the end.
    enum class Det { the, a, some, this_, two, three, bare, possessive } det;
    unsigned r = rng_.below(100);
    if (!pl)
        det = r < 55 ? Det::the : r < 82 ? Det::a : r < 94 ? Det::this_ : Det::possessive;
    else
        det = r < 45   ? Det::the
              : r < 60 ? Det::some
              : r < 70 ? Det::this_
              : r < 76 ? Det::two
              : r < 82 ? Det::three
              : r < 94 ? Det::bare
                       : Det::possessive;
    if (det == Det::possessive && (depth >= 2 || (noun->cls & kHuman))) det = Det::the;
    // An English bare plural is generic only as a subject; elsewhere French would want "des".
    if (det == Det::bare && !opt.subject) det = Det::the;
    if ((det == Det::a || det == Det::some) && opt.no_indefinite) det = Det::the;
    if (inst) det = Det::the;
    // The object of a negated verb says "none": ne voit pas de chats, ne parle pas de tables. So
    // English says "any"; "does not see some cats" means there are cats it does not see (ne voit
    // pas certains chats), another sentence. A direct object's un / une / des become "de".
    const bool indefinite = det == Det::a || det == Det::some;
    const bool pas_de = opt.negated && indefinite && (noun->cls & opt.direct_cls) != 0;

    Phrase owner;  // the possessor, English before the noun, French after it
    int en_det = -1, en_pre = -1, en_noun = -1, en_s = -1;
    std::vector<int> en_post;
    if (det == Det::possessive) {
        if (chance(0.5f)) {
            const Name& n = pick(rng_, names());
            fr(owner, n.fr, {en(owner, n.en)});
        } else {
            const Noun* o = nullptr;
            do o = &pick(rng_, nouns());
            while (!(o->cls & kHuman));
            int t = en(owner, "the");
            int w = en(owner, o->en_sg);
            fr(owner, o->gender == Gender::fem ? "la" : "le", {t});
            fr(owner, o->fr_sg, {w});
        }
        p.en = owner.en;
        en_s = en(p, "'s");
    } else if (det != Det::bare) {
        const char* word = det == Det::the     ? "the"
                           : det == Det::a     ? "a"
                           : det == Det::some  ? (opt.negated ? "any" : "some")
                           : det == Det::this_ ? (pl ? "these" : "this")
                           : det == Det::two   ? "two"
                                               : "three";
        en_det = en(p, word);
    }
    if (pre) en_pre = en(p, pre->en);
    for (const Adjective* a : post) en_post.push_back(en(p, a->en));
    en_noun = en(p, pl ? noun->en_pl : noun->en_sg);

    // French determiner.
    std::string fdet;
    std::vector<int> fdet_src = {en_det};
    if (det == Det::possessive || det == Det::the || det == Det::bare) {
        fdet = pl ? "les" : fem ? "la" : "le";
        fdet_src = {det == Det::possessive ? en_s : det == Det::bare ? en_noun : en_det};
    } else if (pas_de) {
        fdet = "de";  // pas de chat, jamais de pommes
    } else if (det == Det::a) {
        fdet = fem ? "une" : "un";
    } else if (det == Det::some) {
        fdet = pre ? "de" : "des";  // des chats, but de petits chats
    } else if (det == Det::this_) {
        fdet = pl ? "ces" : fem ? "cette" : "ce";  // ce -> cet before a vowel, later
    } else {
        fdet = det == Det::two ? "deux" : "trois";
    }
    fr(p, fdet, fdet_src);
    const std::string fnoun = pl ? noun->fr_pl : noun->fr_sg;
    if (pre) {
        bool alt = !pl && !fem && pre->ms_vowel && starts_with_vowel_sound(fnoun);
        fr(p, alt ? pre->ms_vowel : form(*pre), {en_pre});
    }
    fr(p, fnoun, {en_noun});
    for (std::size_t k = post.size(); k-- > 0;) fr(p, form(*post[k]), {en_post[k]});
    if (det == Det::possessive) {
        fr(p, "de", {en_s});
        p.fr.insert(p.fr.end(), owner.fr.begin(), owner.fr.end());
    }

    // Post-modifiers: a prepositional phrase and/or a relative clause.
    if (depth < 2 && chance(rich(0.45f))) append(p, prepositional_phrase(depth + 1, 2));
    if (depth < 2 && chance(rich(0.3f))) append(p, relative_clause(info, depth + 1));
    return p;
}

Phrase TranslationGrammar::prepositional_phrase(int depth, int max_kind) {
    const Preposition* pp = nullptr;
    do pp = &pick(rng_, prepositions());
    while (pp->kind > max_kind);
    const Preposition& prep = *pp;
    Phrase p;
    std::vector<int> ids;
    for (const char* w : prep.en) ids.push_back(en(p, w));
    for (const char* w : prep.fr) fr(p, w, ids);
    NounInfo info;
    NpOptions opt;
    opt.cls = prep.obj;
    opt.no_indefinite = prep.fr[0] == std::string("sans");
    append(p, noun_phrase(opt, depth, info));
    return p;
}

}  // namespace dikkat::gen
