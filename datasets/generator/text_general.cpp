// datasets/text/general/: everyday English for language models — places, weather, animals,
// food, work, travel, science facts, daily life. One paragraph per line, one topic per paragraph.
//
// Two things make it useful beyond character statistics. Facts are consistent (a calf is
// always a young cow, paris is always on the seine), so a model can learn them. And many
// paragraphs have a mood: a good holiday keeps choosing warm words ("lovely", "superb"), a bad
// one cold words ("dreadful", "dull"), sentence after sentence — the same hidden-sentiment
// pattern the film reviews have, so a model pretrained here already groups those words.
#include <array>
#include <set>

#include "common.hpp"
#include "sentiment.hpp"
#include "templates.hpp"

namespace dikkat::gen {

namespace {

struct City {
    const char* name;
    const char* country;
    const char* river;  // "" when we say nothing about a river
};

const std::vector<City> kCities = {
    {"paris", "france", "seine"},    {"london", "england", "thames"},   {"rome", "italy", "tiber"},
    {"berlin", "germany", "spree"},  {"madrid", "spain", ""},           {"lisbon", "portugal", "tagus"},
    {"vienna", "austria", "danube"}, {"budapest", "hungary", "danube"}, {"cairo", "egypt", "nile"},
    {"tokyo", "japan", ""},          {"ottawa", "canada", ""},          {"athens", "greece", ""},
    {"dublin", "ireland", "liffey"}, {"warsaw", "poland", "vistula"},   {"oslo", "norway", ""},
    {"ankara", "turkey", ""},
};

// name, plural, class, food, home, young
struct Animal {
    const char* name;
    const char* plural;
    const char* kind;
    const char* food;
    const char* home;
    const char* young;
};

const std::vector<Animal> kAnimals = {
    {"cow", "cows", "mammal", "grass", "on farms", "calf"},
    {"sheep", "sheep", "mammal", "grass", "in fields", "lamb"},
    {"horse", "horses", "mammal", "grass and hay", "in fields and stables", "foal"},
    {"cat", "cats", "mammal", "meat and fish", "in houses", "kitten"},
    {"dog", "dogs", "mammal", "meat", "in houses", "puppy"},
    {"fox", "foxes", "mammal", "mice and rabbits", "in forests", "cub"},
    {"bear", "bears", "mammal", "fish , berries and honey", "in forests", "cub"},
    {"lion", "lions", "mammal", "meat", "on the grasslands of africa", "cub"},
    {"whale", "whales", "mammal", "small fish and plankton", "in the sea", "calf"},
    {"duck", "ducks", "bird", "seeds and insects", "near lakes and rivers", "duckling"},
    {"owl", "owls", "bird", "mice and insects", "in old trees", "owlet"},
    {"goose", "geese", "bird", "grass and seeds", "near lakes", "gosling"},
    {"frog", "frogs", "amphibian", "insects", "near ponds", "tadpole"},
    {"salmon", "salmon", "fish", "insects and small fish", "in rivers and the sea", "fry"},
    {"goat", "goats", "mammal", "grass and leaves", "in the mountains and on farms", "kid"},
    {"pig", "pigs", "mammal", "almost anything", "on farms", "piglet"},
    {"rabbit", "rabbits", "mammal", "grass and vegetables", "in fields", "kit"},
    {"deer", "deer", "mammal", "grass and leaves", "in forests", "fawn"},
    {"eagle", "eagles", "bird", "fish and small animals", "in the mountains", "eaglet"},
    {"snake", "snakes", "reptile", "mice and eggs", "in warm places", "hatchling"},
};

struct Dish {
    const char* name;
    const char* ingredients;
};

const std::vector<Dish> kDishes = {
    {"bread", "flour , water , yeast and salt"},
    {"pancakes", "flour , eggs , milk and butter"},
    {"vegetable soup", "carrots , onions , potatoes and water"},
    {"tomato soup", "tomatoes , onions , garlic and olive oil"},
    {"fruit salad", "apples , oranges , bananas and grapes"},
    {"chocolate cake", "flour , sugar , eggs , butter and chocolate"},
    {"rice with beans", "rice , beans , onions and spices"},
    {"omelettes", "eggs , butter , salt and cheese"},
    {"pasta with tomato sauce", "pasta , tomatoes , garlic and basil"},
    {"apple pie", "apples , flour , butter and sugar"},
};

void add_rules(Templates& t, const SentimentLexicon& lex) {
    std::vector<std::string> pos = lex.all(true), neg = lex.all(false);
    t.add("eval_pos", pos);
    t.add("eval_neg", neg);
    t.add("deg_pos", {"", "", "", "really ", "truly ", "absolutely "});
    t.add("deg_neg", {"", "", "", "really ", "truly ", "absolutely "});
    t.add("day", {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"});
    t.add("season", {"spring", "summer", "autumn", "winter"});
    t.add("month", {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december"});
    t.add("number", {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"});
    t.add("relative", {"sister", "brother", "mother", "father", "aunt", "uncle", "cousin", "grandmother",
                       "grandfather", "friend", "neighbour"});
    t.add("place", {"park", "market", "library", "station", "museum", "beach", "river", "old town", "harbour",
                    "bakery", "post office", "swimming pool", "garden"});
    t.add("transport", {"bus", "train", "tram", "bicycle", "ferry", "underground"});
    t.add("colour", {"red", "blue", "green", "yellow", "white", "black", "grey", "brown"});
    t.add("thing", {"umbrella", "map", "book", "camera", "bag", "coat", "ticket", "phone", "notebook",
                    "bottle of water", "key"});

    // --- places ---
    t.add("city_fact",
          {"{city} is the capital of {country} .", "{city} is a large city with many parks and museums .",
           "more than a million people live in {city} .",
           "the old town of {city} has narrow streets and small squares .",
           "many people visit {city} in {season} .", "the main station of {city} is close to the centre .",
           "in {city} you can travel by {transport} or on foot .",
           "the people of {city} like to sit in cafes in the evening ."});
    t.add("river_fact",
          {"the {river} flows through {city} .", "there are many bridges over the {river} in {city} .",
           "in {season} people walk along the {river} ."});
    t.add("city_mood",
          {"the food in {city} was {deg}{eval} .", "our hotel near the {place} was {deg}{eval} .",
           "the view from the hill was {deg}{eval} .", "we thought the museums were {deg}{eval} .",
           "the weather during our visit was {eval} and the streets felt {eval} .",
           "the trip to {city} was {deg}{eval} ."});
    // --- weather ---
    t.add("weather_fact",
          {"in {season} the days are {length} and the nights are {temp} .",
           "the forecast says there will be {precip} in the mountains tomorrow .",
           "it rained all morning and then the sun came out .", "the wind was strong near the coast .",
           "in {month} the temperature is often below zero .", "after the storm the rivers were high .",
           "fog covered the valley until noon .", "the sky was {colour} and the air was {temp} ."});
    t.add("length", {"long", "short"});
    t.add("temp", {"cold", "warm", "cool", "mild", "hot"});
    t.add("precip", {"snow", "rain", "hail", "sunshine", "strong wind"});
    t.add("weather_mood", {"the weather this week was {deg}{eval} .", "it was a {eval} day for a walk .",
                           "the {season} this year has been {deg}{eval} .",
                           "everyone said the weather on {day} was {eval} ."});
    // --- animals ---
    t.add("animal_fact", {"the {animal} is a {kind} .", "{animals} eat {food} .", "{animals} live {home} .",
                          "a young {animal} is called a {young} .", "a {young} grows up to be a {animal} .",
                          "the {animal} is a {kind} that eats {food} .", "most {animals} live {home} ."});
    t.add("animal_mood",
          {"we saw {animals} on our walk and it was {eval} .", "the {young} at the farm looked {eval} .",
           "the film about {animals} at the school was {deg}{eval} ."});
    // --- food ---
    t.add("food_fact",
          {"to make {dish} you need {ingredients} .", "my {relative} makes {dish} every {day} .",
           "making {dish} at home is easy .", "you can buy the {ingredient} for {dish} at the market ."});
    t.add("ingredient", {"flour", "eggs", "milk", "butter", "onions", "tomatoes", "apples"});
    t.add("food_mood",
          {"the {dish} tasted {deg}{eval} .", "the restaurant near the {place} was {eval} .",
           "the bread from the bakery was {eval} .", "we had {dish} for dinner and it was {deg}{eval} .",
           "the service was {eval} and the coffee was {eval} ."});
    // --- work ---
    t.add("job_fact",
          {"{name} works as a {job} in {city} .", "every morning {pron} takes the {transport} to work .",
           "a {job} {duty} .", "{pron} starts work at {number} in the morning .",
           "{pron} has worked there for {number} years .", "after work {pron} goes to the {place} ."});
    t.add("job_mood", {"{pron} says the new office is {eval} .", "the meeting on {day} was {deg}{eval} .",
                       "{poss} boss is {eval} and the work is {eval} .",
                       "this year has been {deg}{eval} for {poss} team ."});
    // --- travel ---
    t.add("travel_fact",
          {"last {season} we took the {transport} from {city} to {city2} .",
           "the journey took {number} hours .", "we stayed for {number} nights in a hotel near the {place} .",
           "on the first day we visited the {place} and the old town .",
           "i forgot my {thing} on the {transport} .", "we bought our tickets at the station in {city} ."});
    t.add("travel_mood", {"the hotel was {eval} and the staff were {eval} .", "the journey was {deg}{eval} .",
                          "the beaches near {city2} were {deg}{eval} .", "it was a {deg}{eval} holiday .",
                          "the guided tour was {eval} ."});
    // --- daily life ---
    t.add("daily_fact", {"on {day} {name} got up early and went to the {place} .",
                         "{name} and {poss} {relative} had lunch together .",
                         "in the afternoon {pron} read a book in the garden .",
                         "{pron} bought a {colour} {thing} at the market .",
                         "the children played in the park until it got dark .",
                         "{name} called {poss} {relative} in the evening .",
                         "{pron} cleaned the kitchen and washed the dishes ."});
    t.add("daily_mood",
          {"it was a {deg}{eval} day .", "the concert in the park was {eval} .",
           "{pron} thought the new cafe was {deg}{eval} .", "the football match on {day} was {eval} ."});
}

// Facts that are simply true; the corpus repeats them so a model can learn them.
const std::vector<std::string> kScience = {
    "water boils at one hundred degrees celsius at sea level .",
    "water freezes at zero degrees celsius .",
    "the earth goes around the sun once a year .",
    "the moon goes around the earth about once a month .",
    "light travels much faster than sound .",
    "plants need light , water and air to grow .",
    "plants take in carbon dioxide and give out oxygen .",
    "the heart pumps blood around the body .",
    "the human body has two hundred and six bones .",
    "ice is lighter than water , so it floats .",
    "a year has twelve months and a week has seven days .",
    "the sun is a star .",
    "sound cannot travel through empty space .",
    "the pacific is the largest ocean on earth .",
    "iron rusts when it meets water and air .",
    "bees carry pollen from flower to flower .",
    "a spider has eight legs and an insect has six .",
    "the earth turns once a day , which gives us day and night .",
    "warm air rises and cold air sinks .",
    "rain falls when drops of water in the clouds grow heavy .",
    "mercury is the closest planet to the sun .",
    "venus is the second planet from the sun .",
    "the earth is the third planet from the sun .",
    "mars is the fourth planet from the sun and is often called the red planet .",
    "jupiter is the largest planet in the solar system .",
    "saturn has bright rings made of ice and rock .",
    "neptune is the planet farthest from the sun .",
    "a magnet pulls on iron but not on wood .",
    "salt water freezes at a lower temperature than fresh water .",
    "trees lose their leaves in autumn and grow new ones in spring .",
};

const std::vector<std::string> kJobs = {"doctor", "teacher",  "baker",  "farmer", "pilot",
                                        "nurse",  "engineer", "writer", "cook",   "driver"};
const std::vector<std::string> kDuties = {"helps sick people",
                                          "teaches children",
                                          "bakes bread early in the morning",
                                          "grows food for the town",
                                          "flies planes",
                                          "looks after patients",
                                          "designs bridges",
                                          "writes books",
                                          "cooks meals in a restaurant",
                                          "drives a bus through the city"};
const std::vector<std::string> kNames = {"anna", "paul", "maria", "tom",   "sara", "ali",
                                         "lena", "omar", "julia", "david", "emma", "leo"};
const std::vector<bool> kNameIsFem = {true, false, true, false, true, false,
                                      true, false, true, false, true, false};

// One paragraph: an opening fact, then facts and (with a mood) opinion sentences.
std::string paragraph(const Templates& t, Rng& rng) {
    static const std::vector<std::string> topics = {"city", "weather", "animal", "food",
                                                    "job",  "travel",  "daily",  "science"};
    const std::string topic = pick(rng, topics);
    Vars v;
    const City& c = pick(rng, kCities);
    const City* c2 = &pick(rng, kCities);
    while (c2 == &c) c2 = &pick(rng, kCities);
    v["city"] = c.name;
    v["country"] = c.country;
    v["city2"] = c2->name;
    std::size_t n = rng.below(static_cast<std::uint32_t>(kNames.size()));
    v["name"] = kNames[n];
    v["pron"] = kNameIsFem[n] ? "she" : "he";
    v["poss"] = kNameIsFem[n] ? "her" : "his";
    std::size_t j = rng.below(static_cast<std::uint32_t>(kJobs.size()));
    v["job"] = kJobs[j];
    v["duty"] = kDuties[j];
    const Animal& a = pick(rng, kAnimals);
    v["animal"] = a.name;
    v["animals"] = a.plural;
    v["kind"] = a.kind;
    v["food"] = a.food;
    v["home"] = a.home;
    v["young"] = a.young;
    const Dish& d = pick(rng, kDishes);
    v["dish"] = d.name;
    v["ingredients"] = d.ingredients;

    // Mood: warm, cold, or none. Every opinion word in the paragraph follows it.
    unsigned m = rng.below(10);
    const bool has_mood = topic != "science" && m < 7;
    const bool warm = m < 4;
    v["eval"] = "{eval}";  // left in place by the templates, filled below
    v["deg"] = "{deg}";
    v["river"] = c.river;
    std::vector<std::string> sentences;
    std::size_t count = 3 + rng.below(5);
    if (topic == "science") {
        std::vector<std::string> facts = kScience;
        rng.shuffle(facts);
        for (std::size_t i = 0; i < count; ++i) sentences.push_back(facts[i]);
    } else {
        std::string fact = topic + "_fact";
        for (std::size_t i = 0; i < count; ++i) {
            std::string rule = fact;
            if (topic == "city" && c.river[0] && rng.below(3) == 0) rule = "river_fact";
            if (has_mood && i > 0 && rng.below(2) == 0) rule = topic + "_mood";
            sentences.push_back(t.pick(rule, rng, v));
        }
    }
    std::string out;
    for (std::string s : sentences) {
        // {eval} and {deg} follow the paragraph's mood.
        for (std::size_t p; (p = s.find("{eval}")) != std::string::npos;)
            s.replace(p, 6, t.pick(warm ? "eval_pos" : "eval_neg", rng, v));
        for (std::size_t p; (p = s.find("{deg}")) != std::string::npos;)
            s.replace(p, 5, t.pick(warm ? "deg_pos" : "deg_neg", rng, v));
        if (!out.empty()) out += ' ';
        out += s;
    }
    return fix_articles(out);
}

}  // namespace

void make_general_text(const std::string& dir, std::uint64_t seed, std::ostream& log) {
    Rng rng(seed);
    Templates t;
    SentimentLexicon lex;
    add_rules(t, lex);
    std::vector<std::string> train, valid;
    std::set<std::string> seen;
    std::size_t train_words = 0, valid_words = 0;
    while (train_words < 530000 || valid_words < 30000) {
        std::string p = paragraph(t, rng);
        if (!seen.insert(p).second) continue;
        std::size_t w = split_words(p).size();
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
