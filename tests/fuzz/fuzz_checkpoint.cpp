// Fuzz target: what a model's checkpoint says about itself (io/model_config.hpp) — its
// configuration and vocabulary, read before the model is built — by each loader a lesson uses:
// lm::load_lm (lesson 5's GPT and BERT), lm::load_classifier (lesson 6's --classify), and
// seq2seq::read_translator then the lesson's model from that configuration, then load_checkpoint
// (lessons 3 and 4's --translate and --eval). A hand-edited or corrupt checkpoint must be refused
// with an error naming it — never make the program build a model of absurd size.
//
// The input's first byte picks the loader (0-3 above, modulo 4); the rest, cut at NUL bytes, is the
// metadata's configuration (JSON) and vocabulary (a JSON list of words) — for a translator, its
// source and then its target vocabulary. The tensors are a tiny model's of that kind, saved with the
// fuzzed metadata for every input.
#include <dikkat/io/checkpoint.hpp>

#include "fuzz_models.hpp"

using namespace dikkat;

namespace {

struct Kind {
    std::string lesson, kind;        ///< the metadata's "lesson" and "kind"
    io::NamedArrays tensors;         ///< a tiny model's
    std::vector<std::string> vocab;  ///< the metadata's vocabulary keys
};
std::vector<Kind> kinds;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const std::string& dir = fuzz::scratch_dir();
    fuzz::save_language_models(dir, "05_gpt_vs_bert");
    fuzz::save_classifier(dir, "06_transfer_learning");
    kinds = {{"05_gpt_vs_bert",
              "transformer_lm",
              io::load_safetensors(dir + "/gpt.safetensors").tensors,
              {"vocabulary"}},
             {"06_transfer_learning",
              "lstm_classifier",
              io::load_safetensors(dir + "/classifier.safetensors").tensors,
              {"vocabulary"}},
             {"03_bahdanau_attention",
              "",
              io::load_safetensors(fuzz::rnn_translator_checkpoint("03_bahdanau_attention")).tensors,
              {"source_vocab", "target_vocab"}},
             {"04_transformer",
              "",
              io::load_safetensors(fuzz::transformer_translator_checkpoint("04_transformer")).tensors,
              {"source_vocab", "target_vocab"}}};
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t k = data[0] % kinds.size();
    const Kind& kind = kinds[k];
    std::vector<std::string> parts = fuzz::split(fuzz::bytes(data + 1, size - 1), '\0');
    parts.resize(std::max<std::size_t>(parts.size(), 3));
    io::Metadata metadata{{"lesson", kind.lesson}, {"config", parts[0]}};
    if (!kind.kind.empty()) metadata["kind"] = kind.kind;
    for (std::size_t i = 0; i < kind.vocab.size(); ++i) metadata[kind.vocab[i]] = parts[1 + i];
    const std::string path = fuzz::scratch_dir() + "/fuzzed.safetensors";
    fuzz::refused_or_accepted([&] {
        io::save_safetensors(path, kind.tensors, metadata);  // refuses metadata that is not UTF-8
        if (k == 0) {
            lm::load_lm(path);
        } else if (k == 1) {
            lm::load_classifier(path);
        } else {  // what seq2seq::run_commands does before it translates
            const seq2seq::TranslatorCheckpoint saved = seq2seq::read_translator(path, kind.lesson);
            io::load_checkpoint(path, *fuzz::build_translator(saved.config.json()));
        }
    });
    return 0;
}
