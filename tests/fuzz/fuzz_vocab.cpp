// Fuzz target: any bytes as a vocabulary — a vocab.txt file (Vocab::load) and the JSON list a
// checkpoint's metadata holds (io::vocab_from_metadata).
// Promises checked: what loads is saved and loads back the same tokens, in both forms.
#include <dikkat/data/vocab.hpp>
#include <dikkat/io/model_config.hpp>

#include "fuzz.hpp"

using namespace dikkat;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text = fuzz::bytes(data, size);
    const auto round_trips = [](const data::Vocab& vocab) {
        const std::string copy = fuzz::scratch_dir() + "/copy.txt";
        vocab.save(copy);
        fuzz::require(data::Vocab::load(copy).tokens() == vocab.tokens(), "Vocab: load(save(v)) == v");
        const std::string meta = io::vocab_metadata(vocab);
        fuzz::require(
            io::vocab_from_metadata("model.safetensors", "vocabulary", meta).tokens() == vocab.tokens(),
            "vocab_from_metadata(vocab_metadata(v)) == v");
    };
    fuzz::refused_or_accepted([&] { round_trips(data::Vocab::load(fuzz::scratch_file("vocab.txt", text))); });
    fuzz::refused_or_accepted(
        [&] { round_trips(io::vocab_from_metadata("model.safetensors", "vocabulary", text)); });
    return 0;
}
