#include "lexicon.hpp"

#include <string>

namespace dikkat::gen {

namespace {
constexpr Gender M = Gender::masc;
constexpr Gender F = Gender::fem;
constexpr unsigned H = kHuman, A = kAnimal, T = kThing, P = kPlace, I = kIdea, R = kReadable, O = kOpenable,
                   E = kFood;
}  // namespace

const std::vector<Noun>& nouns() {
    static const std::vector<Noun> table = {
        // people
        {"man", "men", "homme", "hommes", M, H},
        {"woman", "women", "femme", "femmes", F, H},
        {"child", "children", "enfant", "enfants", M, H},
        {"boy", "boys", "garçon", "garçons", M, H},
        {"girl", "girls", "fille", "filles", F, H},
        {"teacher", "teachers", "professeur", "professeurs", M, H},
        {"doctor", "doctors", "médecin", "médecins", M, H},
        {"student", "students", "étudiant", "étudiants", M, H},
        {"friend", "friends", "ami", "amis", M, H},
        {"neighbour", "neighbours", "voisin", "voisins", M, H},
        {"king", "kings", "roi", "rois", M, H},
        {"queen", "queens", "reine", "reines", F, H},
        {"farmer", "farmers", "fermier", "fermiers", M, H},
        {"writer", "writers", "écrivain", "écrivains", M, H},
        {"engineer", "engineers", "ingénieur", "ingénieurs", M, H},
        {"sister", "sisters", "sœur", "sœurs", F, H},
        {"brother", "brothers", "frère", "frères", M, H},
        {"mother", "mothers", "mère", "mères", F, H},
        {"father", "fathers", "père", "pères", M, H},
        {"nurse", "nurses", "infirmière", "infirmières", F, H},
        {"lawyer", "lawyers", "avocat", "avocats", M, H},
        {"actress", "actresses", "actrice", "actrices", F, H},
        {"president", "presidents", "président", "présidents", M, H},
        {"minister", "ministers", "ministre", "ministres", M, H},
        {"singer", "singers", "chanteur", "chanteurs", M, H},
        // animals
        {"cat", "cats", "chat", "chats", M, A},
        {"dog", "dogs", "chien", "chiens", M, A},
        {"bird", "birds", "oiseau", "oiseaux", M, A},
        {"horse", "horses", "cheval", "chevaux", M, A},
        {"cow", "cows", "vache", "vaches", F, A},
        {"mouse", "mice", "souris", "souris", F, A},
        {"fox", "foxes", "renard", "renards", M, A},
        {"rabbit", "rabbits", "lapin", "lapins", M, A},
        {"bear", "bears", "ours", "ours", M, A},
        {"duck", "ducks", "canard", "canards", M, A},
        {"goat", "goats", "chèvre", "chèvres", F, A},
        {"wolf", "wolves", "loup", "loups", M, A},
        {"elephant", "elephants", "éléphant", "éléphants", M, A},
        {"lion", "lions", "lion", "lions", M, A},
        {"snake", "snakes", "serpent", "serpents", M, A},
        // things
        {"book", "books", "livre", "livres", M, T | R | O},
        {"letter", "letters", "lettre", "lettres", F, T | R | O},
        {"newspaper", "newspapers", "journal", "journaux", M, T | R},
        {"map", "maps", "carte", "cartes", F, T | R},
        {"table", "tables", "table", "tables", F, T},
        {"chair", "chairs", "chaise", "chaises", F, T},
        {"car", "cars", "voiture", "voitures", F, T | O},
        {"key", "keys", "clé", "clés", F, T},
        {"box", "boxes", "boîte", "boîtes", F, T | O},
        {"bag", "bags", "sac", "sacs", M, T | O},
        {"painting", "paintings", "tableau", "tableaux", M, T},
        {"apple", "apples", "pomme", "pommes", F, T | E},
        {"cup", "cups", "tasse", "tasses", F, T},
        {"glass", "glasses", "verre", "verres", M, T},
        {"door", "doors", "porte", "portes", F, T | O},
        {"window", "windows", "fenêtre", "fenêtres", F, T | O},
        {"computer", "computers", "ordinateur", "ordinateurs", M, T},
        {"phone", "phones", "téléphone", "téléphones", M, T},
        {"bicycle", "bicycles", "vélo", "vélos", M, T},
        {"boat", "boats", "bateau", "bateaux", M, T},
        {"ball", "balls", "ballon", "ballons", M, T},
        {"hat", "hats", "chapeau", "chapeaux", M, T},
        {"dress", "dresses", "robe", "robes", F, T},
        {"umbrella", "umbrellas", "parapluie", "parapluies", M, T | O},
        {"bottle", "bottles", "bouteille", "bouteilles", F, T | O},
        {"plate", "plates", "assiette", "assiettes", F, T},
        {"clock", "clocks", "horloge", "horloges", F, T},
        {"lamp", "lamps", "lampe", "lampes", F, T},
        {"coat", "coats", "manteau", "manteaux", M, T},
        {"shoe", "shoes", "chaussure", "chaussures", F, T},
        {"knife", "knives", "couteau", "couteaux", M, T},
        {"egg", "eggs", "œuf", "œufs", M, T | E},
        {"cake", "cakes", "gâteau", "gâteaux", M, T | E},
        // places
        {"house", "houses", "maison", "maisons", F, P},
        {"garden", "gardens", "jardin", "jardins", M, P},
        {"city", "cities", "ville", "villes", F, P},
        {"village", "villages", "village", "villages", M, P},
        {"school", "schools", "école", "écoles", F, P},
        {"hospital", "hospitals", "hôpital", "hôpitaux", M, P},
        {"market", "markets", "marché", "marchés", M, P},
        {"church", "churches", "église", "églises", F, P},
        {"station", "stations", "gare", "gares", F, P},
        {"museum", "museums", "musée", "musées", M, P},
        {"library", "libraries", "bibliothèque", "bibliothèques", F, P},
        {"park", "parks", "parc", "parcs", M, P},
        {"river", "rivers", "rivière", "rivières", F, P},
        {"forest", "forests", "forêt", "forêts", F, P},
        {"kitchen", "kitchens", "cuisine", "cuisines", F, P},
        {"office", "offices", "bureau", "bureaux", M, P},
        {"hotel", "hotels", "hôtel", "hôtels", M, P},
        {"street", "streets", "rue", "rues", F, P},
        {"bridge", "bridges", "pont", "ponts", M, P},
        {"farm", "farms", "ferme", "fermes", F, P},
        {"island", "islands", "île", "îles", F, P},
        {"beach", "beaches", "plage", "plages", F, P},
        {"restaurant", "restaurants", "restaurant", "restaurants", M, P},
        {"shop", "shops", "magasin", "magasins", M, P | O},
        {"area", "areas", "zone", "zones", F, P | I},
        {"region", "regions", "région", "régions", F, P | I},
        {"country", "countries", "pays", "pays", M, P | I},
        // ideas and institutions
        {"idea", "ideas", "idée", "idées", F, I},
        {"plan", "plans", "plan", "plans", M, I | R},
        {"report", "reports", "rapport", "rapports", M, I | R},
        {"question", "questions", "question", "questions", F, I},
        {"problem", "problems", "problème", "problèmes", M, I},
        {"law", "laws", "loi", "lois", F, I | R},
        {"decision", "decisions", "décision", "décisions", F, I},
        {"project", "projects", "projet", "projets", M, I},
        {"agreement", "agreements", "accord", "accords", M, I | R},
        {"policy", "policies", "politique", "politiques", F, I},
        {"committee", "committees", "comité", "comités", M, I},
        {"company", "companies", "entreprise", "entreprises", F, I},
        {"government", "governments", "gouvernement", "gouvernements", M, I},
        {"council", "councils", "conseil", "conseils", M, I},
        {"union", "unions", "union", "unions", F, I},
        {"bank", "banks", "banque", "banques", F, I},
        {"system", "systems", "système", "systèmes", M, I},
        {"story", "stories", "histoire", "histoires", F, I | R},
        {"song", "songs", "chanson", "chansons", F, I},
        {"film", "films", "film", "films", M, I},
        {"game", "games", "jeu", "jeux", M, I},
        {"meeting", "meetings", "réunion", "réunions", F, I},
        {"answer", "answers", "réponse", "réponses", F, I},
        {"price", "prices", "prix", "prix", M, I},
        {"result", "results", "résultat", "résultats", M, I},
        {"error", "errors", "erreur", "erreurs", F, I},
    };
    return table;
}

const std::vector<Adjective>& adjectives() {
    using K = AdjKind;
    static const std::vector<Adjective> table = {
        // the few that go before the noun
        {"small", "petit", "petite", "petits", "petites", nullptr, K::before, H | A | T | P},
        {"big", "grand", "grande", "grands", "grandes", nullptr, K::before, H | A | T | P | I},
        {"beautiful", "beau", "belle", "beaux", "belles", "bel", K::before, H | A | T | P},
        {"good", "bon", "bonne", "bons", "bonnes", nullptr, K::before, H | A | T | I},
        {"old", "vieux", "vieille", "vieux", "vieilles", "vieil", K::before, H | A | T | P},
        {"young", "jeune", "jeune", "jeunes", "jeunes", nullptr, K::before, H | A},
        {"new", "nouveau", "nouvelle", "nouveaux", "nouvelles", "nouvel", K::before, T | P | I},
        // colours
        {"red", "rouge", "rouge", "rouges", "rouges", nullptr, K::colour, T},
        {"black", "noir", "noire", "noirs", "noires", nullptr, K::colour, T | A},
        {"white", "blanc", "blanche", "blancs", "blanches", nullptr, K::colour, T | A},
        {"green", "vert", "verte", "verts", "vertes", nullptr, K::colour, T},
        {"blue", "bleu", "bleue", "bleus", "bleues", nullptr, K::colour, T},
        // where something comes from
        {"european", "européen", "européenne", "européens", "européennes", nullptr, K::origin, H | T | P | I},
        {"french", "français", "française", "français", "françaises", nullptr, K::origin, H | T | P | I},
        {"german", "allemand", "allemande", "allemands", "allemandes", nullptr, K::origin, H | T | P | I},
        {"italian", "italien", "italienne", "italiens", "italiennes", nullptr, K::origin, H | T | P | I},
        {"english", "anglais", "anglaise", "anglais", "anglaises", nullptr, K::origin, H | T | P | I},
        // what kind of thing it is
        {"economic", "économique", "économique", "économiques", "économiques", nullptr, K::type, P | I},
        {"political", "politique", "politique", "politiques", "politiques", nullptr, K::type, I},
        {"social", "social", "sociale", "sociaux", "sociales", nullptr, K::type, I},
        {"public", "public", "publique", "publics", "publiques", nullptr, K::type, P | I},
        {"national", "national", "nationale", "nationaux", "nationales", nullptr, K::type, P | I},
        // qualities and states
        {"happy", "heureux", "heureuse", "heureux", "heureuses", nullptr, K::quality, H | A},
        {"tired", "fatigué", "fatiguée", "fatigués", "fatiguées", nullptr, K::quality, H | A},
        {"sad", "triste", "triste", "tristes", "tristes", nullptr, K::quality, H | A},
        {"busy", "occupé", "occupée", "occupés", "occupées", nullptr, K::quality, H},
        {"clever", "intelligent", "intelligente", "intelligents", "intelligentes", nullptr, K::quality,
         H | A},
        {"famous", "célèbre", "célèbre", "célèbres", "célèbres", nullptr, K::quality, H | T | P | I},
        {"important", "important", "importante", "importants", "importantes", nullptr, K::quality, H | P | I},
        {"modern", "moderne", "moderne", "modernes", "modernes", nullptr, K::quality, T | P | I},
        {"difficult", "difficile", "difficile", "difficiles", "difficiles", nullptr, K::quality, I},
        {"empty", "vide", "vide", "vides", "vides", nullptr, K::quality, T | P},
        {"expensive", "cher", "chère", "chers", "chères", nullptr, K::quality, T | P},
        {"heavy", "lourd", "lourde", "lourds", "lourdes", nullptr, K::quality, T},
        {"quiet", "calme", "calme", "calmes", "calmes", nullptr, K::quality, H | A | P},
        {"strong", "fort", "forte", "forts", "fortes", nullptr, K::quality, H | A},
        {"cold", "froid", "froide", "froids", "froides", nullptr, K::quality, T | P},
        {"dark", "sombre", "sombre", "sombres", "sombres", nullptr, K::quality, T | P},
        {"slow", "lent", "lente", "lents", "lentes", nullptr, K::quality, H | A | T},
        {"round", "rond", "ronde", "ronds", "rondes", nullptr, K::quality, T},
        {"dangerous", "dangereux", "dangereuse", "dangereux", "dangereuses", nullptr, K::quality, A | P | I},
    };
    return table;
}

// visits the mother -> rend visite à la mère (visiter is for places).
const PersonForm kRendreVisite = {"rend", "rendent", "rende", "rendent", "visite", "à"};

const std::vector<Verb>& verbs() {
    using K = VerbKind;
    static const std::vector<Verb> table = {
        {"sleeps", "sleep", "dort", "dorment", "dorme", "dorment", K::intransitive, H | A, 0, "", ""},
        {"works", "work", "travaille", "travaillent", "travaille", "travaillent", K::intransitive, H, 0, "",
         ""},
        {"arrives", "arrive", "arrive", "arrivent", "arrive", "arrivent", K::intransitive, H | A, 0, "", ""},
        {"waits", "wait", "attend", "attendent", "attende", "attendent", K::intransitive, H | A, 0, "", ""},
        {"laughs", "laugh", "rit", "rient", "rie", "rient", K::intransitive, H, 0, "", ""},
        {"sings", "sing", "chante", "chantent", "chante", "chantent", K::intransitive, H, 0, "", ""},
        {"runs", "run", "court", "courent", "coure", "courent", K::intransitive, H | A, 0, "", ""},
        {"swims", "swim", "nage", "nagent", "nage", "nagent", K::intransitive, H | A, 0, "", ""},
        {"eats", "eat", "mange", "mangent", "mange", "mangent", K::intransitive, H | A, 0, "", ""},
        {"plays", "play", "joue", "jouent", "joue", "jouent", K::intransitive, H | A, 0, "", ""},
        {"walks", "walk", "marche", "marchent", "marche", "marchent", K::intransitive, H | A, 0, "", ""},
        {"leaves", "leave", "part", "partent", "parte", "partent", K::intransitive, H | A, 0, "", ""},
        {"sees", "see", "voit", "voient", "voie", "voient", K::direct, H | A, kAny, "", ""},
        {"likes", "like", "aime", "aiment", "aime", "aiment", K::direct, H | A, kAny, "", ""},
        {"watches", "watch", "regarde", "regardent", "regarde", "regardent", K::direct, H | A, kAny, "", ""},
        {"finds", "find", "trouve", "trouvent", "trouve", "trouvent", K::direct, H | A, H | A | T | P, "",
         ""},
        {"reads", "read", "lit", "lisent", "lise", "lisent", K::direct, H, R, "", ""},
        {"builds", "build", "construit", "construisent", "construise", "construisent", K::direct, H, P | T,
         "", ""},
        {"visits", "visit", "visite", "visitent", "visite", "visitent", K::direct, H, P | H, "", "", false,
         &kRendreVisite},
        {"opens", "open", "ouvre", "ouvrent", "ouvre", "ouvrent", K::direct, H, O, "", ""},
        {"helps", "help", "aide", "aident", "aide", "aident", K::direct, H | A, H | A, "", ""},
        {"knows", "know", "connaît", "connaissent", "connaisse", "connaissent", K::direct, H, H | P | I, "",
         ""},
        {"buys", "buy", "achète", "achètent", "achète", "achètent", K::direct, H, T, "", ""},
        {"sells", "sell", "vend", "vendent", "vende", "vendent", K::direct, H, T, "", ""},
        {"writes", "write", "écrit", "écrivent", "écrive", "écrivent", K::direct, H, R, "", ""},
        {"carries", "carry", "porte", "portent", "porte", "portent", K::direct, H | A, T | A, "", ""},
        {"follows", "follow", "suit", "suivent", "suive", "suivent", K::direct, H | A, H | A, "", ""},
        {"chases", "chase", "poursuit", "poursuivent", "poursuive", "poursuivent", K::direct, H | A, H | A,
         "", ""},
        {"eats", "eat", "mange", "mangent", "mange", "mangent", K::direct, H | A, E, "", ""},
        {"prepares", "prepare", "prépare", "préparent", "prépare", "préparent", K::direct, H, E | R, "", ""},
        {"listens", "listen", "écoute", "écoutent", "écoute", "écoutent", K::direct, H | A, H | I, "to", ""},
        {"looks", "look", "regarde", "regardent", "regarde", "regardent", K::direct, H | A, kAny, "at", ""},
        {"waits", "wait", "attend", "attendent", "attende", "attendent", K::direct, H | A, H | A, "for", ""},
        {"looks", "look", "cherche", "cherchent", "cherche", "cherchent", K::direct, H | A, H | A | T, "for",
         ""},
        {"speaks", "speak", "parle", "parlent", "parle", "parlent", K::indirect, H, H, "to", "à"},
        {"talks", "talk", "parle", "parlent", "parle", "parlent", K::indirect, H, kAny, "about", "de"},
        {"answers", "answer", "répond", "répondent", "réponde", "répondent", K::indirect, H, I | H, "", "à"},
        {"enters", "enter", "entre", "entrent", "entre", "entrent", K::indirect, H | A, P, "", "dans"},
        {"phones", "phone", "téléphone", "téléphonent", "téléphone", "téléphonent", K::indirect, H, H, "",
         "à"},
        {"obeys", "obey", "obéit", "obéissent", "obéisse", "obéissent", K::indirect, H | A, H, "", "à"},
        {"thinks", "think", "pense", "pensent", "pense", "pensent", K::indirect, H, kAny, "about", "à"},
        {"thinks", "think", "pense", "pensent", "pense", "pensent", K::clausal, H, 0, "that", "que", true},
        {"says", "say", "dit", "disent", "dise", "disent", K::clausal, H, 0, "that", "que"},
        {"knows", "know", "sait", "savent", "sache", "sachent", K::clausal, H, 0, "that", "que"},
        {"believes", "believe", "croit", "croient", "croie", "croient", K::clausal, H, 0, "that", "que",
         true},
        {"hopes", "hope", "espère", "espèrent", "espère", "espèrent", K::clausal, H, 0, "that", "que", true},
    };
    return table;
}

const std::vector<Name>& names() {
    static const std::vector<Name> table = {
        {"marie", "marie", F}, {"sophie", "sophie", F}, {"anna", "anna", F},     {"julie", "julie", F},
        {"paul", "paul", M},   {"pierre", "pierre", M}, {"thomas", "thomas", M}, {"lucas", "lucas", M},
    };
    return table;
}

bool reads_as_compound(const Adjective& adjective, const Noun& noun) {
    // Keyed by the adjective's masculine singular and the noun's singular; every form of the pair
    // reads so (belles-mères, grands hommes, vieilles filles).
    struct Compound {
        const char* adjective;
        const char* noun;
    };
    static const Compound table[] = {
        {"beau", "père"},     // beau-père: father-in-law, stepfather
        {"beau", "mère"},     // belle-mère: mother-in-law, stepmother
        {"beau", "sœur"},     // belle-sœur: sister-in-law
        {"beau", "fille"},    // belle-fille: daughter-in-law, stepdaughter
        {"beau", "frère"},    // beau-frère: brother-in-law
        {"grand", "père"},    // grand-père: grandfather
        {"grand", "homme"},   // un grand homme: a great man, not a tall one
        {"petit", "ami"},     // petit ami: boyfriend
        {"petit", "femme"},   // petite femme: condescending
        {"bon", "femme"},     // bonne femme: pejorative
        {"bon", "sœur"},      // bonne sœur: a nun
        {"vieux", "fille"},   // vieille fille: spinster, pejorative
        {"vieux", "garçon"},  // vieux garçon: confirmed bachelor
    };
    for (const Compound& c : table)
        if (std::string(c.adjective) == adjective.ms && std::string(c.noun) == noun.fr_sg) return true;
    return false;
}

}  // namespace dikkat::gen
