// Tiny untrained models for the fuzz targets that feed a learner's text to a model (--translate,
// --eval, --fill, --prompt, --classify), each saved once per process into the scratch folder the
// way its lesson saves it, with vocabularies of real words from the shipped datasets. Untrained
// weights answer nonsense, which is all a fuzz target needs: the text goes through the same
// normalising, vocabulary checks, encoding and decoding as with a trained model.
// Sizes are a few numbers wide, so that one input costs well under a millisecond of model time.
#pragma once

#include <algorithm>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/parallel.hpp>
#include <dikkat/lm/heads.hpp>
#include <dikkat/lm/lstm_lm.hpp>
#include <dikkat/lm/transformer_lm.hpp>
#include <dikkat/seq2seq/commands.hpp>
#include <dikkat/seq2seq/evaluate.hpp>
#include <dikkat/seq2seq/rnn_translator.hpp>
#include <dikkat/seq2seq/transformer_translator.hpp>

#include "fuzz.hpp"

namespace fuzz {

/// The first `n` lines of a shipped dataset file.
template <class T>
std::vector<T> first(std::vector<T> all, std::size_t n) {
    all.resize(std::min(all.size(), n));
    return all;
}

/// Both vocabularies of the first 400 translation pairs (a few hundred words each side).
inline const dikkat::data::ParallelCorpus& translation_vocabs() {
    static const dikkat::data::ParallelCorpus vocabs = [] {
        dikkat::data::ParallelCorpus c = dikkat::data::ParallelCorpus::build(
            first(dikkat::data::read_translation(dikkat::data::find_dataset("translation/train.tsv")), 400));
        c.source.clear();
        c.target.clear();
        return c;
    }();
    return vocabs;
}

/// Lesson 3's model (a GRU encoder-decoder with additive attention), saved as `lesson`'s
/// translator.safetensors; returns its path. `reverse_source`: lesson 2's option.
inline std::string rnn_translator_checkpoint(const std::string& lesson) {
    dikkat::seq2seq::RnnConfig c;
    c.source_vocab = translation_vocabs().source_vocab.size();
    c.target_vocab = translation_vocabs().target_vocab.size();
    c.embed = 4;
    c.encoder_hidden = 3;
    c.decoder_hidden = 4;
    c.attention_size = 3;
    c.attention = "additive";
    dikkat::Rng rng(1);
    const dikkat::seq2seq::RnnTranslator model(c, rng);
    const std::string path = scratch_dir() + "/rnn_translator.safetensors";
    dikkat::seq2seq::save_translator(path, model, c.to_json(), translation_vocabs(), lesson);
    return path;
}

/// Lesson 4's model (a transformer), saved as `lesson`'s; returns its path.
inline std::string transformer_translator_checkpoint(const std::string& lesson) {
    dikkat::seq2seq::TransformerConfig c;
    c.source_vocab = translation_vocabs().source_vocab.size();
    c.target_vocab = translation_vocabs().target_vocab.size();
    c.sizes.dim = 4;
    c.sizes.heads = 2;
    c.sizes.ff = 8;
    c.sizes.encoder_layers = c.sizes.decoder_layers = 1;
    c.sizes.dropout = 0.0f;
    dikkat::Rng rng(2);
    const dikkat::seq2seq::TransformerTranslator model(c, rng);
    const std::string path = scratch_dir() + "/transformer_translator.safetensors";
    dikkat::seq2seq::save_translator(path, model, c.to_json(), translation_vocabs(), lesson);
    return path;
}

/// What lessons 2-4 hand run_commands: the model a checkpoint's configuration describes.
inline std::unique_ptr<dikkat::seq2seq::Translator> build_translator(const nlohmann::json& config) {
    dikkat::Rng rng(0);
    if (config.contains("heads"))  // lesson 4's: only a transformer has attention heads
        return std::make_unique<dikkat::seq2seq::TransformerTranslator>(
            dikkat::seq2seq::TransformerConfig::from_json(config), rng);
    return std::make_unique<dikkat::seq2seq::RnnTranslator>(dikkat::seq2seq::RnnConfig::from_json(config),
                                                            rng);
}

/// The translators of lessons 3 (a GRU with attention) and 4 (a transformer), saved once; run()
/// hands a learner's commands (--translate, --eval) to one of them through seq2seq::run_commands,
/// as the lessons do, and accepts what it answers or a dikkat::Error.
class Translators {
  public:
    Translators()
        : rnn_(rnn_translator_checkpoint(rnn_lesson)),
          transformer_(transformer_translator_checkpoint(transformer_lesson)) {}

    void run(dikkat::seq2seq::Commands commands, bool transformer) const {
        commands.checkpoint = transformer ? transformer_ : rnn_;
        refused_or_accepted([&] {
            dikkat::seq2seq::run_commands(commands, transformer ? transformer_lesson : rnn_lesson,
                                          scratch_dir(), build_translator);
        });
    }

  private:
    static constexpr const char* rnn_lesson = "03_bahdanau_attention";
    static constexpr const char* transformer_lesson = "04_transformer";
    std::string rnn_, transformer_;
};

/// One vocabulary of the first paragraphs of the general text and of the unlabelled reviews, as
/// lessons 5 and 6 build theirs from all of them.
inline const dikkat::data::Vocab& text_vocab() {
    static const dikkat::data::Vocab vocab = [] {
        dikkat::data::TokenCounts counts;
        for (const char* file : {"text/general/train.txt", "text/reviews_unlabelled/train.txt"})
            for (const std::string& line :
                 first(dikkat::data::read_corpus(dikkat::data::find_dataset(file)), 60))
                for (const std::string& w : dikkat::data::split_words(line)) ++counts[w];
        return dikkat::data::Vocab::from_counts(counts);
    }();
    return vocab;
}

/// Lesson 5's two models, saved as `dir`/gpt.safetensors and `dir`/bert.safetensors.
inline void save_language_models(const std::string& dir, const std::string& lesson) {
    for (auto objective : {dikkat::lm::Objective::gpt, dikkat::lm::Objective::bert}) {
        dikkat::lm::LMConfig c;
        c.objective = objective;
        c.vocab = text_vocab().size();
        c.dim = 4;
        c.heads = 2;
        c.ff = 8;
        c.layers = 1;
        c.context = 16;
        c.dropout = 0.0f;
        dikkat::Rng rng(3);
        const dikkat::lm::TransformerLM model(c, rng);
        dikkat::lm::save_lm(dir + "/" + dikkat::lm::to_string(objective) + ".safetensors", model,
                            text_vocab(), lesson);
    }
}

/// Lesson 6's classifier (an LSTM body and a new head), saved as `dir`/classifier.safetensors.
inline void save_classifier(const std::string& dir, const std::string& lesson) {
    dikkat::Rng rng(4);
    auto body =
        std::make_shared<dikkat::lm::LstmLM>(dikkat::lm::LstmLMConfig{text_vocab().size(), 4, 4}, rng);
    const dikkat::lm::LstmClassifier model(body, /*classes=*/2, rng);
    dikkat::lm::save_classifier(dir + "/classifier.safetensors", model, text_vocab(), lesson);
}

}  // namespace fuzz
