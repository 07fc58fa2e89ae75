#include <dikkat/seq2seq/attention_export.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include <dikkat/atomic_file.hpp>
#include <dikkat/error.hpp>
#include <dikkat/eval/translation_scores.hpp>
#include <dikkat/seq2seq/evaluate.hpp>

namespace dikkat::seq2seq {

namespace {
// Where French changes the English word order, as lesson 3's figures show: an adjective pair after
// its noun, a possessive, a negation around the verb. Sentences of at most 14 words, as there.
const std::vector<std::string> reordering_phrases = {"european economic area", "'s", "does not"};
constexpr std::size_t phrase_max_words = 14;

// One sentence's weights (1, T, S) as whole percentages: a row per French word, a column per
// English word, `<eos>` included.
nlohmann::json percent(const Array& weights, std::size_t rows, std::size_t cols) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t j = 0; j < rows; ++j) {
        std::vector<int> row(cols);
        for (std::size_t i = 0; i < cols; ++i) row[i] = int(std::lround(100.0 * double(weights(0, j, i))));
        out.push_back(row);
    }
    return out;
}
}  // namespace

std::vector<data::TranslationPair> explorer_sentences(const std::vector<data::TranslationPair>& test,
                                                      std::size_t per_bucket) {
    std::vector<data::TranslationPair> out;
    auto add = [&](const data::TranslationPair& p) {
        for (const data::TranslationPair& q : out)
            if (q.source == p.source && q.target == p.target) return;
        out.push_back(p);
    };
    for (const std::string& phrase : reordering_phrases)
        if (const data::TranslationPair* p = find_pair(test, phrase, phrase_max_words)) add(*p);
    const std::vector<data::TranslationPair> firsts = first_per_bucket(test, per_bucket);
    const eval::LengthBuckets buckets = eval::LengthBuckets::standard();
    for (std::size_t b = 0; b < buckets.names().size(); ++b)  // shortest sentences first
        for (const data::TranslationPair& p : firsts)
            if (buckets.index_of(p.source.size()) == b) add(p);
    return out;
}

io::JsonObject attention_json(const Translator& model, const data::ParallelCorpus& vocabs,
                              const std::vector<data::TranslationPair>& pairs, const std::string& lesson) {
    nlohmann::json out = {{"lesson", lesson}, {"model", model.describe()}, {"layers", 0}, {"heads", 0}};
    nlohmann::json sentences = nlohmann::json::array();
    const eval::LengthBuckets buckets = eval::LengthBuckets::standard();
    for (const data::TranslationPair& pair : pairs) {  // one at a time: no padding to cut away
        const std::vector<std::vector<Array>> maps = model.source_attention(
            make_batch({vocabs.encode_source(pair.source)}, {vocabs.encode_target(pair.target)}));
        if (maps.empty()) break;  // a model without attention
        out["layers"] = maps.size();
        out["heads"] = maps.front().size();
        std::vector<std::string> english = pair.source, french = pair.target;
        english.push_back("<eos>");
        french.push_back("<eos>");
        nlohmann::json layers = nlohmann::json::array();
        for (const std::vector<Array>& heads : maps) {
            nlohmann::json per_head = nlohmann::json::array();
            for (const Array& w : heads) per_head.push_back(percent(w, french.size(), english.size()));
            layers.push_back(per_head);
        }
        nlohmann::json gold = nlohmann::json::array();
        for (const auto& [i, j] : pair.alignment) gold.push_back({i, j});
        sentences.push_back({{"bucket", buckets.bucket_of(pair.source.size())},
                             {"english", english},
                             {"french", french},
                             {"gold", gold},
                             {"attention", layers}});
    }
    out["sentences"] = sentences;
    return io::JsonObject(std::move(out));
}

void write_attention_json(const std::string& path, const io::JsonObject& attention) {
    std::string text;
    try {
        text = attention.json().dump() + "\n";
    } catch (const nlohmann::json::exception& e) {  // a word that is not UTF-8
        throw IoError(path + ": cannot encode the attention as JSON: " + e.what());
    }
    write_file_atomic(path, text);
}

}  // namespace dikkat::seq2seq
