// datasets/text/general/: general English for the first stage of a language model, the text a
// model reads before the film reviews (as ULMFiT reads wikipedia before imdb).
//
// What it is for, and how each aim is met:
//   - The reviews' words and sentence frames, met in other settings. Every word of the reviews
//     occurs here (the program's log prints the share, see print_review_coverage), but said of
//     novels, plays, concerts, series, games, exhibitions, meals, hotels, trips, teachers and
//     matches: "i found the dialogue superb" is about a book, "the soundtrack felt dull" about a
//     game, "the music was written by a composer from norway" about a play. Films come up now
//     and then, as they do in an encyclopedia.
//   - Facts that stay true. The real world is a set of tables (a city with its country, river and
//     sea; an animal with its food, home and young; a dish with its ingredients), and the made-up
//     part (novels, plays, series, hotels, bands, painters, festivals) is drawn once, before any
//     paragraph, with its author, year, city and plot. So a calf is always a young cow, the seine
//     always flows through paris, and a novel always has the same author.
//   - A mood, composed by the reviews' rules. About two paragraphs in three outside science and
//     geography are warm or cold and judge what they talk about with the 64 opinion words of
//     sentiment.hpp, 3 to 8 of them, by the rules that decide a labelled review: "and" joins two
//     opinions of one polarity, "not" flips one, in "A , but B" only B has the paragraph's
//     polarity, "really" strengthens an opinion and "slightly" makes one of the opposite polarity
//     a small concession. To predict the next opinion word a model must follow the mood.
//   - Variety. Thirty topics, each with its own sentence templates, filled from tables of people,
//     cities, foods, jobs, animals, plants, objects and works: some 2,600 word types, and a next
//     word that is often hard to guess (a bigram model's perplexity is about 30).
//
// A paragraph picks a topic, binds its entities once (one person, one city, one novel ...), opens
// with one of the topic's first sentences, then adds the topic's neutral sentences and, with a
// mood, opinion sentences in between. One paragraph per line, lowercase, single spaces, no
// apostrophes. The file runs from the world (1) through the topics' rules (2) and the moods (3)
// to the drawn world (4) and a paragraph (5). All randomness goes through dikkat::Rng, and no
// unordered container is iterated, so a seed always gives the same bytes.
#include <algorithm>
#include <set>

#include <dikkat/error.hpp>

#include "common.hpp"
#include "sentiment.hpp"
#include "templates.hpp"

