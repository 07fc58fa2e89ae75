#include <dikkat/seq2seq/evaluate.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>

#include <nlohmann/json.hpp>

#include <dikkat/data/batch.hpp>
#include <dikkat/data/datasets.hpp>
#include <dikkat/data/text.hpp>
#include <dikkat/eval/diff.hpp>
#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/model_config.hpp>
#include <dikkat/seq2seq/decode.hpp>
#include <dikkat/viz/plot.hpp>

namespace dikkat::seq2seq {

namespace {
// One sentence: greedy decoding for beam 1 (the same code as a batch's), beam search otherwise.
Translation decode_one(const Translator& model, const std::vector<Index>& source, std::size_t beam) {
    if (beam > 1) return beam_search(model, source, beam, max_target_length(source.size()));
    IndexArray ids(IndexArray::shape_type{1, source.size()});  // (1, S)
    std::copy(source.begin(), source.end(), ids.begin());
    return greedy_decode(model, ids, xt::ones<float>({std::size_t{1}, source.size()}),
                         max_target_length(source.size()))[0];
}

}  // namespace

// [evaluate]
Evaluation evaluate(const Translator& model, const data::ParallelCorpus& vocabs,
                    const std::vector<data::TranslationPair>& pairs, std::size_t beam, std::size_t batch) {
    if (batch == 0) throw ValueError("evaluate: the batch needs at least 1 sentence");
    NoGrad no_grad;
    Evaluation out;
    out.hypotheses.resize(pairs.size());
    // Sentences of similar length together: less padding, and a batch stops when its longest does.
    std::vector<std::size_t> order(pairs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return pairs[a].source.size() < pairs[b].source.size();
    });
    for (std::size_t from = 0; from < order.size(); from += batch) {
        const std::size_t to = std::min(order.size(), from + batch);
        std::vector<std::vector<Index>> sources;
        for (std::size_t k = from; k < to; ++k)
            sources.push_back(vocabs.encode_source(pairs[order[k]].source));
        const std::size_t longest = sources.back().size();
        std::vector<Translation> translations;
        if (beam <= 1) {
            const data::Batch b = data::pad_batch(sources);  // (B, S) and keep
            translations = greedy_decode(model, b.ids, b.keep, max_target_length(longest));
        } else {
            for (const auto& s : sources) translations.push_back(decode_one(model, s, beam));
        }
        for (std::size_t k = from; k < to; ++k)
            out.hypotheses[order[k]] = vocabs.target_vocab.decode(translations[k - from].ids);
    }
    for (std::size_t i = 0; i < pairs.size(); ++i)
        out.scores.add(pairs[i].source.size(), out.hypotheses[i], pairs[i].target);
    return out;
}
// [evaluate]

std::vector<data::TranslationPair> first_per_bucket(const std::vector<data::TranslationPair>& pairs,
                                                    std::size_t n) {
    const eval::LengthBuckets buckets = eval::LengthBuckets::standard();
    std::vector<std::size_t> taken(buckets.names().size(), 0);
    std::vector<data::TranslationPair> out;
    for (const auto& p : pairs)
        if (taken[buckets.index_of(p.source.size())]++ < n) out.push_back(p);
    return out;
}

std::vector<data::TranslationPair> validation_sample(std::size_t per_bucket) {
    return first_per_bucket(data::read_translation(data::find_dataset("translation/valid.tsv")), per_bucket);
}

const data::TranslationPair* find_pair(const std::vector<data::TranslationPair>& pairs,
                                       const std::string& text, std::size_t max_words) {
    const data::TranslationPair* best = nullptr;
    for (const auto& p : pairs)
        if (p.source.size() <= max_words &&
            (" " + data::join_words(p.source) + " ").find(" " + text + " ") != std::string::npos &&
            (!best || p.source.size() > best->source.size()))
            best = &p;
    return best;
}

std::string long_examples(const std::vector<data::TranslationPair>& pairs, const Evaluation& evaluation,
                          std::size_t count, std::size_t min_source_length) {
    std::vector<std::size_t> long_ones;
    for (std::size_t i = 0; i < pairs.size(); ++i)
        if (pairs[i].source.size() >= min_source_length) long_ones.push_back(i);
    const eval::DiffStyle style = eval::diff_style_for_stdout();
    std::string out;
    const std::size_t shown = std::min(count, long_ones.size());
    for (std::size_t k = 0; k < shown; ++k) {
        const std::size_t i = long_ones[k * long_ones.size() / shown];  // spread over the set
        out += "  source     " + data::join_words(pairs[i].source) + "\n";
        out += "  reference  " + data::join_words(pairs[i].target) + "\n";
        out += "  model      " + eval::mark_differences(evaluation.hypotheses[i], pairs[i].target, style) +
               "\n\n";
    }
    return out;
}