namespace dikkat::gen {

namespace {

// ==== 1. The world: tables whose facts never change ==============================================

struct Country {
    const char* name;
    const char* continent;
    const char* language;   // the main one: "the menu was in {language}"
    const char* languages;  // all of them: "people in belgium speak dutch , french and german"
};

const std::vector<Country> kCountries = {
    {"france", "europe", "french", "french"},
    {"england", "europe", "english", "english"},
    {"scotland", "europe", "english", "english , scots and gaelic"},
    {"wales", "europe", "english", "english and welsh"},
    {"ireland", "europe", "english", "english and irish"},
    {"italy", "europe", "italian", "italian"},
    {"germany", "europe", "german", "german"},
    {"spain", "europe", "spanish", "spanish , catalan , basque and galician"},
    {"portugal", "europe", "portuguese", "portuguese"},
    {"austria", "europe", "german", "german"},
    {"hungary", "europe", "hungarian", "hungarian"},
    {"the czech republic", "europe", "czech", "czech"},
    {"slovakia", "europe", "slovak", "slovak"},
    {"serbia", "europe", "serbian", "serbian"},
    {"poland", "europe", "polish", "polish"},
    {"the netherlands", "europe", "dutch", "dutch"},
    {"belgium", "europe", "dutch", "dutch , french and german"},
    {"switzerland", "europe", "german", "german , french , italian and romansh"},
    {"denmark", "europe", "danish", "danish"},
    {"sweden", "europe", "swedish", "swedish"},
    {"norway", "europe", "norwegian", "norwegian"},
    {"finland", "europe", "finnish", "finnish and swedish"},
    {"iceland", "europe", "icelandic", "icelandic"},
    {"greece", "europe", "greek", "greek"},
    {"turkey", "europe and asia", "turkish", "turkish"},
    {"egypt", "africa", "arabic", "arabic"},
    {"kenya", "africa", "swahili", "swahili and english"},
    {"japan", "asia", "japanese", "japanese"},
    {"china", "asia", "chinese", "chinese"},
    {"india", "asia", "hindi", "hindi , english and many other languages"},
    {"canada", "north america", "english", "english and french"},
    {"the united states", "north america", "english", "english"},
    {"argentina", "south america", "spanish", "spanish"},
    {"peru", "south america", "spanish", "spanish and quechua"},
    {"australia", "oceania", "english", "english"},
    {"morocco", "africa", "arabic", "arabic and berber"},
    {"south africa", "africa", "english", "english , zulu , xhosa , afrikaans and many other languages"},
    {"mexico", "north america", "spanish", "spanish and many other languages"},
    {"brazil", "south america", "portuguese", "portuguese"},
    {"south korea", "asia", "korean", "korean"},
    {"thailand", "asia", "thai", "thai"},
};

struct City {
    const char* name;
    const char* country;
    const char* river;  // "" when we say nothing about a river
    bool capital;
    const char* sea;       // "" when it is not on a coast we name
    const char* language;  // "" for the country's main language
    const char* extra;     // one more fact, or ""
};

const std::vector<City> kCities = {
    {"paris", "france", "seine", true, "", "",
     "paris has an iron tower that was built in eighteen eighty nine"},
    {"lyon", "france", "rhone", false, "", "", ""},
    {"marseille", "france", "", false, "the mediterranean sea", "", "marseille is the oldest city in france"},
    {"bordeaux", "france", "garonne", false, "", "", "the hills around bordeaux are covered with vineyards"},
    {"london", "england", "thames", true, "", "", "the underground in london is the oldest in the world"},
    {"edinburgh", "scotland", "", true, "", "", "a castle stands on a rock in the middle of edinburgh"},
    {"cardiff", "wales", "taff", true, "", "", ""},
    {"dublin", "ireland", "liffey", true, "the irish sea", "", ""},
    {"cork", "ireland", "lee", false, "", "", ""},
    {"rome", "italy", "tiber", true, "", "", "rome has more than nine hundred churches"},
    {"florence", "italy", "arno", false, "", "", "the old bridge in florence has shops on it"},
    {"venice", "italy", "", false, "the adriatic sea", "",
     "venice is built on more than one hundred small islands"},
    {"naples", "italy", "", false, "the mediterranean sea", "",
     "a volcano called vesuvius stands near naples"},
    {"milan", "italy", "", false, "", "", ""},
    {"berlin", "germany", "spree", true, "", "", ""},
    {"hamburg", "germany", "elbe", false, "", "", "hamburg has one of the largest ports in europe"},
    {"cologne", "germany", "rhine", false, "", "",
     "the cathedral of cologne took more than six hundred years to finish"},
    {"munich", "germany", "isar", false, "", "", ""},
    {"madrid", "spain", "", true, "", "", ""},
    {"barcelona", "spain", "", false, "the mediterranean sea", "", ""},
    {"seville", "spain", "guadalquivir", false, "", "", ""},
    {"lisbon", "portugal", "tagus", true, "", "", "old yellow trams climb the steep hills of lisbon"},
    {"porto", "portugal", "douro", false, "", "", ""},
    {"vienna", "austria", "danube", true, "", "", ""},
    {"salzburg", "austria", "salzach", false, "", "", "mozart was born in salzburg"},
    {"budapest", "hungary", "danube", true, "", "", ""},
    {"prague", "the czech republic", "vltava", true, "", "", ""},
    {"bratislava", "slovakia", "danube", true, "", "", ""},
    {"belgrade", "serbia", "danube", true, "", "", ""},
    {"warsaw", "poland", "vistula", true, "", "", ""},
    {"krakow", "poland", "vistula", false, "", "", ""},
    {"amsterdam", "the netherlands", "amstel", true, "", "", "amsterdam has more bicycles than people"},
    {"brussels", "belgium", "", true, "", "french", ""},
    {"bern", "switzerland", "aare", true, "", "", ""},
    {"copenhagen", "denmark", "", true, "", "", ""},
    {"stockholm", "sweden", "", true, "the baltic sea", "", "stockholm is built on fourteen islands"},
    {"oslo", "norway", "", true, "", "", ""},
    {"helsinki", "finland", "", true, "the baltic sea", "", ""},
    {"reykjavik", "iceland", "", true, "the atlantic ocean", "",
     "reykjavik is the most northern capital in the world"},
    {"athens", "greece", "", true, "", "", "the acropolis stands on a hill above athens"},
    {"istanbul", "turkey", "", false, "", "", "istanbul lies on both sides of the bosphorus"},
    {"ankara", "turkey", "", true, "", "", ""},
    {"cairo", "egypt", "nile", true, "", "", "the pyramids of giza stand near cairo"},
    {"alexandria", "egypt", "", false, "the mediterranean sea", "", ""},
    {"nairobi", "kenya", "", true, "", "", ""},
    {"tokyo", "japan", "", true, "the pacific ocean", "", ""},
    {"kyoto", "japan", "", false, "", "", "kyoto has more than a thousand temples"},
    {"beijing", "china", "", true, "", "", ""},
    {"new delhi", "india", "", true, "", "", ""},
    {"ottawa", "canada", "", true, "", "", ""},
    {"montreal", "canada", "saint lawrence", false, "", "french", ""},
    {"new york", "the united states", "hudson", false, "the atlantic ocean", "", ""},
    {"washington", "the united states", "potomac", true, "", "", ""},
    {"buenos aires", "argentina", "", true, "", "", ""},
    {"lima", "peru", "", true, "the pacific ocean", "", ""},
    {"canberra", "australia", "", true, "", "", ""},
    {"sydney", "australia", "", false, "the pacific ocean", "", ""},
    {"glasgow", "scotland", "clyde", false, "", "", ""},
    {"liverpool", "england", "mersey", false, "", "", ""},
    {"oxford", "england", "thames", false, "", "", "oxford has one of the oldest universities in the world"},
    {"cambridge", "england", "cam", false, "", "", ""},
    {"york", "england", "ouse", false, "", "", "old city walls run around the centre of york"},
    {"nantes", "france", "loire", false, "", "", ""},
    {"strasbourg", "france", "", false, "", "", "strasbourg lies on the border with germany"},
    {"toulouse", "france", "garonne", false, "", "", ""},
    {"turin", "italy", "po", false, "", "", ""},
    {"genoa", "italy", "", false, "the ligurian sea", "", ""},
    {"verona", "italy", "adige", false, "", "", ""},
    {"bologna", "italy", "", false, "", "", "bologna has the oldest university in europe"},
    {"frankfurt", "germany", "main", false, "", "", ""},
    {"dresden", "germany", "elbe", false, "", "", ""},
    {"valencia", "spain", "", false, "the mediterranean sea", "", "paella comes from valencia"},
    {"granada", "spain", "", false, "", "",
     "an old palace called the alhambra stands on a hill above granada"},
    {"antwerp", "belgium", "scheldt", false, "", "", "antwerp has one of the largest ports in europe"},
    {"ghent", "belgium", "scheldt", false, "", "", ""},
    {"rotterdam", "the netherlands", "", false, "", "", "rotterdam has the largest port in europe"},
    {"geneva", "switzerland", "rhone", false, "", "french", "geneva lies at the end of a large lake"},
    {"zurich", "switzerland", "limmat", false, "", "", ""},
    {"bergen", "norway", "", false, "the north sea", "", "bergen is one of the rainiest cities in europe"},
    {"gothenburg", "sweden", "", false, "", "", ""},
    {"thessaloniki", "greece", "", false, "the aegean sea", "", ""},
    {"osaka", "japan", "", false, "", "", ""},
    {"toronto", "canada", "", false, "", "", "toronto lies on the shore of lake ontario"},
    {"vancouver", "canada", "", false, "the pacific ocean", "", ""},
    {"chicago", "the united states", "", false, "", "", "chicago lies on the shore of lake michigan"},
    {"boston", "the united states", "", false, "the atlantic ocean", "", ""},
    {"san francisco", "the united states", "", false, "the pacific ocean", "", ""},
    {"melbourne", "australia", "yarra", false, "", "", ""},
    {"mumbai", "india", "", false, "the arabian sea", "", ""},
    {"shanghai", "china", "", false, "", "", "shanghai has one of the largest ports in the world"},
    {"marrakesh", "morocco", "", false, "", "", ""},
    {"rabat", "morocco", "", true, "the atlantic ocean", "", ""},
    {"cape town", "south africa", "", false, "the atlantic ocean", "",
     "table mountain stands above cape town"},
    {"pretoria", "south africa", "", true, "", "", ""},
    {"mexico city", "mexico", "", true, "", "", ""},
    {"rio de janeiro", "brazil", "", false, "the atlantic ocean", "", ""},
    {"brasilia", "brazil", "", true, "", "", ""},
    {"seoul", "south korea", "han", true, "", "", ""},
    {"bangkok", "thailand", "chao phraya", true, "", "", ""},
};

// Where a river ends ("" when we say nothing).
struct River {
    const char* name;
    const char* mouth;
};

const std::vector<River> kRivers = {
    {"seine", "the english channel"},
    {"thames", "the north sea"},
    {"rhone", "the mediterranean sea"},
    {"liffey", "the irish sea"},
    {"tiber", "the mediterranean sea"},
    {"arno", "the mediterranean sea"},
    {"elbe", "the north sea"},
    {"rhine", "the north sea"},
    {"isar", "the danube"},
    {"guadalquivir", "the atlantic ocean"},
    {"tagus", "the atlantic ocean"},
    {"douro", "the atlantic ocean"},
    {"danube", "the black sea"},
    {"vltava", "the elbe"},
    {"vistula", "the baltic sea"},
    {"aare", "the rhine"},
    {"nile", "the mediterranean sea"},
    {"yamuna", "the ganges"},
    {"saint lawrence", "the atlantic ocean"},
    {"hudson", "the atlantic ocean"},
    {"salzach", "the inn"},
    {"mersey", "the irish sea"},
    {"loire", "the atlantic ocean"},
    {"po", "the adriatic sea"},
    {"adige", "the adriatic sea"},
    {"main", "the rhine"},
    {"scheldt", "the north sea"},
    {"limmat", "the aare"},
    {"han", "the yellow sea"},
    {"chao phraya", "the gulf of thailand"},
    {"clyde", ""},
    {"cam", ""},
    {"ouse", ""},
    {"yarra", ""},
    {"garonne", ""},
    {"taff", ""},
    {"lee", ""},
    {"spree", ""},
    {"amstel", ""},
    {"potomac", ""},
};

const Country& country_of(const City& c) {
    for (const Country& k : kCountries)
        if (std::string(k.name) == c.country) return k;
    throw ValueError(std::string("text_general: no country named ") + c.country);
}

std::string mouth_of(const std::string& river) {
    for (const River& r : kRivers)
        if (river == r.name) return r.mouth;
    return "";
}

struct Animal {
    const char* name;
    const char* plural;
    const char* kind;  // mammal, bird, fish, reptile, amphibian, insect
    const char* food;
    const char* home;
    const char* young;
    const char* group;  // "a group of cows is called a herd"; "" if we do not say
    const char* sound;  // "cows moo"; ""
    char where;         // f farm, p pet, w wild, s sea: which stories fit it
    const char* extra;  // one more true fact, or ""
};

const std::vector<Animal> kAnimals = {
    {"cow", "cows", "mammal", "grass", "on farms", "calf", "herd", "moo", 'f',
     "the stomach of a cow has four parts"},
    {"sheep", "sheep", "mammal", "grass", "in fields and on hills", "lamb", "flock", "bleat", 'f',
     "farmers cut the wool of their sheep once a year"},
    {"horse", "horses", "mammal", "grass and hay", "in fields and stables", "foal", "herd", "neigh", 'f',
     "horses can sleep standing up"},
    {"cat", "cats", "mammal", "meat and fish", "in houses", "kitten", "", "purr", 'p',
     "cats sleep for most of the day"},
    {"dog", "dogs", "mammal", "meat", "in houses", "puppy", "pack", "bark", 'p',
     "dogs have a much better sense of smell than people"},
    {"fox", "foxes", "mammal", "mice , rabbits and berries", "in forests and towns", "cub", "", "", 'w',
     "foxes hunt mostly at night"},
    {"bear", "bears", "mammal", "fish , berries and honey", "in forests", "cub", "", "growl", 'w',
     "many bears sleep through the winter"},
    {"lion", "lions", "mammal", "meat", "on the grasslands of africa", "cub", "pride", "roar", 'w',
     "lions sleep for most of the day"},
    {"whale", "whales", "mammal", "small fish and plankton", "in the sea", "calf", "pod", "", 's',
     "the blue whale is the largest animal that has ever lived"},
    {"duck", "ducks", "bird", "seeds and insects", "near lakes and rivers", "duckling", "", "quack", 'f', ""},
    {"owl", "owls", "bird", "mice and insects", "in old trees", "owlet", "", "hoot", 'w',
     "most owls hunt at night"},
    {"goose", "geese", "bird", "grass and seeds", "near lakes", "gosling", "gaggle", "honk", 'f',
     "many geese fly south in autumn"},
    {"frog", "frogs", "amphibian", "insects", "near ponds", "tadpole", "", "croak", 'w',
     "a tadpole lives in water and breathes through gills"},
    {"salmon", "salmon", "fish", "insects and small fish", "in rivers and the sea", "fry", "", "", 's',
     "salmon swim up rivers to lay their eggs"},
    {"goat", "goats", "mammal", "grass and leaves", "in the mountains and on farms", "kid", "herd", "bleat",
     'f', "goats climb easily on steep rocks"},
    {"pig", "pigs", "mammal", "almost anything", "on farms", "piglet", "", "grunt", 'f',
     "pigs roll in mud to keep cool"},
    {"rabbit", "rabbits", "mammal", "grass and vegetables", "in fields", "kit", "", "", 'p',
     "rabbits live in holes under the ground"},
    {"deer", "deer", "mammal", "grass and leaves", "in forests", "fawn", "herd", "", 'w',
     "male deer grow new antlers every year"},
    {"eagle", "eagles", "bird", "fish and small animals", "in the mountains", "eaglet", "", "", 'w',
     "eagles build large nests high up on cliffs"},
    {"snake", "snakes", "reptile", "mice and eggs", "in warm places", "hatchling", "", "hiss", 'w',
     "snakes have no legs"},
    {"wolf", "wolves", "mammal", "meat", "in forests and mountains", "pup", "pack", "howl", 'w', ""},
    {"elephant", "elephants", "mammal", "grass , leaves and fruit", "in africa and asia", "calf", "herd", "",
     'w', "the elephant is the largest animal on land"},
    {"giraffe", "giraffes", "mammal", "leaves", "on the grasslands of africa", "calf", "", "", 'w',
     "the giraffe is the tallest animal in the world"},
    {"dolphin", "dolphins", "mammal", "fish", "in the sea", "calf", "pod", "", 's',
     "dolphins breathe air through a hole on the top of their head"},
    {"seal", "seals", "mammal", "fish", "on rocky coasts", "pup", "", "", 's', ""},
    {"penguin", "penguins", "bird", "fish", "in the cold seas of the south", "chick", "colony", "", 's',
     "penguins cannot fly , but they swim very well"},
    {"hen", "hens", "bird", "seeds and insects", "on farms", "chick", "flock", "cluck", 'f',
     "a hen lays about one egg a day"},
    {"swan", "swans", "bird", "water plants", "on lakes and rivers", "cygnet", "", "", 'w', ""},
    {"kangaroo", "kangaroos", "mammal", "grass", "in australia", "joey", "mob", "", 'w',
     "a young kangaroo lives in the pouch of its mother"},
    {"bee", "bees", "insect", "nectar and pollen", "in hives", "larva", "swarm", "buzz", 'f',
     "bees make honey from nectar"},
    {"butterfly", "butterflies", "insect", "nectar", "in gardens and meadows", "caterpillar", "", "", 'w',
     "a caterpillar turns into a butterfly"},
    {"hedgehog", "hedgehogs", "mammal", "insects and worms", "in gardens and hedges", "hoglet", "", "", 'w',
     "hedgehogs sleep through the winter"},
    {"squirrel", "squirrels", "mammal", "nuts and seeds", "in trees", "kit", "", "", 'w',
     "squirrels hide nuts for the winter"},
    {"mouse", "mice", "mammal", "seeds and grain", "in fields and houses", "pup", "", "squeak", 'w', ""},
    {"bat", "bats", "mammal", "insects", "in caves and old buildings", "pup", "colony", "", 'w',
     "bats are the only mammals that can fly"},
    {"tiger", "tigers", "mammal", "meat", "in the forests of asia", "cub", "", "roar", 'w',
     "the tiger is the largest cat in the world"},
    {"donkey", "donkeys", "mammal", "grass and hay", "on farms", "foal", "", "bray", 'f', ""},
    {"camel", "camels", "mammal", "desert plants", "in the desert", "calf", "", "", 'w',
     "camels can walk for days without water"},
    {"shark", "sharks", "fish", "fish and seals", "in the sea", "pup", "", "", 's',
     "sharks have several rows of teeth"},
    {"otter", "otters", "mammal", "fish", "near rivers and coasts", "pup", "", "", 'w', ""},
};

// What every member of a class has in common.
const std::vector<std::pair<std::string, std::string>> kKindFacts = {
    {"mammal", "mammals feed their young on milk"},
    {"bird", "birds have feathers and lay eggs"},
    {"fish", "fish breathe through gills"},
    {"reptile", "reptiles have dry skin covered in scales"},
    {"amphibian", "amphibians begin their lives in water"},
    {"insect", "insects have six legs"},
};

struct Plant {
    const char* name;  // plural: "apple trees"
    const char* fact;
    const char* fact2;
};

const std::vector<Plant> kPlants = {
    {"apple trees", "apple trees blossom in spring and give apples in autumn",
     "apple trees need cold winters"},
    {"oak trees", "oak trees grow acorns", "an oak tree can live for hundreds of years"},
    {"sunflowers", "sunflowers can grow taller than a person", "birds eat the seeds of sunflowers"},
    {"tulips", "tulips grow from bulbs", "tulips flower in spring"},
    {"potatoes", "potatoes grow under the ground",
     "potatoes are planted in spring and dug up in late summer"},
    {"tomatoes", "tomatoes need sun and a lot of water", "tomatoes turn from green to red as they ripen"},
    {"strawberries", "strawberries are ready in early summer", "strawberries grow close to the ground"},
    {"pine trees", "pine trees keep their needles in winter", "pine trees grow cones"},
    {"roses", "roses need sun and rich soil", "most roses flower in summer"},
    {"lavender", "lavender likes dry soil and a lot of sun", "bees visit lavender all summer"},
    {"beans", "beans climb up poles and strings", "beans grow quickly in warm weather"},
    {"pumpkins", "pumpkins are ready in autumn", "pumpkins grow on long stems along the ground"},
    {"carrots", "carrots grow under the ground", "carrots are sown in spring"},
    {"cherry trees", "cherry trees blossom in spring", "cherries are ready in early summer"},
    {"lettuces", "lettuces grow quickly in cool weather", "snails like to eat lettuces"},
    {"grape vines", "grape vines need a lot of sun", "grapes are picked in autumn"},
    {"onions", "onions grow from small bulbs", "onions are dug up in late summer"},
    {"herbs", "most herbs like sun and dry soil", "mint spreads quickly if you let it"},
};

struct Dish {
    const char* name;
    bool plural;
    const char* ingredients;
    const char* origin;  // a country, or ""
};

const std::vector<Dish> kDishes = {
    {"bread", false, "flour , water , yeast and salt", ""},
    {"pancakes", true, "flour , eggs , milk and butter", ""},
    {"vegetable soup", false, "carrots , onions , potatoes and water", ""},
    {"tomato soup", false, "tomatoes , onions , garlic and olive oil", ""},
    {"fruit salad", false, "apples , oranges , bananas and grapes", ""},
    {"chocolate cake", false, "flour , sugar , eggs , butter and chocolate", ""},
    {"rice with beans", false, "rice , beans , onions and spices", ""},
    {"omelettes", true, "eggs , butter , salt and cheese", ""},
    {"pasta with tomato sauce", false, "pasta , tomatoes , garlic and basil", "italy"},
    {"apple pie", false, "apples , flour , butter and sugar", ""},
    {"paella", false, "rice , saffron , chicken and vegetables", "spain"},
    {"pizza", false, "dough , tomatoes , cheese and olive oil", "italy"},
    {"risotto", false, "rice , butter , onions , stock and cheese", "italy"},
    {"goulash", false, "beef , onions , paprika and potatoes", "hungary"},
    {"moussaka", false, "aubergines , minced meat , tomatoes and a white sauce", "greece"},
    {"sushi", false, "rice , vinegar , raw fish and seaweed", "japan"},
    {"ramen", false, "noodles , broth , eggs and spring onions", "japan"},
    {"crepes", true, "flour , eggs , milk and a little sugar", "france"},
    {"croissants", true, "flour , butter , yeast and milk", "france"},
    {"apple strudel", false, "apples , thin pastry , raisins and cinnamon", "austria"},
    {"pierogi", true, "dough , potatoes , cheese and onions", "poland"},
    {"irish stew", false, "lamb , potatoes , onions and carrots", "ireland"},
    {"fish and chips", true, "fish , potatoes , flour and oil", "england"},
    {"baklava", false, "thin pastry , nuts , butter and honey", "turkey"},
    {"custard tarts", true, "pastry , eggs , milk and sugar", "portugal"},
    {"gazpacho", false, "tomatoes , cucumbers , peppers , garlic and olive oil", "spain"},
    {"lentil soup", false, "lentils , onions , garlic and spices", ""},
    {"dumplings", true, "flour , water , meat and vegetables", "china"},
    {"porridge", false, "oats , milk and a pinch of salt", "scotland"},
    {"pretzels", true, "flour , water , yeast and salt", "germany"},
    {"hummus", false, "chickpeas , lemon juice , garlic and olive oil", ""},
    {"roast chicken", false, "a chicken , potatoes , garlic and lemon", ""},
    {"lasagne", false, "pasta , minced meat , tomatoes , cheese and a white sauce", "italy"},
    {"tagine", false, "meat or vegetables , spices , olives and lemons", "morocco"},
    {"bibimbap", false, "rice , vegetables , an egg and chilli paste", "south korea"},
    {"pad thai", false, "rice noodles , eggs , peanuts and bean sprouts", "thailand"},
    {"tacos", true, "tortillas , meat , onions and herbs", "mexico"},
    {"feijoada", false, "black beans , pork and rice", "brazil"},
    {"waffles", true, "flour , eggs , milk and butter", "belgium"},
    {"meatballs", true, "minced meat , breadcrumbs , onions and eggs", "sweden"},
    {"fondue", false, "melted cheese , white wine and bread", "switzerland"},
};

struct Job {
    const char* name;
    const char* duty;       // "a baker bakes bread early in the morning"
    const char* workplace;  // "she works at the bakery"
};

const std::vector<Job> kJobs = {
    {"doctor", "helps sick people", "the hospital"},
    {"nurse", "looks after patients", "the hospital"},
    {"teacher", "teaches children", "a school"},
    {"baker", "bakes bread early in the morning", "the bakery"},
    {"farmer", "grows food and keeps animals", "a farm"},
    {"pilot", "flies planes", "the airport"},
    {"engineer", "designs bridges and machines", "an office"},
    {"writer", "writes books", "home"},
    {"cook", "cooks meals in a restaurant", "a restaurant"},
    {"driver", "drives a bus through the city", "the bus station"},
    {"police officer", "keeps the streets safe", "the police station"},
    {"detective", "solves crimes", "the police station"},
    {"musician", "plays in an orchestra", "the concert hall"},
    {"librarian", "looks after the books in a library", "the library"},
    {"carpenter", "makes tables , chairs and doors", "a workshop"},
    {"gardener", "looks after parks and gardens", "the park"},
    {"fisherman", "catches fish at sea", "the harbour"},
    {"vet", "looks after sick animals", "an animal clinic"},
    {"dentist", "looks after teeth", "a clinic"},
    {"pharmacist", "sells medicine and gives advice", "the pharmacy"},
    {"architect", "designs houses and schools", "an office"},
    {"journalist", "writes for a newspaper", "a newspaper"},
    {"photographer", "takes pictures for magazines", "a studio"},
    {"waiter", "serves food and drinks in a cafe", "a cafe"},
    {"shop assistant", "helps customers in a shop", "a shop"},
    {"hairdresser", "cuts hair", "a salon"},
    {"mechanic", "repairs cars", "a garage"},
    {"scientist", "does experiments in a laboratory", "a laboratory"},
    {"lawyer", "helps people with the law", "an office"},
    {"firefighter", "puts out fires", "the fire station"},
    {"lighthouse keeper", "looks after the lamp of a lighthouse", "the lighthouse"},
    {"ferry captain", "steers the ferry across the bay", "the harbour"},
    {"tailor", "makes and mends clothes", "a small shop"},
    {"translator", "translates books into english", "home"},
    {"shepherd", "looks after sheep", "the hills"},
    {"postal worker", "delivers letters and parcels", "the post office"},
    {"plumber", "repairs pipes and taps", "a small firm"},
    {"electrician", "fixes wires and lights", "a small firm"},
    {"actor", "performs in plays and films", "the theatre"},
    {"singer", "sings in concerts", "the concert hall"},
    {"painter", "paints pictures", "a studio"},
    {"composer", "writes music for concerts and films", "home"},
    {"editor", "checks books before they are printed", "a publisher"},
    {"museum guide", "shows visitors around the museum", "the museum"},
    {"accountant", "keeps the accounts of small firms", "an office"},
    {"train driver", "drives trains between the cities", "the railway"},
    {"bookseller", "sells books in a small shop", "a bookshop"},
    {"zookeeper", "looks after the animals at the zoo", "the zoo"},
    {"beekeeper", "keeps bees and sells honey", "a farm"},
    {"sailor", "works on ships", "the harbour"},
    {"surgeon", "operates on patients", "the hospital"},
    {"astronomer", "studies the stars and planets", "an observatory"},
    {"historian", "studies the past", "the university"},
    {"professor", "teaches at a university", "the university"},
    {"receptionist", "welcomes guests at a hotel", "a hotel"},
    {"builder", "builds houses", "building sites"},
};

const std::vector<std::string> kWomen = {
    "anna",   "maria",  "sara",  "lena",  "julia",   "emma",   "sofia", "clara", "nora",  "eva",
    "laura",  "rosa",   "ines",  "mia",   "alice",   "hannah", "zoe",   "amira", "leila", "yuki",
    "mei",    "olga",   "irene", "helen", "ruth",    "grace",  "lucy",  "kate",  "nina",  "elena",
    "marta",  "petra",  "ida",   "freya", "chloe",   "fatima", "aisha", "priya", "lara",  "ella",
    "sophie", "isabel", "vera",  "alma",  "beatriz", "carmen", "dora",  "edith", "farah", "gemma",
    "hilde",  "jana",   "karin", "liv",   "maya",    "noor",   "paula", "rita",  "selma", "tara",
    "wanda",  "yasmin", "zara",  "agnes", "bianca",  "celia",  "daria", "esther"};
const std::vector<std::string> kMen = {
    "paul",  "tom",    "ali",    "omar",  "david",  "leo",    "max",    "jonas",  "felix",  "hugo",  "ben",
    "sam",   "adam",   "noah",   "lucas", "mateo",  "marco",  "luca",   "pedro",  "carlos", "ivan",  "peter",
    "james", "jack",   "oscar",  "henry", "karl",   "erik",   "lars",   "hassan", "yusuf",  "kenji", "hiro",
    "raj",   "arjun",  "daniel", "simon", "victor", "otto",   "finn",   "anton",  "bruno",  "conor", "dmitri",
    "emil",  "fritz",  "gustav", "hamid", "igor",   "jakob",  "kemal",  "liam",   "mario",  "nils",  "olaf",
    "pablo", "rafael", "sven",   "theo",  "umar",   "walter", "xavier", "yann",   "diego",  "elias", "boris"};
const std::vector<std::string> kSurnames = {
    "berg",     "novak",     "silva",    "rossi",     "muller",    "costa",    "meyer",    "fischer",
    "weber",    "moreau",    "dubois",   "bianchi",   "romano",    "garcia",   "lopez",    "santos",
    "kowalski", "nowak",     "jensen",   "larsen",    "hansen",    "olsen",    "murphy",   "kelly",
    "walsh",    "brennan",   "tanaka",   "sato",      "suzuki",    "kaya",     "demir",    "yilmaz",
    "nagy",     "horvath",   "popescu",  "ivanova",   "lindqvist", "moretti",  "ferreira", "okafor",
    "andersen", "bauer",     "castillo", "dimitriou", "eriksson",  "fontaine", "gallo",    "haas",
    "ito",      "jovanovic", "keller",   "lambert",   "mendes",    "nakamura", "oliveira", "petrov",
    "quinn",    "richter",   "schmidt",  "torres",    "ueda",      "varga",    "wagner",   "zimmermann",
    "abbas",    "blanc",     "conti",    "duarte",    "kim",       "park"};

// The opinion side of the world: what a mood paragraph judges, the aspects ("the soup", "the
// camera work"), the thing as a whole ("overall , it is a superb book ."), who else gives an
// opinion besides "i", whether it is a past event ("it was") or a thing ("it is"), and phrases
// that may follow an aspect ("the food {in paris}").
struct Subject {
    std::vector<std::string> aspects;
    std::vector<std::string> verdicts;
    std::vector<std::string> judges;
    bool past;
    std::vector<std::string> where;
};

// How an aspect is spoken of, the same under every Subject: the plural ones take "were" ("the
// staff were"; "{dish}" takes what its dish takes), and besides "felt" each has a sense verb,
// "seemed" unless listed here ("the soup tasted", "the songs sounded", "the costumes looked").
const std::vector<std::string> kPluralAspects = {
    "beaches",    "beds",         "cafes",        "characters", "colours",  "concerts",     "controls",
    "costumes",   "decorations",  "descriptions", "drawings",   "effects",  "episodes",     "events",
    "examples",   "explanations", "films",        "fireworks",  "flowers",  "games",        "goals",
    "ideas",      "interviews",   "lessons",      "levels",     "markets",  "meetings",     "museums",
    "neighbours", "paintings",    "parks",        "paths",      "people",   "performances", "photographs",
    "plans",      "players",      "portions",     "portraits",  "puzzles",  "questions",    "repairs",
    "rooms",      "roses",        "slides",       "songs",      "speeches", "staff",        "stages",
    "starters",   "stories",      "talks",        "tests",      "trams",    "vegetables",   "views",
    "visuals",    "walks"};
const std::vector<std::string> kTastedAspects = {
    "bread", "breakfast", "cake",          "cheese", "coffee",      "dessert", "fish",
    "food",  "fruit",     "hospital food", "lunch",  "main course", "salad",   "sauce",
    "soup",  "starters",  "vegetables",    "wine",   "{dish}"};
const std::vector<std::string> kSoundedAspects = {
    "audio guide", "band",      "concerts",  "crowd",   "dialogue",        "encore", "lead singer",
    "music",       "narration", "orchestra", "piano",   "radio programme", "singer", "songs",
    "soundtrack",  "speaker",   "speeches",  "stories", "voice acting"};
const std::vector<std::string> kLookedAspects = {
    "balcony",        "bathroom",        "beaches",     "camera work",
    "cinematography", "colours",         "costumes",    "cover",
    "decorations",    "design",          "drawings",    "effects",
    "entrance",       "fireworks",       "flat",        "flowers",
    "garden",         "goals",           "kitchen",     "lawn",
    "light",          "lighting",        "market",      "markets",
    "menu",           "new clinic",      "new office",  "shopping centre",
    "new {building}", "new {household}", "{dwelling}",  "new {item}",
    "old town",       "paintings",       "parks",       "passing",
    "river path",     "paths",           "photographs", "pond",
    "pool",           "portions",        "portraits",   "reading room",
    "room",           "rooms",           "roses",       "set",
    "slides",         "stages",          "view",        "views",
    "visuals",        "waiting room",    "{sight}"};

bool listed(const std::vector<std::string>& list, const std::string& word) {
    return std::find(list.begin(), list.end(), word) != list.end();
}

std::string be_of(const std::string& aspect) {
    if (aspect == "{dish}") return "{dish_was}";
    return listed(kPluralAspects, aspect) ? "were" : "was";
}

std::string sense_of(const std::string& aspect) {
    return listed(kTastedAspects, aspect)    ? "tasted"
           : listed(kSoundedAspects, aspect) ? "sounded"
           : listed(kLookedAspects, aspect)  ? "looked"
                                             : "seemed";
}

// ==== 2. Topic rules, grouped ====================================================================
// Each topic has "<topic>_open" (the first sentence) and "<topic>_fact" (neutral sentences), and
// a Subject for its mood. Slots are filled from the variables bound for the paragraph (see bind()
// below: {city}, {name}, {title}, ...) or else from the rule of that name.

void add_shared_rules(Templates& t) {
    std::vector<std::string> cities, countries, jobs;  // for the plots of made-up works
    for (const City& c : kCities) cities.push_back(c.name);
    for (const Country& k : kCountries) countries.push_back(k.name);
    for (const Job& j : kJobs) jobs.push_back(j.name);
    t.add("any_city", cities);
    t.add("any_country", countries);
    t.add("any_job", jobs);
    t.add("any_language", {"french", "italian", "greek", "japanese", "arabic", "portuguese", "polish"});
    t.add("season", {"spring", "summer", "autumn", "winter"});
    t.add("day", {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"});
    t.add("month", {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december"});
    t.add("number", {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve"});
    t.add("few", {"two", "three", "four", "a few", "several"});
    t.add("guests", {"twenty", "thirty", "forty", "fifty", "sixty", "eighty", "a hundred", "two hundred"});
    t.add("minutes", {"ten", "fifteen", "twenty", "thirty", "forty", "forty five"});
    t.add("clock", {"six", "seven", "eight", "nine", "half past six", "half past seven", "half past eight",
                    "a quarter past eight", "a quarter to nine"});
    t.add("age", {"thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"});
    t.add("relative", {"sister",        "brother",        "mother",        "father",
                       "aunt",          "uncle",          "cousin",        "grandmother",
                       "grandfather",   "friend",         "neighbour",     "son",
                       "daughter",      "wife",           "husband",       "niece",
                       "nephew",        "flatmate",       "older sister",  "younger brother",
                       "little cousin", "best friend",    "old friend",    "godmother",
                       "stepfather",    "brother in law", "sister in law", "neighbour across the street"});
    t.add("relatives",
          {"parents", "grandparents", "children", "cousins", "friends", "neighbours", "colleagues"});
    t.add("place",
          {"park",      "market",      "library",          "station",     "museum",      "beach",
           "river",     "old town",    "harbour",          "bakery",      "post office", "swimming pool",
           "castle",    "lighthouse",  "school",           "old station", "cinema",      "theatre",
           "town hall", "main square", "old bridge",       "bookshop",    "zoo",         "university",
           "stadium",   "cathedral",   "botanical garden", "sports hall", "fish market", "flower market",
           "ice rink",  "hospital",    "playground"});
    t.add("aplace", {"{place}", "{place}", "{place}", "{place_adj} {place_noun}"});
    t.add("place_adj", {"old", "new", "little", "big", "busy", "quiet", "main", "local"});
    t.add("place_noun", {"park",        "market",      "library",       "station", "museum", "harbour",
                         "bakery",      "post office", "swimming pool", "school",  "cinema", "theatre",
                         "bridge",      "bookshop",    "cafe",          "church",  "square", "playground",
                         "sports hall", "hotel",       "bus station",   "garden",  "beach",  "tower"});
    t.add("sight", {"cathedral", "castle", "old bridge", "town hall", "old market hall", "opera house",
                    "royal palace", "clock tower", "main church", "old university", "city walls",
                    "old harbour", "city gate", "lighthouse", "old fort", "fish market", "botanical garden"});
    t.add("transport", {"bus", "train", "tram", "ferry", "underground", "night train", "coach"});
    t.add("colour", {"red", "blue", "green", "yellow", "white", "black", "grey", "brown", "orange", "purple",
                     "pink", "dark blue", "light green"});
    t.add("thing",
          {"umbrella",  "map",    "book",     "camera",  "bag",      "coat",     "ticket",   "phone",
           "notebook",  "key",    "wallet",   "scarf",   "hat",      "watch",    "pen",      "torch",
           "guidebook", "jacket", "passport", "charger", "backpack", "raincoat", "sandwich", "diary"});
    t.add("thing",
          {"pair of gloves", "pair of glasses", "bottle of water", "sun hat", "water bottle", "pocket knife",
           "phone charger", "pair of sunglasses", "woollen hat", "shopping bag", "library book"});
    t.add("household",
          {"lamp",           "kettle",          "bicycle",    "suitcase",      "radio",     "clock",
           "chair",          "mirror",          "rug",        "teapot",        "bookshelf", "desk",
           "sofa",           "toaster",         "frying pan", "set of plates", "vase",      "blanket",
           "coffee machine", "washing machine", "fridge",     "armchair",      "bed",       "picture frame"});
    t.add("food_item",
          {"apples",   "bread",      "cheese",   "eggs",    "milk",      "tomatoes", "potatoes", "onions",
           "fish",     "rice",       "coffee",   "tea",     "oranges",   "grapes",   "butter",   "honey",
           "jam",      "olives",     "lemons",   "carrots", "cucumbers", "pears",    "plums",    "cherries",
           "nuts",     "flour",      "sugar",    "yoghurt", "mushrooms", "peppers",  "beans",    "lentils",
           "sausages", "peaches",    "apricots", "spinach", "garlic",    "ham",      "chicken",  "salmon",
           "oats",     "cream",      "walnuts",  "figs",    "melons",    "lettuce",  "pasta",    "chocolate",
           "biscuits", "fresh herbs"});
    t.add("drink", {"coffee", "tea", "mint tea", "hot chocolate", "orange juice", "lemonade", "cold water",
                    "apple juice", "green tea", "sparkling water", "warm milk"});
    t.add("settlement", {"town", "village", "city"});
    t.add("setting",
          {"by the sea", "in the mountains", "near a forest", "on an island", "near the border", "on a lake",
           "in a valley", "on a river", "in the desert", "on the coast", "near a volcano"});
    t.add("ordinal", {"first", "second", "third", "fourth", "fifth"});
    t.add("floor", {"first", "second", "third", "fourth", "top"});
    t.add("often", {"", "", "", "", "", "usually ", "now ", "most days ", "in summer ", "these days "});
    // A time phrase before a narrative sentence, one time in four none.
    t.add("then", {"", "{then_phrase}", "{then_phrase}", "{then_phrase}"});
    t.add("then_phrase",
          {"then ", "later ", "after that ", "in the afternoon ", "in the evening ", "the next morning ",
           "on {day} ", "after lunch ", "before dinner ", "when the rain stopped , ", "on the way back , ",
           "at about {clock} ", "after a while ", "that evening ", "early in the morning ", "once a week ",
           "as always , "});
    t.add("subj", {"{pron}", "{pron}", "{name}"});
    t.add("product", {"bicycles", "furniture", "software", "shoes", "toys", "medicine", "paper", "chocolate",
                      "clocks", "paint", "kitchens", "boats"});
    t.add("tail", {"", "", "", "", "", "", " with {name2}", " with {poss} {relative}", " for the first time",
                   " as usual", " again", " on {poss} own", " in a hurry"});
    t.add("when", {"last {day}", "on {day}", "last week", "last weekend", "in {month}", "a few weeks ago",
                   "at the end of {month}", "on a rainy {day}", "last night"});
    t.add("building", {"library", "swimming pool", "sports hall", "bridge", "school", "museum", "station",
                       "market hall", "concert hall", "playground", "cycle path", "theatre", "hospital"});
}

// --- places: cities, countries, towns, homes -----------------------------------------------------

const Subject kVisit = {{"food", "museums", "old town", "hotel", "weather", "views", "parks", "trams",
                         "markets", "cafes", "guided tour", "nightlife", "people", "{sight}"},
                        {"city", "trip", "visit", "weekend", "place"},
                        {"we", "my {relative}", "the others", "most visitors"},
                        true,
                        {"in {city}", "in {city}", "in the old town"}};

const Subject kTown = {{"new {building}", "design", "rooms", "cafe", "entrance", "opening", "speeches",
                        "repairs", "plans", "reading room", "staff"},
                       {"building", "project", "place", "idea"},
                       {"we", "the newspaper", "most people", "my {relative}"},
                       false,
                       {"in {city}"}};

const Subject kHome = {{"{dwelling}", "kitchen", "neighbours", "view", "light", "rooms", "garden", "balcony",
                        "area", "street", "new {household}"},
                       {"{dwelling}", "place", "home", "move"},
                       {"we", "my {relative}", "{name}", "our friends"},
                       false,
                       {"in the new {dwelling}", "in {city}"}};

void add_place_rules(Templates& t) {
    t.add("city_open",
          {"{city} is {city_is} .", "{city} is {city_is} , and most people there speak {language} .",
           "last {season} we spent {number} days in {city} .", "my {relative} lives in {city} , {city_is} .",
           "{city} lies in {country} , in {continent} .",
           "{full} , a {job} from {city} , showed us around {poss} city ."});
    t.add("city_fact", {"the old town of {city} has narrow streets and small squares .",
                        "many people visit {city} in {season} .",
                        "the main station of {city} is close to the centre .",
                        "in {city} you can travel by {transport} or on foot .",
                        "the people of {city} like to sit in cafes in the evening .",
                        "most people in {city} speak {language} .",
                        "there is a large market in {city} every {day} morning .",
                        "the {sight} is one of the oldest buildings in {city} .",
                        "from the top of the old tower you can see the whole of {city} .",
                        "{city} has many parks , museums and theatres .",
                        "we stayed in a small hotel near the {aplace} .",
                        "on the first day we walked through the old town and visited the {sight} .",
                        "in the evening we ate {dish} in a small restaurant near the {aplace} .",
                        "the streets of {city} are busy in the morning and quiet late at night .",
                        "a guide showed us the {sight} and told us about its history .",
                        "most museums in {city} close one day a week .",
                        "the {sight} was built many hundreds of years ago .",
                        "the shops in the centre of {city} open at ten .",
                        "the airport is about an hour from the centre of {city} by {transport} .",
                        "the menus in {city} are in {language} , and many also in english .",
                        "at night the {sight} is lit up .",
                        "buses run through {city} day and night .",
                        "in the centre of {city} there is a large square with a fountain .",
                        "on {day} the main square is full of market stalls .",
                        "many students live in {city} .",
                        "the old houses near the {aplace} have red roofs .",
                        "the tourist office gives out free maps of {city} .",
                        "we bought a travel card for {few} days .",
                        "a small museum near the {aplace} tells the history of {city} .",
                        "in {month} the streets of {city} are full of visitors .",
                        "{then}we had coffee in a small square near the {sight} .",
                        "{then}we climbed the hill behind the old town .",
                        "we took a lot of photographs of the {sight}{tail} .",
                        "the city has grown a lot in the last fifty years .",
                        "the walk from the station to the old town takes about twenty minutes .",
                        "the {sight} is on every postcard of {city} .",
                        "street musicians play on the main square in summer .",
                        "{name2} , who grew up in {city} , showed us a small bar behind the {sight} .",
                        "the night buses in {city} run until four in the morning .",
                        "in winter there is an ice rink in front of the town hall .",
                        "the cycle lanes in {city} are wide and safe .",
                        "rents in {city} have risen a lot in recent years .",
                        "{city} has a large park where people run in the morning .",
                        "every year a marathon runs through the streets of {city} .",
                        "the oldest cafe in {city} is near the {sight} .",
                        "a cable car takes visitors up the hill above {city} .",
                        "{name2} sells postcards and old maps near the {sight} .",
                        "the {transport} from the airport stops at the main station .",
                        "locals say the best time to visit {city} is in {season} .",
                        "many streets in the old town are closed to cars .",
                        "the market hall in {city} sells cheese , fish and flowers .",
                        "a night walk through {city} takes about two hours ."});
    t.add("city_river",
          {"the {river} flows through {city} .", "there are many bridges over the {river} in {city} .",
           "in {season} people walk along the {river} .", "boats carry visitors up and down the {river} .",
           "the oldest part of {city} lies on the banks of the {river} .",
           "in the evening we walked along the {river} ."});
    t.add("city_mouth", {"the {river} flows through {city} and then into {mouth} ."});
    t.add("city_sea",
          {"{city} lies on the coast of {sea} .", "the harbour of {city} is full of fishing boats .",
           "in summer people swim in {sea} near {city} .",
           "ferries leave the harbour of {city} every morning ."});
    t.add("city_extra", {"{city_extra} ."});

    t.add("country_open",
          {"{country} is a country in {continent} .", "{country} lies in {continent} .",
           "the capital of {country} is {capital} .", "last {season} we spent {few} weeks in {country} ."});
    t.add("country_fact", {"the capital of {country} is {capital} .",
                           "people in {country} speak {languages} .",
                           "{city} is a city in {country} .",
                           "many visitors come to {country} in {season} .",
                           "we travelled around {country} by {transport} for {number} weeks .",
                           "{name} learned {language} when {pron} lived in {country} .",
                           "the trains in {country} are fast and usually on time .",
                           "most signs in {country} are in {language} .",
                           "in the north of {country} we saw {few} small villages and a lake .",
                           "a newspaper in {language} costs very little .",
                           "{country} has many old towns and villages .",
                           "children in {country} learn english at school .",
                           "{name} was born in {country} and moved to {city2} as a child .",
                           "{country} is known for its food , its music and its old towns .",
                           "travel in {country} is easy by train and bus .",
                           "last year {name} worked in {country} as a {job} .",
                           "the roads in {country} were quiet outside the big cities .",
                           "we crossed {country} from north to south by {transport} .",
                           "many people from {country} live abroad .",
                           "the food in {country} changes a lot from region to region .",
                           "there are newspapers , radio stations and television channels in {language} .",
                           "a lot of films from {country} are in {language} .",
                           "the mountains of {country} are popular with walkers .",
                           "{name} and {poss} {relative} drove across {country} in an old van .",
                           "in the villages of {country} people still speak old dialects ."});
    t.add("country_dish", {"{dish_origin} .", "in {country} people often eat {dish} ."});
    t.add("country_river", {"the {river} flows through {country} ."});

    t.add("town_open",
          {"the town council of {city} has opened a new {building} near the {aplace} .",
           "work on the new {building} in {city} began in {month} .",
           "the old {building} in {city} opened again last {season} after {few} years of repairs ."});
    t.add("town_fact", {"the mayor opened it on a {day} morning .",
                        "it cost more than the council had planned .",
                        "{few} hundred people came to the opening .",
                        "the architect {full} designed the building .",
                        "the building has solar panels on the roof .",
                        "children from a local school painted the walls of the entrance .",
                        "it is open every day from nine until eight .",
                        "there is a cafe on the ground floor .",
                        "the old building stood empty for years .",
                        "the council plans a new cycle path to the {aplace} .",
                        "the local newspaper wrote about it on its front page .",
                        "the work took {few} years .",
                        "most of the money came from the city and some from {country} .",
                        "the new {building} has room for {guests} people .",
                        "the local bus now stops in front of it .",
                        "some people wanted a park there instead .",
                        "on the first day there was music and free coffee .",
                        "the council asked the people of {city} what they wanted .",
                        "the {building} is named after a {job} who lived in {city} .",
                        "the old {building} was too small for the town .",
                        "the roof is covered with grass and flowers .",
                        "a famous architect from {country2} won the competition .",
                        "people queued for an hour on the first morning .",
                        "crime in {city} has fallen in recent years .",
                        "the council tries to save old buildings ."});

    t.add("home_open", {"last {season} {name} moved into a new {dwelling} in {city} .",
                        "{name} and {poss} {relative} bought an old {dwelling} near {city} .",
                        "my {relative} lives in a small {dwelling} in {city} ."});
    t.add("home_fact", {"the {dwelling} has {few} rooms and a small balcony .",
                        "the kitchen looks out over the {aplace} .",
                        "{then}{subj} painted the walls {colour}{tail} .",
                        "the {dwelling} was built about a hundred years ago .",
                        "{then}{subj} bought a {household} and a table at the market .",
                        "the neighbours helped {obj} carry the boxes up the stairs .",
                        "it took {few} days to unpack everything .",
                        "there is a bakery on the corner .",
                        "the heating did not work in the first week .",
                        "the rent is high , but the area is quiet .",
                        "{then}{subj} put {poss} books on a shelf by the window .",
                        "{then}{subj} hung a {colour} curtain in the bedroom{tail} .",
                        "the {transport} stop is a short walk from the door .",
                        "{poss} {relative} gave {obj} an old {household} .",
                        "{then}{subj} repaired the old window in the kitchen{tail} .",
                        "the {dwelling} gets sun in the morning .",
                        "the walls are thin , so {pron} can hear the neighbours .",
                        "{then}{subj} found an old {household} in the attic .",
                        "the previous owner left a piano in the living room .",
                        "{then}{subj} hung photographs of {poss} {relatives} in the hall .",
                        "the kitchen is small , but there is room for a table .",
                        "{subj} shares the {dwelling} with two students .",
                        "the stairs are steep and narrow .",
                        "from the balcony you can see the {sight} .",
                        "the first night {pron} slept on the floor .",
                        "the attic is full of old toys and books .",
                        "{subj} wants to turn the attic into a bedroom ."});
    t.add("home_flat",
          {"the {dwelling} is on the {floor} floor .", "the building has a lift and a small courtyard ."});
    t.add("home_house", {"the garden behind the house is full of {plants} .",
                         "the house has a red door and a small porch ."});
}

// --- nature: weather, animals, gardens -----------------------------------------------------------

const Subject kDayOut = {{"weather", "sunshine", "morning", "afternoon", "walk", "views", "air", "evening",
                          "light", "river path", "picnic"},
                         {"day", "week", "weekend", "walk", "afternoon", "morning"},
                         {"we", "my {relative}", "the others"},
                         true,
                         {"in the hills", "that day"}};

const Subject kAnimalVisit = {{"trail", "guide", "tour", "walk", "film about the {animals}", "feeding time",
                               "photographs", "cafe", "visitor centre", "talk about the {animals}"},
                              {"day", "visit", "afternoon", "trip", "morning"},
                              {"we", "the children", "my {relative}"},
                              true,
                              {"on {day}", "that morning"}};

const Subject kGardenVisit = {{"garden", "roses", "flowers", "paths", "guide", "lawn", "greenhouse", "pond",
                               "colours", "vegetables", "harvest"},
                              {"garden", "show", "afternoon", "visit", "year"},
                              {"we", "my {relative}", "the judges", "most visitors"},
                              true,
                              {"in the garden", "at the show"}};

void add_nature_rules(Templates& t) {
    t.add("weather_open",
          {"in {season} {season_days} .", "the weather changed a lot last week .",
           "it was a {temp} {season} morning .", "the forecast for the weekend says {precip} .",
           "this {season} has been {temp} so far .", "on {day} we went for a long walk in the hills ."});
    t.add("weather_fact", {"it rained all morning and then the sun came out .",
                           "the wind was strong near the coast .",
                           "fog covered the valley until noon .",
                           "after the storm the rivers were high .",
                           "the forecast says there will be {precip} in the mountains tomorrow .",
                           "the sky was {sky} and the air was {temp} .",
                           "we took an umbrella because it looked like rain .",
                           "in the mountains the weather can change in an hour .",
                           "the wind came from the {direction} all week .",
                           "at night the temperature fell to {temp_night} .",
                           "the weather station on the hill measures the rain every day .",
                           "the radio said there would be {precip} in the north .",
                           "the clouds came in from the sea .",
                           "by noon the sun was out again .",
                           "it snowed on the hills but not in the town .",
                           "the streets were wet after a night of rain .",
                           "a rainbow appeared over the {aplace} after the shower .",
                           "the wind turned cold in the evening .",
                           "people stayed indoors because of the storm .",
                           "the storm brought down a tree near the {aplace} .",
                           "{name} checked the forecast before {pron} went out .",
                           "farmers waited for rain all month .",
                           "the temperature dropped in the night .",
                           "people came out to sit in the sun .",
                           "we waited for the rain to stop under a bridge .",
                           "the wind blew hard all night and woke us up .",
                           "the weather in {city} is hard to predict .",
                           "dark clouds gathered over the hills .",
                           "the fishermen stayed in the harbour because of the wind .",
                           "school was closed for a day because of the storm .",
                           "the farmers were worried about the frost .",
                           "a warm wind came up from the south .",
                           "snow falls on the hills most winters ."});
    t.add("weather_winter",
          {"the lakes froze and people went skating .", "snow fell all night and covered the roads .",
           "the children built a snowman in the garden .",
           "the days are short and it gets dark before five .", "we lit the fire in the evening .",
           "in {cold_month} it is often below zero .", "the river froze at the edges ."});
    t.add("weather_summer",
          {"the days are long and it stays light until late .", "it was so hot that we stayed in the shade .",
           "people swam in the lake every evening .", "a thunderstorm came in the late afternoon .",
           "the grass turned yellow after weeks without rain .",
           "in the afternoon it was thirty degrees in the shade ."});
    t.add("weather_spring",
          {"the first flowers came out in the gardens .", "the trees were green again .",
           "it was warm in the sun but cold in the shade .", "there were short showers every afternoon .",
           "birds built their nests in the trees ."});
    t.add("weather_autumn",
          {"the leaves turned yellow , red and brown .", "the wind blew the leaves across the park .",
           "it got dark earlier every week .", "there was fog over the river in the mornings .",
           "farmers brought in the last of the harvest ."});
    t.add("temp", {"cold", "warm", "cool", "mild", "hot", "wet", "dry", "windy"});
    t.add("temp_night", {"zero", "two degrees", "five degrees", "minus three degrees", "ten degrees"});
    t.add("precip", {"snow", "rain", "hail", "showers", "thunderstorms", "strong winds", "sunshine"});
    t.add("sky", {"grey", "blue", "dark", "pale", "clear", "cloudy"});
    t.add("direction", {"north", "south", "east", "west", "sea"});
    t.add("cold_month", {"december", "january", "february"});

    t.add("animal_open",
          {"the {animal} is {a_kind} .", "{animals} live {home} .", "a young {animal} is called a {young} .",
           "the {animal} is {a_kind} that eats {food} .",
           "last {day} the children learned about {animals} at school ."});
    t.add("animal_fact",
          {"the {animal} is {a_kind} .", "{animals} eat {food} .", "{animals} live {home} .",
           "a young {animal} is called a {young} .", "a {young} grows up to be {a_animal} .",
           "most {animals} live {home} .", "{kind_fact} .", "like all {kinds} , {animals} {kind_verb} .",
           "there is a short film about {animals} at the museum in {city} .",
           "you can read about {animals} in a book from the library .",
           "the children drew pictures of {animals} at school .",
           "scientists count the {animals} in the area every year .", "{animals} need a lot of space .",
           "{animals} are often shown in books for children .",
           "in the museum there is a model of {a_animal} .",
           "the photographs of {animals} in the book were taken {home} .",
           "{name} wrote a book about the {animals} of {country} .", "{animals} are easy to recognise ."});
    t.add("animal_parent", {"a young {animal} stays close to its mother .",
                            "a {young} needs its parents for the first weeks of its life ."});
    t.add("animal_group",
          {"a group of {animals} is called a {group} .", "{animals} often live in a {group} ."});
    t.add("animal_sound", {"{animals} {sound} .", "you can hear the {animals} {sound} from far away ."});
    t.add("animal_extra", {"{animal_extra} ."});
    t.add("animal_farm", {"my {relative} keeps {few} {animals} on a small farm near {city} .",
                          "the farmer pulled a trailer of hay to the {animals} .",
                          "in {season} the {animals} stay outside all day .",
                          "the children helped to feed the {animals} on the farm ."});
    t.add("animal_pet", {"{name} has {a_animal} called {pet} .",
                         "{pet} , the {animal} of my {relative} , is {number} years old .",
                         "the vet said the {animal} was healthy ."});
    t.add("pet", {"bella", "max", "luna", "charlie", "coco", "rocky", "daisy", "oscar", "pepper", "milo",
                  "ginger", "biscuit", "shadow", "pippa", "bruno", "lola"});
    t.add("animal_wild", {"last {day} we saw {animals} at the zoo in {city} .",
                          "the {animals} at the zoo came from a park in {country2} .",
                          "on our walk we saw the tracks of {animals} ."});
    t.add("animal_sea", {"from the boat we saw {animals} near the coast .",
                         "the aquarium in {city} shows how {animals} live ."});

    t.add("garden_open", {"{name} has a small garden behind {poss} house in {city} .",
                          "my {relative} grows vegetables on a small plot near the river .",
                          "{plants} are easy to grow in a garden .",
                          "last {day} we visited the botanical garden in {city} ."});
    t.add("garden_fact", {"{plant_fact} .",
                          "{plant_fact2} .",
                          "every morning {pron} waters the plants{tail} .",
                          "{subj} planted {plants} in {season} .",
                          "snails ate half of the lettuces last {season} .",
                          "{often}{subj} keeps the seeds in a paper bag in the kitchen .",
                          "{often}{subj} gives the vegetables {pron} cannot eat to {poss} neighbours .",
                          "bees visit the flowers all summer .",
                          "in autumn {pron} collects the fallen leaves .",
                          "{often}{subj} grows tomatoes , beans and carrots .",
                          "the apple tree in the corner is more than fifty years old .",
                          "a garden needs water , sun and rich soil .",
                          "{subj} read a book about {plants} last winter .",
                          "the botanical garden has plants from {country2} and {country3} .",
                          "there is a small pond with frogs in the middle of the garden .",
                          "{then}{subj} dug a new bed for {plants}{tail} .",
                          "the shed at the end of the garden is full of old tools .",
                          "{then}{subj} bought seeds and a new spade at the market .",
                          "{often}{subj} cuts the grass every {day} .",
                          "a blackbird sings in the garden every morning .",
                          "{then}{subj} made jam from the fruit{tail} .",
                          "the garden gets sun from noon until evening .",
                          "{subj} learned about gardening from {poss} {relative} .",
                          "{often}{subj} grows herbs in pots on the balcony .",
                          "the roses by the gate need cutting back in spring .",
                          "a neighbour gave {obj} some seeds from {poss} own garden .",
                          "the greenhouse keeps the young plants warm .",
                          "{often}{subj} sells some of the vegetables at the market .",
                          "{name2} gave {obj} a cutting from an old rose .",
                          "the hedge along the road is full of birds .",
                          "{pron} keeps a list of everything {pron} plants .",
                          "the rain barrel by the shed was empty by july ."});
}

// --- people: daily life, parties, work, school, talks, sport, shopping ---------------------------

const Subject kDay = {{"morning", "lunch", "walk", "coffee", "afternoon", "weather", "market", "new cafe",
                       "evening", "neighbours", "radio programme"},
                      {"day", "morning", "afternoon", "weekend", "week"},
                      {"we", "my {relative}", "{name}"},
                      true,
                      {"on {day}", "in town"}};

const Subject kParty = {{"food", "music", "songs", "speeches", "dancing", "cake", "band", "decorations",
                         "costumes", "fireworks", "games", "lighting"},
                        {"party", "wedding", "evening", "day", "celebration"},
                        {"we", "the guests", "my {relative}", "the others"},
                        true,
                        {"at the party", "at the wedding"}};

const Subject kWork = {{"work", "ideas", "presentation", "report", "advice", "humour", "feedback", "meetings",
                        "plans", "new office", "project", "training"},
                       {"year", "project", "week", "meeting", "team"},
                       {"we", "the team", "{name}", "the manager"},
                       true,
                       {"this year", "at the meeting"}};

const Subject kTeacher = {{"lessons", "explanations", "humour", "examples", "homework", "tests", "feedback",
                           "pacing", "stories", "school trip", "new textbook", "teaching"},
                          {"teacher", "course", "class", "term", "year"},
                          {"we", "the students", "my {relative}", "the parents"},
                          true,
                          {"in {subject}", "this term"}};

const Subject kTalk = {{"speaker", "slides", "examples", "questions", "ending", "pacing", "humour", "ideas",
                        "stories", "photographs", "script"},
                       {"talk", "lecture", "evening"},
                       {"we", "the audience", "my {relative}", "most people"},
                       true,
                       {"at the talk", "in the second half"}};

const Subject kMatch = {{"match", "game", "players", "goals", "defence", "referee", "crowd", "atmosphere",
                         "second half", "first half", "coach", "passing"},
                        {"match", "game", "afternoon", "season"},
                        {"we", "the fans", "my {relative}", "the newspapers"},
                        true,
                        {"on {day}", "in {city2}"}};

const Subject kShopping = {{"new {item}", "shop", "staff", "service", "choice", "market", "bread", "cheese",
                            "fruit", "shopping centre"},
                           {"shop", "buy", "morning", "market"},
                           {"we", "my {relative}", "{name}"},
                           true,
                           {"at the market", "in the new shop"}};

const Subject kClinic = {{"doctor", "nurse", "staff", "waiting room", "advice", "care", "new clinic",
                          "hospital food", "reception"},
                         {"clinic", "hospital", "practice"},
                         {"we", "my {relative}", "most patients", "{name}"},
                         false,
                         {"at the clinic", "at the hospital"}};

void add_people_rules(Templates& t) {
    t.add("health_open", {"last {day} {name} went to see the doctor about {poss} {ailment} .",
                          "{name} spent {few} days in the hospital in {city} .",
                          "the new clinic near the {aplace} in {city} opened in {month} ."});
    t.add("health_fact", {"the doctor listened to {poss} heart and lungs .",
                          "{subj} had to wait about an hour .",
                          "the nurse took {poss} temperature .",
                          "the doctor told {obj} to rest for {few} days .",
                          "{then}{subj} got some medicine at the pharmacy{tail} .",
                          "the pharmacy opens at eight .",
                          "{subj} should drink more water and sleep more .",
                          "a cold usually lasts about a week .",
                          "now {pron} walks for half an hour every day .",
                          "the clinic is open from eight until six .",
                          "{poss} {relative} drove {obj} home .",
                          "{subj} felt much better after a week .",
                          "regular exercise keeps the heart healthy .",
                          "washing your hands helps to stop colds .",
                          "{often}{subj} goes for a check every year .",
                          "the doctor studied medicine in {city2} .",
                          "the hospital has a new wing for children .",
                          "the waiting room was full of children with colds .",
                          "the doctor wrote a note for {poss} work .",
                          "{then}{subj} had an x ray at the hospital .",
                          "the doctor has worked at the clinic for {number} years .",
                          "{subj} took the medicine three times a day .",
                          "the nurse explained how to change the bandage .",
                          "{pron} has to go back in {few} weeks .",
                          "{subj} returns to work next week .",
                          "the doctor tries to see every patient within a week ."});
    t.add("ailment", {"back", "knee", "cough", "headaches", "eyes", "sore throat", "shoulder", "ears",
                      "stomach", "wrist", "cold"});

    t.add("daily_open", {"on {day} {name} got up early and went to the {aplace} .",
                         "{name} lives with {poss} {relative} in a small flat in {city} .",
                         "every {day} {name} meets {poss} {relative} for lunch .",
                         "it was a quiet {day} for {name} .", "{full} lives in a village near {city} ."});
    t.add("daily_fact", {"{name} and {poss} {relative} had lunch together .",
                         "in the afternoon {pron} read a book in the garden .",
                         "{then}{subj} bought a {colour} {thing} at the market{tail} .",
                         "the children played in the park until it got dark .",
                         "{name} called {poss} {relative} in the evening{tail} .",
                         "{then}{subj} cleaned the kitchen and washed the dishes .",
                         "{then}{subj} took the {transport} into town{tail} .",
                         "{then}{subj} made a cup of {drink} and sat by the window{tail} .",
                         "on the way home {pron} bought {food_item} and {food_item} .",
                         "{then}{subj} went to bed at {clock} .",
                         "after dinner {pron} watched the news with {poss} {relative} .",
                         "{then}{subj} wrote a letter to {poss} {relative} in {city2}{tail} .",
                         "{then}{subj} took the dog for a walk along the river{tail} .",
                         "in the evening {pron} watched a series with {poss} {relatives} .",
                         "{subj} looked for {poss} {thing} all morning and found it in the car .",
                         "{then}{subj} paid the bills and answered a few emails{tail} .",
                         "the shops close early on {day} .",
                         "{then}{subj} fixed the old bicycle in the yard{tail} .",
                         "{name2} came round for coffee in the afternoon{tail} .",
                         "{then}{subj} borrowed two books from the library{tail} .",
                         "{then}{subj} tried a new recipe for {dish}{tail} .",
                         "{subj} worked in the garden until lunch .",
                         "{then}{subj} met {name2} at the {aplace} by chance .",
                         "{then}{subj} went for a run in the park{tail} .",
                         "{subj} had breakfast at {clock} .",
                         "{then}{subj} listened to the radio while {pron} cooked{tail} .",
                         "{then}{subj} read the newspaper on the {transport}{tail} .",
                         "{then}{subj} picked up the children from school at three .",
                         "{then}{subj} played cards with {poss} {relatives}{tail} .",
                         "{then}{subj} posted a parcel to {poss} {relative} in {city2} .",
                         "it started to rain , so {pron} stayed at home .",
                         "{then}{subj} tidied {poss} desk and sorted old letters .",
                         "{then}{subj} waited for the {transport} for twenty minutes .",
                         "{then}{subj} ironed {poss} shirts for the week{tail} .",
                         "{then}{subj} changed the bulb in the kitchen lamp .",
                         "{subj} took the rubbish out before breakfast .",
                         "{then}{subj} spent an hour on the phone with {poss} {relative} .",
                         "the post brought a letter from {city2} .",
                         "{then}{subj} sewed a button on {poss} coat .",
                         "{then}{subj} painted the fence in the garden{tail} .",
                         "{then}{subj} went to the bank to pay a bill{tail} .",
                         "{then}{subj} walked to the {aplace} to buy stamps .",
                         "{then}{subj} sorted the photographs from the summer .",
                         "{then}{subj} mended a chair in the kitchen .",
                         "{then}{subj} phoned the plumber about the leaking tap .",
                         "{then}{subj} baked a {cake} cake for the neighbours .",
                         "{then}{subj} cycled to the {aplace}{tail} .",
                         "{then}{subj} took a nap on the sofa .",
                         "the neighbours were having a party , so it was loud until late .",
                         "{then}{subj} helped {poss} {relative} move a wardrobe .",
                         "{subj} often loses {poss} keys .",
                         "{subj} keeps old letters in a box in the attic .",
                         "{subj} tries to save a little money every month .",
                         "{subj} finds it hard to get up in winter ."});

    t.add("party_open", {"my {relative} got married in {city} last {season} .",
                         "last {day} we had a party for {name} , who turned {age} .",
                         "{name} and {name2} celebrated their wedding in a village near {city} .",
                         "the whole family met at the house of my {relative} for {poss} birthday ."});
    t.add("party_fact", {"about {guests} guests came .",
                         "the party was in a large hall near the {aplace} .",
                         "there was a band , and everyone danced until midnight .",
                         "{name2} gave a short speech .",
                         "the children played games in the garden .",
                         "my {relative} baked a {cake} cake .",
                         "we sang songs and looked at old photographs{tail} .",
                         "it was a costume party , so everyone came dressed as a character from a book .",
                         "at midnight there were fireworks over the {aplace} .",
                         "we took the last {transport} home .",
                         "the band played old songs from {country} .",
                         "some guests came from as far as {city2} .",
                         "we cooked {dish} for everyone{tail} .",
                         "the party went on until {clock} in the morning .",
                         "{name} opened the presents after dinner .",
                         "the tables were covered with flowers from the garden .",
                         "my {relative} played the {instrument} .",
                         "we stayed up late and talked about old times .",
                         "everyone brought something to eat .",
                         "the wedding was in a small church near the {aplace} .",
                         "the photographer took pictures of every guest .",
                         "{name} got a {thing} and {few} books as presents .",
                         "the cake had {age} candles .",
                         "my {relative} danced with {name2} .",
                         "we played music from the seventies .",
                         "the guests left after midnight .",
                         "{name2} arrived late because the {transport} was full .",
                         "there were flowers on every table .",
                         "{name2} and {full2} organised everything .",
                         "the best man told a long story about the groom .",
                         "we danced to old records in the kitchen .",
                         "the party moved into the garden after dinner .",
                         "{name} and {name2} fell in love when they were students .",
                         "my {relative} tells the story of how they fell in love every year ."});
    t.add("cake", {"chocolate", "lemon", "carrot", "apple", "cherry", "walnut", "strawberry", "orange",
                   "almond", "plum", "honey"});

    t.add("work_open", {"{name} works as a {job} in {city} .", "{full} is a {job} at {workplace} in {city} .",
                        "{name} started a new job as a {job} in {month} .",
                        "{name} has been a {job} for {number} years ."});
    t.add("work_fact", {"a {job} {duty} .",
                        "every morning {pron} takes the {transport} to work .",
                        "{often}{subj} starts work at {clock} in the morning .",
                        "{subj} has worked there for {number} years .",
                        "after work {pron} goes to the {aplace} .",
                        "{poss} new colleague {name2} joined the team in {month} .",
                        "the team meets every {day} morning .",
                        "{subj} learned the job from an older {job} .",
                        "once a month {pron} travels to {city2} for a meeting .",
                        "{subj} wants to become a {job2} one day .",
                        "at lunch {pron} eats in a small cafe near work .",
                        "before that {pron} worked as a {job2} in {city2} .",
                        "{poss} {relative} is a {job2} .",
                        "the job has changed a lot in the last ten years .",
                        "{subj} often works late before a holiday .",
                        "{often}{subj} takes a short walk after lunch .",
                        "{subj} is learning {language2} for {poss} job .",
                        "next month {pron} will train two new colleagues .",
                        "on {day} the team had lunch together .",
                        "{often}{subj} works with people from {country} and {country2} .",
                        "the new manager came from {city2} .",
                        "{subj} travels to work by {transport} ."});
    t.add("work_office",
          {"{often}{subj} works from home on {day} .", "{often}{subj} answers about fifty emails a day .",
           "{subj} spent the morning in meetings .",
           "{often}{subj} keeps a notebook with ideas for new projects .",
           "the firm moved to a new building near the {aplace} .",
           "{then}{subj} gave a presentation to the whole team{tail} .",
           "the office is quiet in the early morning .", "{subj} has a desk by the window .",
           "the company makes {product} .", "{often}{subj} reads the reports on the {transport} .",
           "{then}{subj} wrote a long report about the project{tail} .",
           "{subj} is responsible for the accounts .", "the office has a small kitchen and a roof garden ."});
    t.add("work_hands",
          {"{subj} keeps {poss} tools in a {colour} box .", "{subj} is on {poss} feet most of the day .",
           "{often}{subj} works at weekends .", "{subj} learned the trade from {poss} {relative} .",
           "the work is hard , but {pron} likes it ."});

    t.add("school_open", {"{full} teaches {subject} at a school in {city} .",
                          "our new {subject} teacher started in {month} .",
                          "{name} is in {poss} last year at school in {city} .",
                          "this term the {subject} class learned about {subject_topic} ."});
    t.add("school_fact", {"there are about thirty children in each class .",
                          "{subject} lessons are on {day} and {day} .",
                          "the children go on a school trip to {city2} every {season} .",
                          "the school has a large library and a garden .",
                          "at the end of the year there is a concert in the school hall .",
                          "in {subject} the class learned about {subject_topic} .",
                          "the school is next to the {aplace} .",
                          "many students walk or cycle to school .",
                          "the teacher has taught there for {number} years .",
                          "the students wrote essays about {subject_topic} .",
                          "the school day starts at {clock} .",
                          "before that the teacher worked as a {job2} .",
                          "the students also learn {language} and english .",
                          "there is a test at the end of every month .",
                          "the children have a break at eleven .",
                          "in the last lesson they sang songs in {language2} .",
                          "the class read {any_book} this term .",
                          "the students made a map of {city} .",
                          "the school choir sang at the town hall .",
                          "parents meet the teachers twice a year .",
                          "the students planted trees near the school .",
                          "the school was built about a hundred years ago .",
                          "the children learn to swim in the third year .",
                          "the older students help the younger ones with reading .",
                          "the head teacher knows every child by name .",
                          "lessons end at three on {day} .",
                          "the class went to see a play at the theatre{tail} .",
                          "the school has a choir , a football team and a chess club .",
                          "the library is open after school until five .",
                          "the class wrote letters to a school in {country2} .",
                          "some students came from {country2} last year ."});

    t.add("talk_open",
          {"last {day} a {job} from {city2} gave a talk at the {talk_place} about {talk_topic} .",
           "the library in {city} has a talk every {day} evening .",
           "{full} gave a talk about {talk_topic} at the {talk_place} in {city} ."});
    t.add("talk_fact", {"the talk lasted about an hour .",
                        "about {guests} people came .",
                        "the speaker showed photographs and maps .",
                        "after the talk there were questions from the audience .",
                        "the talk was in {language} , with a short summary in english .",
                        "the speaker has written several books about it .",
                        "tickets were free , but you had to book a seat .",
                        "the next talk will be about {talk_topic} .",
                        "the hall was full , so some people stood at the back .",
                        "the speaker came from {city2} by train .",
                        "coffee and cake were served after the talk .",
                        "the talk was part of a series about the history of {country} .",
                        "a student asked about {talk_topic} .",
                        "the speaker spoke without notes .",
                        "some people took notes .",
                        "the talk was recorded and put online .",
                        "the speaker answered questions for half an hour .",
                        "the hall smelled of coffee and old books .",
                        "the speaker brought an old map of {city} .",
                        "a woman in the front row asked most of the questions ."});
    t.add("talk_place", {"library", "town hall", "university", "museum", "bookshop", "school"});
    t.add("talk_topic", {"the history of {city}",
                         "birds of the coast",
                         "old ships",
                         "the planets",
                         "bees and honey",
                         "growing vegetables",
                         "the music of {composer}",
                         "life in the mountains",
                         "old maps",
                         "the rivers of {country}",
                         "how bread is made",
                         "the building of the old bridge",
                         "the food of {country}",
                         "trains in the old days",
                         "the old harbour",
                         "the stars",
                         "birds in winter",
                         "the history of the railway",
                         "life in {city2}",
                         "old castles",
                         "the plants of the desert",
                         "the language of {country}"});

    t.add("sport_open", {"last {day} the team from {city} played against the team from {city2} .",
                         "{name} {sport_play} every {day} .", "{sport_fact} .",
                         "{name} started {sport_ing} when {pron} was {age_small} ."});
    t.add("sport_fact", {"the team from {city} won the match {score} .",
                         "the first half ended without a goal .",
                         "{name2} scored twice in the second half .",
                         "it rained during the whole match .",
                         "about {number} thousand people watched at the stadium .",
                         "the coach changed {few} players at half time .",
                         "{name} trains {number} times a week .",
                         "{name} {sport_play} with {poss} {relative} every {day} .",
                         "{sport_fact} .",
                         "the match was shown on television in {country} .",
                         "the {sport_place} was busy on {day} evening .",
                         "the next match is on {day} .",
                         "the players trained on {day} and {day} .",
                         "{name} has played for the team for {number} years .",
                         "the goalkeeper saved a penalty in the last minute .",
                         "the fans sang all through the second half .",
                         "the team travelled to {city2} by bus .",
                         "after the match the players thanked the fans .",
                         "{name} hurt {poss} knee and missed three matches .",
                         "the stadium is near the {aplace} .",
                         "the team trains at the {sport_place} near the {aplace} .",
                         "{name2} is the captain of the team .",
                         "the season starts in {month} and ends in {month} .",
                         "the fans travelled by {transport} to {city2} .",
                         "the local club has teams for children and adults .",
                         "a marathon is about forty two kilometres long .",
                         "chess is played on a board with sixty four squares .",
                         "the olympic games take place every four years .",
                         "a swimming pool for races is often fifty metres long .",
                         "the ball went over the bar in the last minute .",
                         "{name2} has scored {number} goals this season .",
                         "the stadium holds about {number} thousand people .",
                         "the team wears {colour} shirts .",
                         "the goalkeeper tries to save every shot .",
                         "the team loses most away matches ."});
    t.add("score", {"two to one", "one to nothing", "three to one", "three to two", "four to nothing",
                    "two to two", "one to one", "five to three"});
    t.add("age_small", {"six", "seven", "eight", "nine", "ten", "twelve"});

    t.add("shopping_open", {"on {day} {name} went to the market in {city} .",
                            "{name} needed a new {item} , so {pron} went into town .",
                            "there is a small shop near the {aplace} that sells {shop_goods} ."});
    t.add("shopping_fact", {"{then}{subj} bought {food_item} , {food_item} and a loaf of bread .",
                            "the shop sells {shop_goods} .",
                            "{then}{subj} paid by card .",
                            "the shop assistant helped {obj} find the right size .",
                            "{then}{subj} carried everything home in a {colour} bag .",
                            "the new {item} was cheaper than the old one .",
                            "{then}{subj} took the {item} back because it was the wrong colour .",
                            "there was a long queue at the bakery .",
                            "the market sells fruit , vegetables , cheese and flowers .",
                            "farmers from the villages sell their {food_item} there .",
                            "the shops in the old town close at six .",
                            "{then}{subj} bought a present for {poss} {relative}{tail} .",
                            "the bakery sells fresh bread until noon .",
                            "the market opens at seven .",
                            "the bookshop near the {aplace} has a small cafe .",
                            "{then}{subj} looked in {few} shops before {pron} found one .",
                            "the shop opened last {season} .",
                            "the owner of the shop used to be a {job2} .",
                            "{then}{subj} asked for a bag and paid in cash .",
                            "{then}{subj} compared the prices in {few} shops .",
                            "the shop assistant wrapped it in paper .",
                            "the market stalls close at one .",
                            "{subj} always buys {food_item} from the same stall .",
                            "the shop is run by a family from {country} .",
                            "the baker gave the children a biscuit .",
                            "{subj} bought {few} postcards and a stamp .",
                            "the queue at the cheese stall was long .",
                            "the market has sold {food_item} for more than a hundred years ."});
    t.add("shop_goods",
          {"old books and maps", "bicycles", "cheese and wine", "hats and scarves", "lamps", "toys and games",
           "tea and coffee", "shoes", "second hand records", "pots and pans", "fresh fish",
           "paints and brushes", "maps and guidebooks", "old furniture", "bread and cakes"});
}

// --- food and travel: cooking, restaurants, hotels, trips ----------------------------------------

const Subject kMeal = {
    {"{dish}", "sauce", "bread", "salad", "dessert", "soup", "wine", "cake", "vegetables", "recipe"},
    {"meal", "dinner", "lunch", "recipe", "evening"},
    {"we", "my {relative}", "the guests", "the others"},
    true,
    {"at dinner", "at lunch"}};

const Subject kRestaurant = {
    {"{dish}", "soup", "bread", "fish", "dessert", "wine", "coffee", "service", "staff", "portions", "sauce",
     "menu", "music", "starters", "main course", "waiter"},
    {"meal", "dinner", "restaurant", "evening", "lunch"},
    {"we", "my {relative}", "the critics", "most guests"},
    true,
    {"at {restaurant}", "at the restaurant"}};

const Subject kHotel = {{"room", "rooms", "staff", "breakfast", "view", "beds", "location", "pool", "service",
                         "garden", "bathroom", "restaurant"},
                        {"hotel", "place", "stay", "week"},
                        {"we", "my {relative}", "most guests"},
                        true,
                        {"at {hotel}", "at the hotel"}};

const Subject kTrip = {{"journey", "guide", "weather", "beaches", "tour", "food", "train", "views",
                        "old town", "hotel", "ferry", "museums", "walks", "flight"},
                       {"trip", "holiday", "week", "journey", "weekend"},
                       {"we", "my {relative}", "the others"},
                       true,
                       {"on the trip", "in {city2}"}};

void add_food_travel_rules(Templates& t) {
    t.add("cooking_open", {"to make {dish} you need {ingredients} .", "{dish_origin} .",
                           "my {relative} makes {dish} every {day} .",
                           "last {day} {name} cooked {dish} for {poss} {relatives} ."});
    t.add("cooking_fact", {"to make {dish} you need {ingredients} .",
                           "you can buy everything for {dish} at the market .",
                           "first , wash the vegetables and cut them into small pieces .",
                           "then cook everything slowly for about {minutes} minutes .",
                           "add a little salt and pepper at the end .",
                           "{dish_origin} .",
                           "{subj} learned the recipe from {poss} {relative} .",
                           "the recipe is in an old book from {country} .",
                           "{subj} always makes enough for {number} people .",
                           "serve it with bread and a green salad .",
                           "it keeps for {few} days in the fridge .",
                           "the kitchen smelled of {smell} .",
                           "we ate in the garden because the evening was warm .",
                           "{name2} brought a bottle of wine and some flowers .",
                           "bake it in a hot oven for about {minutes} minutes .",
                           "leave it to cool before you cut it .",
                           "fry the onions in a little oil until they are soft .",
                           "peel the potatoes and cut them in half .",
                           "mix the flour and the eggs in a large bowl .",
                           "heat the oven to two hundred degrees .",
                           "let it rest for an hour .",
                           "taste it and add more salt if needed .",
                           "{name} wrote the recipe on a card for {poss} {relative} .",
                           "chop the herbs and add them at the end .",
                           "the sauce needs to cook slowly .",
                           "put the dough in a warm place for an hour .",
                           "{often}{subj} keeps the recipe in a small notebook .",
                           "{dish} can be kept in the freezer for a month .",
                           "{subj} used the last of the {food_item} from the garden .",
                           "the children set the table .",
                           "cover the pan and let it cook on a low heat .",
                           "{dish} goes well with a glass of {drink} ."});
    t.add("smell", {"garlic", "onions", "cinnamon", "fresh bread", "coffee", "basil", "lemons",
                    "fresh coffee", "roast onions", "warm butter", "vanilla"});

    t.add("restaurant_open", {"{restaurant} is a small restaurant near the {rest_place} in {rest_city} .",
                              "last {day} we had dinner at {restaurant} in {rest_city} .",
                              "for {poss} birthday {name} invited us to {restaurant} in {rest_city} ."});
    t.add("restaurant_fact", {"{restaurant} is known for its {rest_dish} .",
                              "the menu is in {rest_language} and english .",
                              "it is open every day except {rest_closed} .",
                              "you should book a table for the weekend .",
                              "we ordered {dish} and a bottle of water .",
                              "the waiter brought bread and olives to the table .",
                              "we sat at a table by the window .",
                              "after dinner we walked back to the hotel through the old town .",
                              "my {relative} had the fish and i had the {rest_dish} .",
                              "the restaurant was full , so we waited for a table .",
                              "the owner used to be a {rest_owner_job} .",
                              "the kitchen is open until late .",
                              "in summer there are tables outside on the square .",
                              "{restaurant} opened in {rest_year} .",
                              "the chef comes from {rest_chef_country} .",
                              "the waiter told us about the {rest_dish} .",
                              "we shared a dessert and two coffees .",
                              "the restaurant has about forty seats .",
                              "most of the vegetables come from farms near {rest_city} .",
                              "the waiters speak {rest_language} and a little english .",
                              "we got a table on the terrace{tail} .",
                              "the bill came with two small biscuits .",
                              "the bread is baked in the kitchen every morning .",
                              "the menu is written on a board by the door .",
                              "{restaurant} is popular with students and families .",
                              "there is a small garden at the back ."});

    t.add("hotel_open", {"{hotel} is a hotel in {hotel_city} , near the {aplace} .",
                         "last {season} we stayed for {number} nights at {hotel} in {hotel_city} .",
                         "{hotel} in {hotel_city} has {hotel_rooms} rooms ."});
    t.add("hotel_fact", {"breakfast is served from seven until ten .",
                         "the rooms on the top floor look over {hotel_view} .",
                         "our room was on the {floor} floor .",
                         "the hotel has a small garden and a restaurant .",
                         "the reception is open day and night .",
                         "we left our bags at the reception and went for a walk .",
                         "there is a bus stop in front of the hotel .",
                         "the staff speak {hotel_language} and english .",
                         "the lift was out of order , so we took the stairs .",
                         "from our window we could see {hotel_view} .",
                         "the hotel is a short walk from the station .",
                         "{hotel} has {hotel_rooms} rooms .",
                         "in the evening the hotel bar serves {drink} and cakes .",
                         "the hotel opened in {hotel_year} .",
                         "the receptionist gave us a map of {hotel_city} .",
                         "our room had a small balcony .",
                         "the hotel lends bicycles to its guests .",
                         "we had breakfast on the terrace .",
                         "the hotel has a car park behind the building .",
                         "our room looked over the courtyard .",
                         "the breakfast room is on the ground floor .",
                         "guests can borrow umbrellas at the reception .",
                         "the hotel has {few} floors and no lift .",
                         "the night porter helped us with the bags .",
                         "the hotel is in a quiet street behind the {sight} ."});

    t.add("trip_open",
          {"last {season} we took the {transport} from {city} to {city2} .",
           "in {month} my {relative} and i went on a trip to {city2} .",
           "this {season} {name} travelled around {country2} for {number} weeks .",
           "we spent a week in {city2} in {month} .", "last {season} we flew from {city} to {city2} ."});
    t.add("trip_fact", {"the journey took {few} hours .",
                        "we stayed for {number} nights in a hotel near the {aplace} .",
                        "on the first day we visited the {sight} .",
                        "i forgot my {thing} on the {transport} .",
                        "we bought our tickets at the station in {city}{tail} .",
                        "our guide was a {job} from {city2} who spoke {language2} and english .",
                        "on the way we stopped in a small {settlement} {setting} .",
                        "we went on a boat trip on the lake{tail} .",
                        "the train was full , so we stood most of the way .",
                        "the ferry left at {clock} in the morning .",
                        "we sent postcards to our {relatives} .",
                        "on the last day we bought presents at the market .",
                        "the road to the old town was rather narrow .",
                        "we walked for hours through the old streets .",
                        "we ate {dish} in a restaurant by the {aplace} .",
                        "most people there speak {language2} , so we learned a few words .",
                        "{city2} is {city2_is} .",
                        "we hired bicycles for a day{tail} .",
                        "{then}we took a day trip to a small {settlement} {setting} .",
                        "{then}we walked up to the {sight}{tail} .",
                        "we got lost in the old streets , but a woman helped us .",
                        "it rained on the second day , so we went to the museums .",
                        "we tried {dish} for the first time .",
                        "we came home tired but happy .",
                        "we took a night train and woke up in {city2} .",
                        "the border check took only a few minutes .",
                        "we changed trains in {city} .",
                        "{then}{subj} kept a diary of the trip .",
                        "on the last evening we watched the sun go down over the {aplace} .",
                        "we packed our bags the night before .",
                        "we left the car at the station and went on by {transport} .",
                        "the bus to the coast took longer than planned .",
                        "we spent the afternoon at the {aplace} .",
                        "{name2} met us at the station with a map .",
                        "we slept in a small guest house on the second night .",
                        "{name2} climbs in the mountains every summer .",
                        "the last ferry returns at six .",
                        "we tried to save money by cooking in the flat ."});
}

// --- culture: books, theatre, concerts, series, documentaries, games, exhibitions, festivals, films ---

const Subject kBook = {{"story", "plot", "characters", "ending", "dialogue", "pacing", "humour", "writing",
                        "translation", "cover", "first chapter", "descriptions", "main character", "editing"},
                       {"book", "novel", "read", "story"},
                       {"critics", "my {relative}", "most readers", "our book club"},
                       false,
                       {"of {title}", "of the book", "of the novel"}};

const Subject kPlay = {
    {"acting", "cast",         "script",     "dialogue", "direction",  "costumes",  "music",
     "songs",  "performances", "lead actor", "ending",   "set",        "lighting",  "effects",
     "humour", "pacing",       "plot",       "story",    "characters", "second act"},
    {"play", "evening", "production", "show"},
    {"critics", "we", "my {relative}", "the audience"},
    false,
    {"of {title}", "in this production", "in the second act"}};

const Subject kConcert = {
    {"music", "songs", "band", "orchestra", "singer", "lead singer", "sound", "lighting", "effects",
     "visuals", "performances", "costumes", "encore", "programme", "piano"},
    {"concert", "evening", "night", "show"},
    {"we", "the critics", "my {relative}", "the audience"},
    true,
    {"at the concert", "on {day}"}};

const Subject kSeries = {
    {"story",         "plot",   "characters",     "script",      "acting",   "cast",       "dialogue",
     "soundtrack",    "music",  "cinematography", "camera work", "editing",  "effects",    "visuals",
     "ending",        "pacing", "humour",         "direction",   "episodes", "lead actor", "first episode",
     "final episode", "songs",  "costumes",       "performances"},
    {"series", "show", "season"},
    {"critics", "we", "my {relative}", "most viewers"},
    false,
    {"of {title}", "in the first season", "in the new season"}};

const Subject kDocumentary = {{"camera work", "cinematography", "editing", "music", "soundtrack", "narration",
                               "visuals", "pacing", "script", "interviews", "ending", "effects"},
                              {"documentary", "programme", "film"},
                              {"critics", "we", "my {relative}", "the children"},
                              false,
                              {"of the documentary", "in the last part"}};

const Subject kGame = {{"story", "characters", "soundtrack", "music", "visuals", "effects", "controls",
                        "levels", "ending", "dialogue", "humour", "puzzles", "pacing", "voice acting"},
                       {"game"},
                       {"critics", "my {relative}", "most players", "we"},
                       false,
                       {"of {title}", "in {title}", "in the later levels"}};

const Subject kExhibition = {{"paintings", "photographs", "drawings", "lighting", "rooms", "guide",
                              "catalogue", "visuals", "colours", "portraits", "audio guide", "cafe"},
                             {"exhibition", "afternoon", "show", "visit"},
                             {"critics", "we", "my {relative}", "most visitors"},
                             false,
                             {"at the exhibition", "at the museum"}};

const Subject kFestival = {{"music", "food", "atmosphere", "films", "talks", "fireworks", "organisation",
                            "programme", "events", "concerts", "stages"},
                           {"festival", "weekend", "day", "year"},
                           {"we", "the critics", "my {relative}", "most visitors"},
                           true,
                           {"at the festival", "this year"}};

const Subject kFilm = {{"plot", "story", "acting", "cast", "script", "dialogue", "direction", "soundtrack",
                        "cinematography", "ending", "editing", "effects", "costumes"},
                       {"film"},
                       {"critics", "my {relative}", "most viewers"},
                       false,
                       {"of {title}", "of the film"}};

void add_culture_rules(Templates& t) {
    t.add("book_open", {"{title} is a novel by {author} .", "{author} wrote {title} in {year} .",
                        "last {season} i read {title} by {author} .",
                        "{title} , a novel by {author} , was first published in {year} ."});
    t.add("book_fact", {"it was first published in {year} .",
                        "the story is set in a small {w_settlement} {w_setting} .",
                        "the story takes place in {setting_city} during the {wseason} .",
                        "the novel follows a {hero} who {event} .",
                        "it is the {ordinal} book in the series .",
                        "the book has {count} chapters .",
                        "it has been translated into {tlang} and {tlang2} .",
                        "{author} wrote it while living in {work_city} .",
                        "the first chapter begins on a rainy {day} in {setting_city} .",
                        "there is a long scene at a {wplace} in the middle of the book .",
                        "i read it on the {transport} to work .",
                        "my {relative} gave me the book for my birthday .",
                        "you can borrow it from the library in {city} .",
                        "the story is told by the {hero} .",
                        "{adaptation} .",
                        "the main character is a {hero} called {hero_name} .",
                        "{author} was born in {author_city} in {author_year} .",
                        "the book is about {pages} pages long .",
                        "the cover shows {cover} .",
                        "the library has {few} copies , and all of them are out .",
                        "i finished it in {few} days .",
                        "{form} .",
                        "{author} spent {few} years writing it .",
                        "i bought it in a second hand bookshop in {city} .",
                        "{author} has written {author_books} books .",
                        "the novel was first written in {w_language} .",
                        "there is a map of {setting_city} at the front of the book .",
                        "{author} dedicated the book to {author_poss} {relative} ."});

    t.add("theatre_open", {"{title} is a play by {author} .",
                           "last {day} we went to see {title} at the {theatre} in {city} .",
                           "{title} is on at the {theatre} in {city} until the end of {month} ."});
    t.add("theatre_fact", {"it was first performed in {work_city} in {year} .",
                           "{actor} plays a {hero} who {event} .",
                           "{actor} plays the {hero} and {full2} plays {actor_poss} {relative} .",
                           "the play runs for about two hours with one break .",
                           "the music was written by a composer from {w_composer_country} .",
                           "the play is in english with some songs in {w_language} .",
                           "the story takes place in {setting_city} during the {wseason} .",
                           "this is the {ordinal} play from the director of {title2} .",
                           "the costumes were made by hand .",
                           "tickets are cheaper on {day} evenings .",
                           "the theatre was full on the night we went .",
                           "there is a long scene at a {wplace} in the middle of the play .",
                           "at the end the cast came back on stage three times .",
                           "{author} wrote it in {year} .",
                           "the play has {acts} acts .",
                           "this production was directed by {director} .",
                           "the actors rehearsed for {few} months .",
                           "the set shows a {wplace} at night .",
                           "tickets cost less for students .",
                           "the play needs only {cast_size} actors .",
                           "after the show the actors talked to the audience .",
                           "the stage shows a {wplace} with a table and two chairs .",
                           "the play was first performed in {w_language} .",
                           "the theatre sells cheap tickets an hour before the show .",
                           "the play ends with a song ."});
    t.add("form", {"the story is told in letters", "the story is told by the {hero}",
                   "each chapter is told by a different character",
                   "the story moves between the past and the present",
                   "the whole story takes place in one day", "the story is told as a diary"});
    t.add("cover", {"a lighthouse at night", "a woman on a bicycle", "an old map", "a house by the sea",
                    "a train in the snow", "a boat on a lake", "two children on a beach",
                    "a window with flowers", "a red door", "a fox in the snow", "an empty street in the rain",
                    "a tree on a hill", "a black cat", "a ship at sea"});
    t.add("theatre",
          {"old theatre", "city theatre", "small theatre by the river", "national theatre",
           "theatre on the main square", "puppet theatre", "theatre near the station", "open air theatre"});

    t.add("concert_open", {"last {day} we went to a concert at the {venue} in {city} .",
                           "the {city} orchestra played music by {composer} on {day} evening .",
                           "{band} played in {band_city} last {season} ."});
    t.add("concert_fact", {"{composer_fact} .",
                           "the orchestra played music by {composer} and {composer2} .",
                           "{band} is a {band_genre} band from {band_city} .",
                           "the band started in {band_year} .",
                           "the band played {number} songs and the concert lasted about two hours .",
                           "the singer spoke to the audience in {language} and english .",
                           "the tickets sold out in a few days .",
                           "the last song was an old {band_genre} song from {country} .",
                           "the orchestra also played the soundtrack of a famous film .",
                           "at the end the audience stood and clapped for a long time .",
                           "{name} plays the {instrument} in the orchestra .",
                           "the concert started late because of the rain .",
                           "{band} has made {band_albums} albums .",
                           "the lead singer of {band} is {band_singer} .",
                           "the programme began with a short piece by {composer2} .",
                           "the concert was recorded for the radio .",
                           "people danced in front of the stage .",
                           "the support band came from {city2} .",
                           "the orchestra has about eighty musicians .",
                           "the band played some new songs and many old ones .",
                           "the singer played the guitar on two songs .",
                           "the conductor came from {city2} .",
                           "the hall was quiet during the slow parts .",
                           "the concert hall was built in {hall_year} .",
                           "the band travelled by bus from {band_city} .",
                           "the second half began with a song about {band_city} ."});
    t.add("venue", {"concert hall", "opera house", "old church", "town hall", "jazz club", "park",
                    "open air stage", "old cinema", "cathedral"});
    t.add("instrument", {"violin", "cello", "piano", "flute", "trumpet", "drums", "guitar", "clarinet",
                         "harp", "double bass", "saxophone", "organ"});

    t.add("series_open", {"{title} is a television series from {w_country} .",
                          "the {next_ordinal} season of {title} starts in {w_month} .",
                          "last {season} we watched {title} with my {relative} ."});
    t.add("series_fact", {"it was first shown in {year} .",
                          "the series follows a {hero} who {event} .",
                          "{actor} plays the {hero} and {full2} plays {actor_poss} {relative} .",
                          "most of the scenes were filmed near the {wplace} in {setting_city} .",
                          "each episode runs for about an hour .",
                          "the series has {count} seasons so far .",
                          "the soundtrack was written by a composer from {w_composer_country} .",
                          "the series is in {w_language} with english subtitles .",
                          "the first trailer for the new season came out in {month} .",
                          "the story takes place in {setting_city} during the {wseason} .",
                          "we watched two episodes every evening .",
                          "my {relative} liked the trailer , so we started watching .",
                          "a {animal} appears in several episodes .",
                          "a new episode comes out every {w_day} .",
                          "{author} wrote the first season .",
                          "the lead actor is {actor} .",
                          "the first episodes were directed by {director} .",
                          "the series was filmed over {few} months .",
                          "each season has {episodes} episodes .",
                          "you can watch it on the public channel .",
                          "the series was shot in {setting_city} and {work_city} .",
                          "{actor} learned {w_language} for the role ."});

    t.add("documentary_open", {"the documentary follows a family of {animals} through one year .",
                               "last {day} the television showed a documentary about {animals} .",
                               "a new documentary about the {river} was shown on {day} ."});
    t.add("documentary_fact",
          {"it was filmed over two years .", "{animals} eat {food} .",
           "a young {animal} is called a {young} .", "the camera team waited for weeks to see the {young} .",
           "the documentary runs for about an hour .", "the music was written by a composer from {country} .",
           "the narrator explains how {animals} find food in winter .",
           "it was shown at a festival in {city} last {season} .",
           "some scenes were filmed at night with special cameras .", "the {river} flows through {city} .",
           "the team filmed {animals} {home} .", "the narrator is the actor {full} .",
           "scientists explain why {animals} live {home} .", "the last part shows the {animals} in winter .",
           "the documentary was made for television in {country} .",
           "the crew lived in tents for several weeks .", "the film shows where the {animals} find food .",
           "the crew followed one {young} from birth ."});

    t.add("game_open",
          {"{title} is a video game from {year} .", "in {title} the player is a {hero} who {event} .",
           "my {relative} plays {title} every evening ."});
    t.add("game_fact",
          {"the game is set in a small {w_settlement} {w_setting} .",
           "players can explore the {wplace} , the forest and the old town .",
           "the game has {count} levels .", "you can play it alone or with friends .",
           "the soundtrack was written by a composer from {w_composer_country} .",
           "it takes about twenty hours to finish the game .",
           "the game was made by a small team in {work_city} .", "a new version came out last {season} .",
           "the characters speak {w_language} with english subtitles .",
           "the story takes place in {setting_city} during the {wseason} .",
           "players collect keys and maps to open new parts of the world .",
           "most levels end with a puzzle .", "the game has a map of the whole island .",
           "players can choose between {few} characters .", "the game was first made for phones ."});

    t.add("exhibition_open",
          {"the {museum} in {city} has a new exhibition of {art} by {painter} .",
           "last {day} we went to an exhibition of {art} by {painter} at the {museum} in {city} ."});
    t.add("exhibition_fact",
          {"the exhibition runs until the end of {month} .", "it is open every day except {day} .",
           "{painter} was born in {painter_city} in {painter_year} .",
           "{painter} painted mostly {painter_subject} .", "the exhibition fills {few} rooms .",
           "tickets are free for children .", "you can borrow an audio guide at the entrance .",
           "the museum shop sells books and postcards .",
           "the largest painting shows the harbour of {painter_city} at night .",
           "some of the photographs were taken more than a hundred years ago .",
           "the exhibition came from a museum in {city2} .",
           "the audio guide is in {language} , english and {language2} .",
           "there is a room for children with paper and pencils .",
           "the works come from museums in {city2} and {country3} .",
           "the paintings hang in the order they were made .",
           "a short film about {painter} plays in the last room .",
           "the museum is free on the first {day} of the month .",
           "{painter} lived in {painter_city} for most of {painter_poss} life .",
           "the exhibition took four years to plan ."});
    t.add("museum",
          {"city museum", "museum of modern art", "national gallery", "old town hall",
           "museum of photography", "museum of history", "maritime museum", "small gallery by the river"});
    t.add("art", {"paintings", "photographs", "drawings", "prints", "posters", "portraits", "sculptures",
                  "watercolours", "maps"});

    t.add("festival_open", {"every {fest_season} there is a {fest_kind} festival in {fest_city} .",
                            "the {fest_kind} festival in {fest_city} takes place every {fest_season} .",
                            "last {fest_season} we went to the {fest_kind} festival in {fest_city} ."});
    t.add("festival_fact",
          {"the festival lasts {few} days .", "people come from all over {fest_country} .",
           "there are concerts , talks and films in the squares and parks .", "many events are free .",
           "the festival ends with fireworks over the {aplace} .",
           "tickets for the main events sell out quickly .",
           "this year the festival showed films from {country2} .",
           "we camped near the river with {few} friends .", "the first festival took place in {fest_year} .",
           "{band} played on the main stage .", "local bakers sell {dish} from small stalls .",
           "volunteers help with everything from tickets to tents .",
           "the town is full during the festival week .", "some events take place in the old {sight} .",
           "the festival programme comes out in {month} .",
           "every evening there is a film on a big screen in the main square .",
           "the festival has its own small newspaper ."});

    t.add("film_open",
          {"{title} is a film from {year} .", "{title} is a film by {author} , who also wrote the script ."});
    t.add(
        "film_fact",
        {"it was shown at a festival in {work_city} in {year} .", "the film follows a {hero} who {event} .",
         "the film runs for about two hours .", "most of the scenes were filmed near the {wplace} .",
         "the music was written by a composer from {w_composer_country} .", "{actor} plays the {hero} .",
         "the film is in {w_language} with english subtitles .", "it is the {ordinal} film of its director .",
         "the story takes place in {setting_city} during the {wseason} .",
         "the film was made in {work_city} in {year} .", "the film was shown in cinemas in {few} countries .",
         "the film was shot in {few} weeks .", "the film was shown on television last {season} .",
         "the film was made with a small budget .", "{actor} learned to ride a horse for the film ."});
}

// --- science and geography: facts that are simply true, no mood ----------------------------------
// A paragraph takes 3 to 7 facts of one group, in random order; the corpus repeats them so a
// model can learn them. Geography adds facts made from the tables above (capitals, rivers).

const std::vector<std::vector<std::string>> kScience = {
    {// space
     "the sun is a star .",
     "the earth goes around the sun once a year .",
     "the moon goes around the earth about once a month .",
     "light from the sun takes about eight minutes to reach the earth .",
     "there are eight planets in the solar system .",
     "mercury is the closest planet to the sun .",
     "venus is the second planet from the sun .",
     "venus is the hottest planet in the solar system .",
     "the earth is the third planet from the sun .",
     "mars is the fourth planet from the sun and is often called the red planet .",
     "jupiter is the fifth planet from the sun .",
     "jupiter is the largest planet in the solar system .",
     "saturn is the sixth planet from the sun .",
     "saturn has bright rings made of ice and rock .",
     "uranus is the seventh planet from the sun .",
     "neptune is the planet farthest from the sun .",
     "the moon has no air and no weather .",
     "a day on mars is a little longer than a day on earth .",
     "the earth turns once a day , which gives us day and night .",
     "stars look small because they are very far away .",
     "astronauts can live on the space station for months ."},
    {// earth, water and weather
     "water boils at one hundred degrees celsius at sea level .", "water freezes at zero degrees celsius .",
     "ice is lighter than water , so it floats .",
     "salt water freezes at a lower temperature than fresh water .",
     "rain falls when drops of water in the clouds grow heavy .", "warm air rises and cold air sinks .",
     "most of the surface of the earth is covered by water .", "the pacific is the largest ocean on earth .",
     "clouds are made of tiny drops of water or ice .", "thunder is the sound that lightning makes .",
     "lightning is hotter than the surface of the sun .", "rivers flow downhill to the sea .",
     "volcanoes form where hot rock comes up from inside the earth .",
     "earthquakes happen when large pieces of the earth move .", "deserts get very little rain .",
     "only a small part of the water on earth is fresh water .", "wind is air that moves ."},
    {// the body
     "the heart pumps blood around the body .", "the human body has two hundred and six bones .",
     "the brain controls the body .", "the lungs take in oxygen from the air .",
     "blood carries oxygen around the body .", "the skin is the largest organ of the body .",
     "an adult has thirty two teeth .", "children have twenty milk teeth .", "muscles move the bones .",
     "the stomach breaks down food .", "sleep helps the body and the brain to rest .",
     "the smallest bone in the body is in the ear .",
     "a normal body temperature is about thirty seven degrees celsius .",
     "hair and nails grow all the time ."},
    {// physics
     "light travels much faster than sound .", "sound cannot travel through empty space .",
     "a magnet pulls on iron but not on wood .", "iron rusts when it meets water and air .",
     "metal feels cold because it carries heat away from the hand .",
     "a rainbow shows the colours that make up white light .", "a lens can make small things look larger .",
     "electricity flows easily through copper .", "rubber and glass do not carry electricity well .",
     "without air , a feather and a stone fall at the same speed .", "heat makes most things expand .",
     "sound travels faster in water than in air .", "a lever helps to lift heavy things .",
     "the earth pulls everything towards its centre ."},
    {// living things
     "plants need light , water and air to grow .", "plants take in carbon dioxide and give out oxygen .",
     "bees carry pollen from flower to flower .", "a spider has eight legs and an insect has six .",
     "trees lose their leaves in autumn and grow new ones in spring .", "mammals feed their young on milk .",
     "birds have feathers and lay eggs .", "fish breathe through gills .",
     "reptiles have dry skin covered in scales .", "amphibians begin their lives in water .",
     "seeds need water and warmth to grow .", "mushrooms are neither plants nor animals .",
     "the roots of a plant take in water from the soil .", "leaves are green because of chlorophyll .",
     "some trees live for thousands of years ."},
    {// numbers and time
     "a year has twelve months and a week has seven days .",
     "a minute has sixty seconds and an hour has sixty minutes .", "a day has twenty four hours .",
     "a kilometre is a thousand metres .", "a metre is a hundred centimetres .",
     "a kilogram is a thousand grams .", "a litre of water weighs about one kilogram .",
     "a leap year has three hundred and sixty six days .",
     "february has twenty eight days , or twenty nine in a leap year .", "a dozen is twelve .",
     "a century is a hundred years .", "a triangle has three sides and a square has four .",
     "the angles of a triangle add up to one hundred and eighty degrees .",
     "an even number can be divided by two .", "seven is a prime number ."},
};

const std::vector<std::string> kGeographyFacts = {
    "the nile is the longest river in africa .",
    "the danube flows through ten countries .",
    "vienna , bratislava , budapest and belgrade all lie on the danube .",
    "the rhine rises in the alps of switzerland .",
    "the amazon carries more water than any other river .",
    "mont blanc is the highest mountain in the alps .",
    "the pyrenees lie between france and spain .",
    "mount everest is the highest mountain on earth .",
    "mount fuji is the highest mountain in japan .",
    "kilimanjaro is the highest mountain in africa .",
    "the andes run along the west of south america .",
    "the sahara is the largest hot desert in the world .",
    "the mediterranean sea lies between europe and africa .",
    "the loire is the longest river in france .",
    "the po is the longest river in italy .",
    "the thames is the longest river that lies wholly in england .",
    "iceland has many volcanoes and hot springs .",
    "the baltic sea is less salty than most seas .",
};

// Every true fact the tables hold: capitals, rivers and where they end, languages.
std::vector<std::string> geography_facts() {
    std::vector<std::string> facts = kGeographyFacts;
    for (const City& c : kCities) {
        const std::string name = c.name, country = c.country;
        if (c.capital) facts.push_back(name + " is the capital of " + country + " .");
        if (c.river[0]) facts.push_back("the " + std::string(c.river) + " flows through " + name + " .");
        if (c.sea[0]) facts.push_back(name + " lies on the coast of " + c.sea + " .");
    }
    for (const River& r : kRivers)
        if (r.mouth[0]) facts.push_back("the " + std::string(r.name) + " flows into " + r.mouth + " .");
    for (const Country& k : kCountries) {
        facts.push_back("people in " + std::string(k.name) + " speak " + k.languages + " .");
        facts.push_back(std::string(k.name) + " is a country in " + k.continent + " .");
    }
    return facts;
}

// ==== 3. Moods: opinion sentences by the rules of the labelled reviews ===========================
// The same rules as text_reviews.cpp, so that pretraining here teaches them: an opinion counts
// +1 or -1, a strong degree word doubles it, a weak one halves it, two words joined by "and"
// count twice, "not" flips it, and in "A , but B" only B counts. (Scores below are in halves,
// so they stay integers.) A paragraph's opinions always sum to its mood.
//
// The frames: {a} the aspect ("the soup", "the ending of the lost letters"), {be} was/were,
// {w} the opinion ("really superb", "slightly dull", "superb and lovely"), {judge} someone
// other than "i", {sense} tasted/sounded/looked/seemed, {noun} the thing as a whole. The
// reviews' own four frames are listed twice, so they stay the most common.
const std::vector<std::string> kFrames = {"i found {a} {w}",
                                          "i found {a} {w}",
                                          "{a} felt {w}",
                                          "{a} felt {w}",
                                          "i thought {a} {be} {w}",
                                          "i thought {a} {be} {w}",
                                          "{a} {be} {w}",
                                          "{a} {be} {w}",
                                          "{judge} found {a} {w}",
                                          "{judge} thought {a} {be} {w}",
                                          "{judge} said {a} {be} {w}",
                                          "{a} turned out to be {w}",
                                          "{judge} agreed that {a} {be} {w}",
                                          "{judge} felt that {a} {be} {w}",
                                          "{a} {sense} {w}"};
const std::vector<std::string> kNegatedFrames = {"{a} {be} not {w}", "i did not find {a} {w}",
                                                 "{a} {be} certainly not {w}", "{judge} did not find {a} {w}",
                                                 "{a} {be} not at all {w}"};
const std::vector<std::string> kVerdicts = {"overall , it {is} a {w} {noun} .", "all in all , a {w} {noun} .",
                                            "{judge} said it {is} a {w} {noun} ."};
const std::vector<std::string> kNegatedVerdicts = {"overall , it {is} not a {w} {noun} .",
                                                   "it {is} certainly not a {w} {noun} ."};
// Now and then a few words before an opinion: "to be honest , the plot was dull ."
const std::vector<std::string> kLeadIns = {
    "to be honest , ",           "in my view , ",   "for me , ",    "honestly , ",
    "as far as i could tell , ", "looking back , ", "i must say , "};

class MoodWriter {
  public:
    MoodWriter(Rng& rng, const Templates& t, const Vars& v) : rng_(rng), t_(t), v_(v) {}

    // Opinion sentences about `s` with 3 to 8 opinion words, summing to the polarity `warm`.
    std::vector<std::string> write(const Subject& s, bool warm);

  private:
    struct Clause {
        std::string text;
        int score;      // in halves: plain 2, strong 4, weak 1, a pair joined by "and" 4
        int words = 1;  // opinion words in it
    };
    Clause clause(bool positive, int degree, bool negated);
    Clause verdict(bool positive, int degree, bool negated);
    const std::string& next_aspect();
    std::string word(bool positive) { return pick(rng_, positive ? pos_ : neg_); }
    std::string degree_word(int degree) {
        return degree == 0 ? pick(rng_, lex_.weak) + " " : degree == 2 ? pick(rng_, lex_.strong) + " " : "";
    }
    std::string lead_in(const std::string& clause) {  // not before "my sister thought ..."
        const bool plain = clause.rfind("the ", 0) == 0 || clause.rfind("i ", 0) == 0;
        return plain && rng_.below(3) == 0 ? pick(rng_, kLeadIns) : "";
    }

    Rng& rng_;
    const Templates& t_;
    const Vars& v_;
    SentimentLexicon lex_;
    std::vector<std::string> pos_ = lex_.all(true), neg_ = lex_.all(false);
    const Subject* subject_ = nullptr;
    std::vector<std::size_t> order_;  // the aspects, shuffled, so a paragraph rarely repeats one
    std::size_t next_ = 0;
};

const std::string& MoodWriter::next_aspect() {
    if (next_ == order_.size()) {
        rng_.shuffle(order_);
        next_ = 0;
    }
    return subject_->aspects[order_[next_++]];
}

// "i found the soup really superb" / "the staff were not dull". degree: 0 weak, 1 plain, 2 strong.
MoodWriter::Clause MoodWriter::clause(bool positive, int degree, bool negated) {
    const std::string& a = next_aspect();
    std::string name = "the " + t_.expand(a, rng_, v_);
    if (!subject_->where.empty() && rng_.below(4) == 0)
        name += " " + t_.expand(pick(rng_, subject_->where), rng_, v_);
    Vars f = {{"a", name},
              {"be", t_.expand(be_of(a), rng_, v_)},
              {"sense", sense_of(a)},
              {"judge", t_.expand(pick(rng_, subject_->judges), rng_, v_)}};
    const int sign = positive ? 1 : -1;
    if (negated) {
        f["w"] = word(!positive);
        return {t_.expand(pick(rng_, kNegatedFrames), rng_, f), 2 * sign};
    }
    Clause c{"", sign * (degree == 0 ? 1 : degree == 2 ? 4 : 2)};
    f["w"] = degree_word(degree) + word(positive);
    if (degree == 1 && rng_.below(8) == 0) {  // "superb and lovely"
        std::string second = word(positive);
        while (f["w"] == second) second = word(positive);
        f["w"] += " and " + second;
        c.score *= 2;
        c.words = 2;
    }
    c.text = t_.expand(pick(rng_, kFrames), rng_, f);
    return c;
}

// The whole thing at once: "overall , it is a superb book ." / "all in all , a dull evening ."
MoodWriter::Clause MoodWriter::verdict(bool positive, int degree, bool negated) {
    Vars f = {{"noun", t_.expand(pick(rng_, subject_->verdicts), rng_, v_)},
              {"is", subject_->past ? "was" : "is"},
              {"judge", t_.expand(pick(rng_, subject_->judges), rng_, v_)}};
    const int sign = positive ? 1 : -1;
    if (negated) {
        f["w"] = word(!positive);
        return {t_.expand(pick(rng_, kNegatedVerdicts), rng_, f), 2 * sign};
    }
    f["w"] = (degree == 2 ? degree_word(2) : "") + word(positive);
    return {t_.expand(pick(rng_, kVerdicts), rng_, f), sign * (degree == 2 ? 4 : 2)};
}

std::vector<std::string> MoodWriter::write(const Subject& s, bool warm) {
    subject_ = &s;
    order_.resize(s.aspects.size());
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    next_ = order_.size();
    const int sign = warm ? 1 : -1;
    for (;;) {
        const int target = 3 + static_cast<int>(rng_.below(4));  // 3 to 6; a last pair may add one or two
        std::vector<std::string> out;
        int words = 0, score = 0;
        while (words < target) {
            const int degree = rng_.bernoulli(0.3f) ? 2 : 1;
            const unsigned r = rng_.below(100);
            Clause c;
            if (r < 30) {
                // plain: "the soup was lovely ."
                c = clause(warm, degree, false);
                c.text = lead_in(c.text) + c.text + " .";
            } else if (r < 48) {
                // two of the same polarity: "the soup was lovely and the bread was superb ."
                Clause x = clause(warm, degree, false), y = clause(warm, 1, false);
                c = {x.text + " and " + y.text + " .", x.score + y.score, x.words + y.words};
            } else if (r < 60) {
                // a negated opposite: "the hotel was not dull ."
                c = clause(warm, 1, true);
                c.text = lead_in(c.text) + c.text + " .";
            } else if (r < 70) {
                // a small concession: "the room was slightly dull ."
                c = clause(!warm, 0, false);
                c.text += " .";
            } else if (r < 82) {
                // a turn, and only B counts: "the room was dull , but the view was superb ."
                Clause x = clause(!warm, rng_.bernoulli(0.5f) ? 2 : 1, false);
                Clause y = clause(warm, rng_.bernoulli(0.5f) ? 2 : 1, false);
                c = {x.text + " , but " + y.text + " .", y.score, x.words + y.words};
            } else {
                // the whole thing, now and then negated: "overall , it is a superb book ."
                c = verdict(warm, degree, rng_.below(4) == 0);
            }
            out.push_back(c.text);
            score += c.score;
            words += c.words;
        }
        if (words <= 8 && score * sign > 0) return out;
    }
}

// ==== 4. The made-up part of the world, drawn once per run =======================================
// Novels, plays, series, games, films, restaurants, hotels, bands, painters and festivals get
// their facts here, before any paragraph, so every paragraph about one of them agrees.

const std::vector<std::string> kBookTitles = {
    "the quiet river",    "the lighthouse",     "the baker of lisbon",   "the silent harbour",
    "a house by the sea", "the winter garden",  "the red lantern",       "the last summer",
    "the clockmaker",     "the long road home", "the salt road",         "letters from cairo",
    "the night ferry",    "the orchard",        "the painter of venice", "a year in the mountains",
    "the blue door",      "the paper moon",     "the stone house",       "the tailor of prague",
    "the map maker",      "the orange grove",   "the lost letters",      "the cold spring",
    "the weight of snow", "a winter in oslo",   "the river between us",  "the old piano",
    "the yellow bicycle", "the glass bridge"};
const std::vector<std::string> kPlayTitles = {"a long winter",
                                              "the old bridge",
                                              "the empty theatre",
                                              "two sisters",
                                              "the quiet neighbour",
                                              "the dancer",
                                              "the midnight visitor",
                                              "the garden party",
                                              "a room in vienna",
                                              "the fox and the crow",
                                              "the singing fish",
                                              "the last dance",
                                              "the uncle from dublin",
                                              "the wedding in athens",
                                              "the long table",
                                              "the broken clock",
                                              "the open window",
                                              "three brothers",
                                              "the island",
                                              "the daughter of the king"};
const std::vector<std::string> kSeriesTitles = {"the last train",
                                                "summer in rome",
                                                "the harbour lights",
                                                "the green valley",
                                                "the forgotten station",
                                                "the night shift",
                                                "the village doctor",
                                                "the river police",
                                                "north road",
                                                "the border",
                                                "the inspector of naples",
                                                "the family farm",
                                                "the school on the hill",
                                                "the secret of the castle",
                                                "the hotel by the lake",
                                                "the lighthouse keeper",
                                                "island life",
                                                "the new neighbours",
                                                "city of bridges",
                                                "the old port"};
const std::vector<std::string> kGameTitles = {
    "the sunken city",  "star harbour", "the tower of keys",       "ghost lantern",
    "the lost kingdom", "sky pirates",  "the clockwork garden",    "desert wind",
    "the last tower",   "moon valley",  "the dragon of the north", "the iron forest"};
const std::vector<std::string> kFilmTitles = {"the silver coast", "a song for lena",    "the swimmer",
                                              "the cellist",      "the midnight train", "the mountain road",
                                              "the lost letter",  "autumn in paris",    "the blue hour",
                                              "the quiet storm",  "the night market",   "the painted boat"};
const std::vector<std::string> kRestaurants = {
    "the blue door",       "the old mill",     "the golden fish", "the green olive", "the lantern",
    "the harbour kitchen", "the little table", "the red fox",     "the lemon tree",  "the corner cafe",
    "the silver spoon",    "the white horse",  "the fig tree",    "the copper pot",  "the salt cellar",
    "the garden room",     "the night owl",    "the iron bridge", "the sunflower",   "the bread oven",
    "the three bells",     "the fisherman",    "the orchard",     "the olive press"};
const std::vector<std::string> kHotels = {
    "the harbour hotel", "the grand hotel", "hotel bellevue",      "the station hotel",
    "the park hotel",    "hotel miramar",   "the old post hotel",  "the lake hotel",
    "hotel europa",      "the castle inn",  "the riverside hotel", "the mountain lodge",
    "the garden inn",    "the royal hotel", "the bridge hotel",    "hotel central"};
const std::vector<std::string> kBands = {"the night owls", "blue harbour",     "the paper boats",
                                         "the lanterns",   "north wind",       "the quiet storms",
                                         "silver lake",    "the tin soldiers", "the long summer",
                                         "red river",      "the old crows",    "the radio birds"};
const std::vector<std::string> kGenres = {"jazz", "folk", "rock", "pop", "blues", "dance"};
const std::vector<std::string> kFestivalKinds = {"film", "music", "book",    "food",
                                                 "jazz", "folk",  "theatre", "flower"};
const std::vector<std::string> kPainterSubjects = {
    "the sea and boats", "people at work",   "gardens and flowers", "old streets",       "the mountains",
    "animals",           "family portraits", "the river at night",  "markets and cafes", "empty rooms"};

struct Composer {
    const char* name;
    const char* fact;
};

const std::vector<Composer> kComposers = {
    {"mozart", "mozart was born in salzburg"},
    {"beethoven", "beethoven was born in germany and lived in vienna"},
    {"bach", "bach wrote music for the church and for the organ"},
    {"chopin", "chopin was born in poland and wrote music for the piano"},
    {"verdi", "verdi wrote many operas"},
    {"vivaldi", "vivaldi was born in venice"},
    {"grieg", "grieg came from norway"},
    {"sibelius", "sibelius came from finland"},
    {"dvorak", "dvorak was born in what is now the czech republic"},
    {"liszt", "liszt was born in hungary and was a famous pianist"},
    {"tchaikovsky", "tchaikovsky wrote music for ballets"},
    {"schubert", "schubert was born in vienna"},
    {"haydn", "haydn was born in austria"},
    {"handel", "handel was born in germany and lived in london for many years"},
    {"debussy", "debussy was born in france"},
};

struct Sport {
    const char* play;   // "{name} plays football every monday"
    const char* ing;    // "{name} started playing football when she was seven"
    const char* place;  // "the pitch was busy on friday evening"
    const char* fact;
};

const std::vector<Sport> kSports = {
    {"plays football", "playing football", "pitch", "a football team has eleven players"},
    {"plays football", "playing football", "pitch", "a football match lasts ninety minutes"},
    {"plays basketball", "playing basketball", "court", "a basketball team has five players on the court"},
    {"plays volleyball", "playing volleyball", "court", "a volleyball team has six players on the court"},
    {"plays rugby", "playing rugby", "pitch", "a rugby union team has fifteen players"},
    {"plays hockey", "playing hockey", "rink", "an ice hockey team has six players on the ice"},
    {"plays handball", "playing handball", "court", "a handball team has seven players on the court"},
    {"plays water polo", "playing water polo", "pool", "a water polo team has seven players in the pool"},
};

struct SchoolSubject {
    const char* name;
    std::vector<std::string> topics;
};

const std::vector<SchoolSubject> kSchoolSubjects = {
    {"maths", {"fractions", "angles", "graphs", "percentages"}},
    {"history", {"the romans", "the middle ages", "old castles", "the history of the town"}},
    {"geography", {"rivers and mountains", "maps", "the weather", "the countries of europe"}},
    {"music", {"old songs", "the piano", "famous composers", "writing songs"}},
    {"art", {"painting", "drawing people", "colours and light", "old posters"}},
    {"english", {"poems", "short stories", "letters", "plays"}},
    {"science", {"the planets", "magnets", "light and sound", "plants and animals"}},
    {"biology", {"the human body", "cells", "plants and animals", "bees"}},
    {"chemistry", {"water and salt", "metals", "acids", "air"}},
    {"french", {"french songs", "the food of france", "paris", "short stories in french"}},
};

const std::vector<std::string> kPlotEvents = {"moves to a village by the sea",
                                              "loses their job",
                                              "finds an old map in the attic",
                                              "travels across the country by train",
                                              "looks after a lost dog",
                                              "opens a small bakery",
                                              "returns home after many years",
                                              "tries to save the family farm",
                                              "falls in love with a {any_job}",
                                              "solves a crime in {any_city}",
                                              "climbs a mountain in {any_country}",
                                              "starts a new life in {any_city}",
                                              "inherits an old house in {any_city}",
                                              "learns to sail",
                                              "searches for a missing sister",
                                              "runs a small hotel by the lake",
                                              "teaches music in a village school",
                                              "builds a boat",
                                              "writes letters to a stranger",
                                              "finds a lost painting",
                                              "wins a trip to {any_city}",
                                              "looks for a famous recipe",
                                              "cares for an old horse",
                                              "joins a travelling circus",
                                              "restores an old cinema",
                                              "learns {any_language} in a summer",
                                              "walks from {any_city} to {any_city}",
                                              "opens a bookshop in {any_city}",
                                              "trains for a marathon",
                                              "keeps bees on a roof in {any_city}"};

const std::vector<std::string> kTranslations = {"french", "german", "italian", "spanish", "japanese",
                                                "greek",  "polish", "dutch",   "turkish", "arabic"};

std::string number_words(unsigned n) {  // 0 to 99
    static const std::vector<std::string> ones = {"zero",    "one",     "two",       "three",    "four",
                                                  "five",    "six",     "seven",     "eight",    "nine",
                                                  "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                                  "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
    static const std::vector<std::string> tens = {"",      "",      "twenty",  "thirty", "forty",
                                                  "fifty", "sixty", "seventy", "eighty", "ninety"};
    if (n < 20) return ones[n];
    return tens[n / 10] + (n % 10 ? " " + ones[n % 10] : "");
}

// "eighteen ninety", "nineteen oh five", "nineteen fifty two", "two thousand and five"
std::string year_words(unsigned y) {
    if (y >= 2000) return y == 2000 ? "two thousand" : "two thousand and " + number_words(y - 2000);
    const unsigned rest = y % 100;
    return number_words(y / 100) + " " +
           (rest == 0   ? "hundred"
            : rest < 10 ? "oh " + number_words(rest)
                        : number_words(rest));
}

const std::vector<std::string> kOrdinals = {"first", "second", "third", "fourth", "fifth", "sixth"};

struct World {
    std::vector<Vars> books, plays, series, games, films, restaurants, hotels, bands, painters, festivals;
};

std::string person(Rng& rng) { return pick(rng, rng.below(2) ? kWomen : kMen) + " " + pick(rng, kSurnames); }

const City& any_city(Rng& rng) { return pick(rng, kCities); }

// A novel, play, series, game or film: who made it, when, where it is set and what happens.
std::vector<Vars> draw_works(Rng& rng, const Templates& t, const std::vector<std::string>& titles,
                             const std::string& kind) {
    std::vector<Vars> works;
    for (std::size_t i = 0; i < titles.size(); ++i) {
        Vars w;
        w["title"] = titles[i];
        w["title2"] =
            titles[(i + 1 + rng.below(static_cast<std::uint32_t>(titles.size() - 1))) % titles.size()];
        const unsigned year = 1950 + rng.below(70);
        w["year"] = year_words(year);
        w["film_year"] = year_words(std::min(2023u, year + 2 + rng.below(15)));
        w["w_settlement"] = t.pick("settlement", rng, {});
        w["w_setting"] = t.pick("setting", rng, {});
        const City& set = any_city(rng);
        w["setting_city"] = set.name;
        w["w_country"] = set.country;
        w["w_language"] = set.language[0] ? set.language : country_of(set).language;
        w["work_city"] = any_city(rng).name;
        w["wseason"] = t.pick("season", rng, {});
        w["hero"] = pick(rng, kJobs).name;
        w["hero_name"] = pick(rng, rng.below(2) ? kWomen : kMen);
        const bool actress = rng.below(2) == 0;
        w["actor"] = pick(rng, actress ? kWomen : kMen) + " " + pick(rng, kSurnames);
        w["actor_poss"] = actress ? "her" : "his";
        const bool author_she = rng.below(2) == 0;
        w["author"] = pick(rng, author_she ? kWomen : kMen) + " " + pick(rng, kSurnames);
        w["author_poss"] = author_she ? "her" : "his";
        w["director"] = person(rng);
        w["author_city"] = any_city(rng).name;
        w["author_year"] = year_words(year - 25 - rng.below(40));
        w["w_composer_country"] = pick(rng, kCountries).name;
        w["w_day"] = t.pick("day", rng, {});
        w["w_month"] = t.pick("month", rng, {});
        w["pages"] = number_words(1 + rng.below(6)) + " hundred";
        w["acts"] = number_words(2 + rng.below(4));
        w["cover"] = t.pick("cover", rng, {});
        w["form"] = t.pick("form", rng, w);
        w["author_books"] = number_words(2 + rng.below(12));
        w["cast_size"] = number_words(2 + rng.below(9));
        w["episodes"] = number_words(6 + rng.below(7));
        w["event"] = t.expand(pick(rng, kPlotEvents), rng, {});
        w["wplace"] = t.pick("place", rng, {});
        const unsigned n = 2 + rng.below(kind == "book" ? 20 : 4);
        w["ordinal"] = kOrdinals[rng.below(3)];
        w["count"] = number_words(kind == "game" ? 10 + rng.below(30) : n);
        w["next_ordinal"] = kOrdinals[std::min<std::size_t>(n, kOrdinals.size() - 1)];
        std::size_t a = rng.below(static_cast<std::uint32_t>(kTranslations.size()));
        std::size_t b =
            (a + 1 + rng.below(static_cast<std::uint32_t>(kTranslations.size() - 1))) % kTranslations.size();
        w["tlang"] = kTranslations[a];
        w["tlang2"] = kTranslations[b];
        switch (i % 3) {
            case 0:
                w["adaptation"] = "it was made into a film in " + w["film_year"];
                break;
            case 1:
                w["adaptation"] = "it was made into a television series in " + w["film_year"];
                break;
            default:
                w["adaptation"] = "it has never been made into a film";
        }
        works.push_back(w);
    }
    return works;
}

World draw_world(Rng& rng, const Templates& t) {
    World world;
    world.books = draw_works(rng, t, kBookTitles, "book");
    world.plays = draw_works(rng, t, kPlayTitles, "play");
    world.series = draw_works(rng, t, kSeriesTitles, "series");
    world.games = draw_works(rng, t, kGameTitles, "game");
    world.films = draw_works(rng, t, kFilmTitles, "film");
    for (const std::string& name : kRestaurants) {
        const City& c = any_city(rng);
        world.restaurants.push_back({{"restaurant", name},
                                     {"rest_city", c.name},
                                     {"rest_language", c.language[0] ? c.language : country_of(c).language},
                                     {"rest_dish", pick(rng, kDishes).name},
                                     {"rest_closed", t.pick("day", rng, {})},
                                     {"rest_place", t.pick("place", rng, {})},
                                     {"rest_owner_job", pick(rng, kJobs).name},
                                     {"rest_chef_country", pick(rng, kCountries).name},
                                     {"rest_year", year_words(1950 + rng.below(73))}});
    }
    for (const std::string& name : kHotels) {
        const City& c = any_city(rng);
        const std::string view = c.river[0] ? "the " + std::string(c.river)
                                 : c.sea[0] ? c.sea
                                            : "the old town";
        world.hotels.push_back({{"hotel", name},
                                {"hotel_city", c.name},
                                {"hotel_language", c.language[0] ? c.language : country_of(c).language},
                                {"hotel_rooms", number_words(12 + rng.below(80))},
                                {"hotel_view", view},
                                {"hotel_year", year_words(1900 + rng.below(120))}});
    }
    for (const std::string& name : kBands)
        world.bands.push_back({{"band", name},
                               {"band_genre", pick(rng, kGenres)},
                               {"band_city", any_city(rng).name},
                               {"band_year", year_words(1970 + rng.below(50))},
                               {"band_singer", person(rng)},
                               {"band_albums", number_words(2 + rng.below(9))},
                               {"hall_year", year_words(1900 + rng.below(100))}});
    for (int i = 0; i < 16; ++i) {
        const bool she = rng.below(2) == 0;
        world.painters.push_back({{"painter", pick(rng, she ? kWomen : kMen) + " " + pick(rng, kSurnames)},
                                  {"painter_poss", she ? "her" : "his"},
                                  {"painter_city", any_city(rng).name},
                                  {"painter_year", year_words(1900 + rng.below(90))},
                                  {"painter_subject", pick(rng, kPainterSubjects)}});
    }
    for (const City& c : kCities) {
        if (rng.below(3)) continue;  // about one city in three has a festival we talk about
        world.festivals.push_back({{"fest_city", c.name},
                                   {"fest_country", c.country},
                                   {"fest_kind", pick(rng, kFestivalKinds)},
                                   {"fest_season", t.pick("season", rng, {})},
                                   {"fest_year", year_words(1950 + rng.below(60))}});
    }
    return world;
}

// ==== 5. A paragraph =============================================================================

struct Topic {
    std::string name;        // its rules: name + "_open", name + "_fact"
    unsigned weight;         // how often, out of the sum of all weights
    const Subject* subject;  // what a mood paragraph judges; nullptr: never a mood
};

const std::vector<Topic> kTopics = {{"science", 8, nullptr},
                                    {"geography", 4, nullptr},
                                    {"city", 6, &kVisit},
                                    {"country", 3, &kVisit},
                                    {"weather", 4, &kDayOut},
                                    {"animal", 6, &kAnimalVisit},
                                    {"garden", 3, &kGardenVisit},
                                    {"cooking", 4, &kMeal},
                                    {"restaurant", 5, &kRestaurant},
                                    {"hotel", 3, &kHotel},
                                    {"trip", 5, &kTrip},
                                    {"daily", 4, &kDay},
                                    {"party", 3, &kParty},
                                    {"work", 4, &kWork},
                                    {"school", 4, &kTeacher},
                                    {"talk", 2, &kTalk},
                                    {"sport", 4, &kMatch},
                                    {"shopping", 3, &kShopping},
                                    {"book", 6, &kBook},
                                    {"theatre", 5, &kPlay},
                                    {"concert", 4, &kConcert},
                                    {"series", 5, &kSeries},
                                    {"documentary", 2, &kDocumentary},
                                    {"game", 2, &kGame},
                                    {"exhibition", 3, &kExhibition},
                                    {"festival", 2, &kFestival},
                                    {"film", 2, &kFilm},
                                    {"town", 3, &kTown},
                                    {"home", 3, &kHome},
                                    {"health", 2, &kClinic}};

const Topic& pick_topic(Rng& rng) {
    unsigned total = 0;
    for (const Topic& t : kTopics) total += t.weight;
    unsigned r = rng.below(total);
    for (const Topic& t : kTopics) {
        if (r < t.weight) return t;
        r -= t.weight;
    }
    return kTopics.back();
}

void merge(Vars& v, const Vars& from) {
    for (const auto& [k, x] : from) v[k] = x;
}

// Binds every variable a paragraph may use: one person, one city, one animal, one work ...
Vars bind(Rng& rng, const Templates& t, const World& world, const std::string& topic) {
    Vars v;
    const bool she = rng.below(2) == 0;
    v["name"] = pick(rng, she ? kWomen : kMen);
    v["pron"] = she ? "she" : "he";
    v["poss"] = she ? "her" : "his";
    v["obj"] = she ? "her" : "him";
    v["full"] = v["name"] + " " + pick(rng, kSurnames);
    v["name2"] = pick(rng, rng.below(2) ? kWomen : kMen);
    while (v["name2"] == v["name"]) v["name2"] = pick(rng, kMen);
    v["full2"] = v["name2"] + " " + pick(rng, kSurnames);
    v["season"] = t.pick("season", rng, {});

    const City& c = pick(rng, kCities);
    const Country& k = country_of(c);
    const City* c2 = &pick(rng, kCities);  // the second city: mostly on the same continent
    const bool near = rng.below(5) != 0;
    while (c2 == &c || (near && std::string(country_of(*c2).continent) != k.continent))
        c2 = &pick(rng, kCities);
    v["city"] = c.name;
    v["country"] = c.country;
    v["continent"] = k.continent;
    v["language"] = c.language[0] ? c.language : k.language;
    v["languages"] = k.languages;
    v["city_is"] =
        c.capital ? "the capital of " + std::string(c.country) : "a city in " + std::string(c.country);
    v["river"] = c.river;
    v["mouth"] = mouth_of(c.river);
    v["sea"] = c.sea;
    v["city_extra"] = c.extra;
    for (const City& x : kCities)
        if (x.capital && std::string(x.country) == c.country) v["capital"] = x.name;
    v["city2"] = c2->name;
    v["country2"] = c2->country;
    v["country3"] = pick(rng, kCountries).name;
    v["language2"] = c2->language[0] ? c2->language : country_of(*c2).language;
    v["city2_is"] =
        c2->capital ? "the capital of " + std::string(c2->country) : "a city in " + std::string(c2->country);

    const Job& j = pick(rng, kJobs);
    v["job"] = j.name;
    v["duty"] = j.duty;
    v["workplace"] = j.workplace;
    const std::string w = j.workplace;  // desk jobs get the office sentences
    v["office"] = w == "an office" || w == "home" || w == "a newspaper" || w == "a publisher" ||
                          w == "the university" || w == "a laboratory"
                      ? "yes"
                      : "";
    v["job2"] = pick(rng, kJobs).name;
    v["item"] = t.pick(rng.below(2) ? "thing" : "household", rng, {});
    v["dwelling"] = rng.below(3) ? "flat" : "house";
    v["any_book"] = pick(rng, kBookTitles);

    const Animal& a = pick(rng, kAnimals);
    v["animal"] = a.name;
    v["a_animal"] = "a " + std::string(a.name);
    v["animals"] = a.plural;
    v["kind"] = a.kind;
    v["a_kind"] = "a " + std::string(a.kind);
    v["food"] = a.food;
    v["home"] = a.home;
    v["young"] = a.young;
    v["group"] = a.group;
    v["sound"] = a.sound;
    v["animal_extra"] = a.extra;
    v["where"] = std::string(1, a.where);
    for (const auto& [kind, fact] : kKindFacts)
        if (kind == a.kind) {
            v["kind_fact"] = fact;
            v["kinds"] = fact.substr(0, fact.find(' '));
            v["kind_verb"] = fact.substr(fact.find(' ') + 1);
        }

    const Plant& p = pick(rng, kPlants);
    v["plants"] = p.name;
    v["plant_fact"] = p.fact;
    v["plant_fact2"] = p.fact2;

    std::vector<const Dish*> local;  // a country paragraph names a dish of that country, if any
    if (topic == "country")
        for (const Dish& x : kDishes)
            if (std::string(x.origin) == c.country) local.push_back(&x);
    const Dish& d = local.empty() ? pick(rng, kDishes) : *pick(rng, local);
    v["dish_local"] = local.empty() ? "" : "yes";
    v["dish"] = d.name;
    v["dish_was"] = d.plural ? "were" : "was";
    v["ingredients"] = d.ingredients;
    v["dish_origin"] = d.origin[0]
                           ? std::string(d.name) + (d.plural ? " come from " : " comes from ") + d.origin
                       : d.plural ? std::string(d.name) + " are made in many countries"
                                  : std::string(d.name) + " is made in many countries";

    const Composer& m = pick(rng, kComposers);
    v["composer"] = m.name;
    v["composer_fact"] = m.fact;
    const Composer* m2 = &pick(rng, kComposers);
    while (m2 == &m) m2 = &pick(rng, kComposers);
    v["composer2"] = m2->name;

    const Sport& s = pick(rng, kSports);
    v["sport_play"] = s.play;
    v["sport_ing"] = s.ing;
    v["sport_place"] = s.place;
    v["sport_fact"] = s.fact;
    const SchoolSubject& sub = pick(rng, kSchoolSubjects);
    v["subject"] = sub.name;
    v["subject_topic"] = pick(rng, sub.topics);

    const std::string seasons[] = {"spring", "summer", "autumn", "winter"};
    const std::string days[] = {"the days get longer", "the days are long and the nights are short",
                                "the days get shorter", "the days are short and the nights are long"};
    for (int i = 0; i < 4; ++i)
        if (v["season"] == seasons[i]) v["season_days"] = days[i];

    // The made-up entities: only the one the topic talks about.
    if (topic == "book") merge(v, pick(rng, world.books));
    if (topic == "theatre") merge(v, pick(rng, world.plays));
    if (topic == "series") merge(v, pick(rng, world.series));
    if (topic == "game") merge(v, pick(rng, world.games));
    if (topic == "film") merge(v, pick(rng, world.films));
    if (topic == "restaurant") merge(v, pick(rng, world.restaurants));
    if (topic == "hotel") merge(v, pick(rng, world.hotels));
    if (topic == "exhibition") merge(v, pick(rng, world.painters));
    if (topic == "festival") merge(v, pick(rng, world.festivals));
    merge(v, pick(rng, world.bands));  // concerts and festivals both name a band
    return v;
}

// The rules a topic's neutral sentences come from, with what the bound entities allow
// ("the {river} flows through {city}" only for a city with a river).
std::vector<std::string> fact_rules(const std::string& topic, const Vars& v) {
    std::vector<std::string> rules = {topic + "_fact", topic + "_fact"};
    auto has = [&](const char* key) { return !v.at(key).empty(); };
    if (topic == "city") {
        if (has("river")) rules.push_back("city_river");
        if (has("mouth")) rules.push_back("city_mouth");
        if (has("sea")) rules.push_back("city_sea");
        if (has("city_extra")) rules.push_back("city_extra");
    } else if (topic == "country") {
        if (has("river")) rules.push_back("country_river");
        if (has("dish_local")) rules.push_back("country_dish");
    } else if (topic == "work") {
        rules.push_back(has("office") ? "work_office" : "work_hands");
    } else if (topic == "home") {
        rules.push_back(v.at("dwelling") == "flat" ? "home_flat" : "home_house");
    } else if (topic == "weather") {
        rules.push_back("weather_" + v.at("season"));
    } else if (topic == "animal") {
        if (has("group")) rules.push_back("animal_group");
        if (has("sound")) rules.push_back("animal_sound");
        if (has("animal_extra")) rules.push_back("animal_extra");
        if (v.at("kind") == "mammal" || v.at("kind") == "bird") rules.push_back("animal_parent");
        const char where = v.at("where")[0];
        rules.push_back(where == 'f'   ? "animal_farm"
                        : where == 'p' ? "animal_pet"
                        : where == 's' ? "animal_sea"
                                       : "animal_wild");
    }
    return rules;
}

std::size_t words_in(const std::string& s) { return split_words(s).size(); }

std::string paragraph(const Templates& t, const World& world, const std::vector<std::string>& geography,
                      Rng& rng) {
    const Topic& topic = pick_topic(rng);
    std::vector<std::string> sentences;
    if (topic.subject == nullptr) {  // science and geography: 3 to 7 facts of one group
        std::vector<std::string> facts = topic.name == "science" ? pick(rng, kScience) : geography;
        rng.shuffle(facts);
        const std::size_t n = 3 + rng.below(5);
        sentences.assign(facts.begin(), facts.begin() + static_cast<std::ptrdiff_t>(n));
        return join(sentences);
    }
    Vars v = bind(rng, t, world, topic.name);
    std::vector<std::string> rules = fact_rules(topic.name, v);

    // Mood: about two paragraphs in three, warm or cold.
    const bool mood = rng.below(100) < 66;
    const bool warm = rng.bernoulli(0.5f);
    std::vector<std::string> opinions;
    if (mood) opinions = MoodWriter(rng, t, v).write(*topic.subject, warm);

    // Neutral sentences, none twice (nor twice with only a different start: "usually she ...").
    auto ending = [](const std::string& s) {
        const std::vector<std::string> w = split_words(s);
        const std::size_t from = w.size() > 5 ? w.size() - 5 : 0;
        return join(std::vector<std::string>(w.begin() + static_cast<std::ptrdiff_t>(from), w.end()));
    };
    const std::string opening = t.pick(topic.name + "_open", rng, v);
    std::set<std::string> used = {ending(opening)};
    std::vector<std::string> facts;
    const std::size_t n_facts = mood ? 2 + rng.below(3) : 3 + rng.below(5);
    for (std::size_t tries = 0; facts.size() < n_facts && tries < 4 * n_facts; ++tries) {
        std::string s = t.pick(pick(rng, rules), rng, v);
        if (used.insert(ending(s)).second) facts.push_back(s);
    }

    // The opening, then facts and opinions mixed, each list keeping its own order.
    sentences.push_back(opening);
    std::size_t i = 0, j = 0;
    while (i < facts.size() || j < opinions.size()) {
        const std::size_t left = facts.size() - i + opinions.size() - j;
        if (rng.below(static_cast<std::uint32_t>(left)) < facts.size() - i)
            sentences.push_back(facts[i++]);
        else
            sentences.push_back(opinions[j++]);
    }
    return fix_articles(join(sentences));
}

}  // namespace

void make_general_text(const std::string& dir, std::uint64_t seed, std::ostream& log) {
    Rng rng(seed);
    Templates t;
    add_shared_rules(t);
    add_place_rules(t);
    add_nature_rules(t);
    add_people_rules(t);
    add_food_travel_rules(t);
    add_culture_rules(t);
    const World world = draw_world(rng, t);
    const std::vector<std::string> geography = geography_facts();

    std::vector<std::string> train, valid;
    std::set<std::string> seen;
    std::size_t train_words = 0, valid_words = 0;
    while (train_words < 530000 || valid_words < 30000) {
        std::string p = paragraph(t, world, geography, rng);
        const std::size_t w = words_in(p);
        if (w < 20 || w >= 100) continue;  // paragraphs of 20 to 99 words
        if (!seen.insert(p).second) continue;
        bool to_valid = valid_words < 30000 && rng.below(20) == 0;
        if (!to_valid && train_words >= 530000) continue;
        (to_valid ? valid : train).push_back(p);
        (to_valid ? valid_words : train_words) += w;
    }
    write_lines(dir + "/train.txt", train);
    write_lines(dir + "/valid.txt", valid);
    log << "## text/general (seed " << seed << ")\n\n";
    log << "train.txt: " << train.size() << " paragraphs, " << train_words << " words\n";
    log << "valid.txt: " << valid.size() << " paragraphs, " << valid_words << " words\n";
    std::vector<std::string> all = train;
    all.insert(all.end(), valid.begin(), valid.end());
    log << "vocabulary: " << vocabulary_size(all) << " word types\n";
    const std::map<std::string, std::size_t> hist = length_histogram(train, 20);
    log << "train paragraph lengths (words):\n";
    print_histogram(log, hist);
    log << "\n";
}

}  // namespace dikkat::gen