std::vector<std::pair<std::string, std::size_t>> first_errors(const std::vector<data::TranslationPair>& pairs,
                                                              const Evaluation& evaluation,
                                                              std::size_t min_source_length, std::size_t k) {
    std::map<std::string, std::size_t> counts;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto& ref = pairs[i].target;
        const auto& hyp = evaluation.hypotheses[i];
        if (pairs[i].source.size() < min_source_length || hyp == ref) continue;
        std::size_t at = 0;
        while (at < ref.size() && at < hyp.size() && ref[at] == hyp[at]) ++at;
        const std::string said = at < hyp.size() ? hyp[at] : "(end)",
                          meant = at < ref.size() ? ref[at] : "(end)";
        ++counts[meant + " -> " + said];
    }
    std::vector<std::pair<std::string, std::size_t>> out(counts.begin(), counts.end());
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (out.size() > k) out.resize(k);
    return out;
}

void plot_bleu_by_length(const std::vector<std::pair<std::string, io::JsonObject>>& models,
                         const std::string& title, const std::string& path) {
    viz::LinePlot plot(title);
    plot.x_label("source sentence length (words)").y_label("BLEU-4 on the test set").y_range(0.0, 1.0);
    const eval::LengthBuckets buckets = eval::LengthBuckets::standard();
    for (const auto& [label, bleu] : models) {
        const nlohmann::json& bleu_by_length = bleu.json();
        std::vector<double> x, y;
        for (const eval::LengthRange& r : buckets.ranges())
            if (bleu_by_length.contains(r.name())) {
                x.push_back(0.5 * double(r.lo + r.hi));
                y.push_back(bleu_by_length[r.name()].get<double>());
            }
        plot.add_series(label, x, y);
    }
    plot.write_svg(path);
}

void plot_training_loss(const std::vector<double>& losses, const std::string& title,
                        const std::string& path) {
    const std::size_t window = 50;
    const std::vector<double> steps = viz::one_to(losses.size());
    viz::LinePlot(title)
        .x_label("step")
        .y_label("cross-entropy per French word")
        .log_y()
        .add_series("mean of " + std::to_string(window) + " steps", steps,
                    viz::moving_average(losses, window))
        .write_svg(path);
}

SentenceTranslation translate(const Translator& model, const data::ParallelCorpus& vocabs,
                              const std::string& text, std::size_t beam) {
    std::vector<std::string> words = data::split_words(data::normalize_sentence(text));
    if (words.empty()) throw ValueError("translate: the sentence is empty");
    if (words.size() > max_sentence_words)
        throw ValueError("translate: the sentence has " + std::to_string(words.size()) +
                         " words; a translator takes one sentence of at most " +
                         std::to_string(max_sentence_words) +
                         " at a time (the corpus's have about 40): split the text into sentences");
    data::check_known_words(words, vocabs.source_vocab, "English");
    const std::vector<Index> source = vocabs.encode_source(words);
    const Translation t = decode_one(model, source, beam);
    SentenceTranslation out{vocabs.source_vocab.decode(source, /*skip_specials=*/false),
                            vocabs.target_vocab.decode(t.ids), t.attention};
    // The last attention row belongs to <eos> — or, if the sentence was cut off, to its last word.
    out.target.push_back(t.ended ? data::Vocab::specials()[data::Vocab::eos_id] : "(cut off)");
    return out;
}

void save_translator(const std::string& path, const Translator& model, const io::JsonObject& config,
                     const data::ParallelCorpus& vocabs, const std::string& lesson) {
    io::save_checkpoint(path, model,
                        {{"lesson", lesson},
                         {"config", config.json().dump()},
                         {"source_vocab", io::vocab_metadata(vocabs.source_vocab)},
                         {"target_vocab", io::vocab_metadata(vocabs.target_vocab)}});
}

TranslatorCheckpoint read_translator(const std::string& path, const std::string& lesson) {
    if (!std::filesystem::exists(path))
        throw IoError(path + ": no such checkpoint" +
                      (lesson.empty() ? std::string()
                                      : "; train one first (run " + lesson + " without --eval/--translate)"));
    const io::Metadata meta = io::read_safetensors_header(path).metadata;
    for (const char* key : {"lesson", "config", "source_vocab", "target_vocab"})
        if (!meta.count(key))
            throw IoError(path + ": not a translator's checkpoint (its metadata has no '" + key + "')");
    if (!lesson.empty() && meta.at("lesson") != lesson)
        throw IoError(path + ": written by " + meta.at("lesson") + ", not " + lesson +
                      " (each lesson reads its own models)");
    TranslatorCheckpoint c;
    c.lesson = meta.at("lesson");
    try {
        c.config.json() = nlohmann::json::parse(meta.at("config"));
    } catch (const nlohmann::json::exception&) {
        throw IoError(path + ": metadata 'config' is not JSON");
    }
    c.vocabs.source_vocab = io::vocab_from_metadata(path, "source_vocab", meta.at("source_vocab"));
    c.vocabs.target_vocab = io::vocab_from_metadata(path, "target_vocab", meta.at("target_vocab"));
    for (const auto& [key, vocab] : {std::pair{"source_vocab", &c.vocabs.source_vocab},
                                     std::pair{"target_vocab", &c.vocabs.target_vocab}})
        if (c.config.json().contains(key) && c.config.json()[key] != vocab->size())
            throw IoError(path + ": the configuration's " + key + " (" + c.config.json()[key].dump() +
                          ") is not the size of the vocabulary stored with it (" +
                          std::to_string(vocab->size()) + " words)");
    return c;
}

}  // namespace dikkat::seq2seq
