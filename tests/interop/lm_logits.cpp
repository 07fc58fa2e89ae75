// Dikkat's side of the PyTorch interop test (test_interop.py): a language model's logits on
// given ids, or a fresh random model written as a checkpoint.
//
//     dikkat_lm_logits --checkpoint gpt.safetensors --ids "5 17 9 6 8 7" --batch-rows 2 --out out.safetensors
//         loads the model with lm::load_lm and writes its logits (B, T, V) as the F32 tensor "logits"
//     dikkat_lm_logits --init '{"objective": "gpt", "vocab": 40, ...}' --seed 3 --save model.safetensors
//         builds a TransformerLM with that configuration, initialised from the seed, with the
//         vocabulary <pad> <bos> <eos> <unk> <mask> w5 w6 ... (vocab tokens), and save_lm's it
//
// B rows, T positions, V vocabulary
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <dikkat/autograd.hpp>
#include <dikkat/io/safetensors.hpp>
#include <dikkat/lm/transformer_lm.hpp>

using namespace dikkat;

namespace {

const char* usage =
    "usage: dikkat_lm_logits --checkpoint FILE --ids \"5 17 9 ...\" [--batch-rows N] --out FILE\n"
    "       dikkat_lm_logits --init CONFIG_JSON [--seed S] --save FILE";

// "--flag value" pairs; anything else is a ValueError naming it.
std::map<std::string, std::string> parse_flags(int argc, char** argv) {
    const std::vector<std::string> known = {"--checkpoint", "--ids",  "--batch-rows", "--out",
                                            "--init",       "--seed", "--save"};
    std::map<std::string, std::string> flags;
    for (int i = 1; i < argc; i += 2) {
        const std::string flag = argv[i];
        if (std::find(known.begin(), known.end(), flag) == known.end())
            throw ValueError("unknown argument '" + flag + "'\n" + usage);
        if (i + 1 >= argc) throw ValueError(flag + " needs a value\n" + usage);
        flags[flag] = argv[i + 1];
    }
    return flags;
}

std::size_t parse_count(const std::string& flag, const std::string& text) {
    std::size_t used = 0;
    unsigned long long n = 0;
    try {
        n = std::stoull(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || text[0] == '-')
        throw ValueError(flag + " '" + text + "': expected a whole number");
    return static_cast<std::size_t>(n);
}

// "5 17 9 6 8 7" with 2 rows -> ids (2, 3), row by row.
IndexArray parse_ids(const std::string& text, std::size_t rows) {
    std::istringstream in(text);
    std::vector<Index> ids;
    std::string word;
    while (in >> word) {
        std::size_t used = 0;
        long long id = -1;
        try {
            id = std::stoll(word, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != word.size() || id < 0 || id > INT32_MAX)
            throw ValueError("--ids: '" + word + "' is not a token id (a whole number >= 0)");
        ids.push_back(static_cast<Index>(id));
    }
    if (ids.empty()) throw ValueError("--ids is empty; expected token ids separated by spaces");
    if (rows == 0) throw ValueError("--batch-rows must be at least 1");
    if (ids.size() % rows != 0)
        throw ValueError("--ids holds " + std::to_string(ids.size()) + " ids, which " + std::to_string(rows) +
                         " rows (--batch-rows) cannot share equally");
    const std::size_t T = ids.size() / rows;
    IndexArray out(IndexArray::shape_type{rows, T});
    std::copy(ids.begin(), ids.end(), out.begin());
    return out;  // (B, T)
}

void write_logits(const std::map<std::string, std::string>& flags) {
    for (const char* flag : {"--ids", "--out"})
        if (!flags.count(flag)) throw ValueError(std::string("--checkpoint needs ") + flag + "\n" + usage);
    const std::size_t rows =
        flags.count("--batch-rows") ? parse_count("--batch-rows", flags.at("--batch-rows")) : 1;
    const IndexArray ids = parse_ids(flags.at("--ids"), rows);  // (B, T)
    const lm::LoadedLM loaded = lm::load_lm(flags.at("--checkpoint"));
    NoGrad no_grad;
    const Tensor logits = loaded.model->forward(ids);  // (B, T, V)
    io::save_safetensors(flags.at("--out"), {{"logits", logits.value()}});
    std::cout << loaded.model->describe() << ": logits " << shape_str(logits.shape()) << " written to "
              << flags.at("--out") << "\n";
}

void write_random_model(const std::map<std::string, std::string>& flags) {
    if (!flags.count("--save")) throw ValueError(std::string("--init needs --save\n") + usage);
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(flags.at("--init"));
    } catch (const nlohmann::json::exception&) {
        throw ValueError(
            "--init '" + flags.at("--init") +
            "' is not JSON; expected a model configuration such as {\"objective\": \"gpt\", "
            "\"vocab\": 40, \"dim\": 32, \"heads\": 4, \"ff\": 48, \"layers\": 2, \"context\": 12, "
            "\"positions\": \"learned\", \"dropout\": 0.1}");
    }
    const lm::LMConfig config = lm::LMConfig::from_json(json);
    const std::uint64_t seed = flags.count("--seed") ? parse_count("--seed", flags.at("--seed")) : 0;
    Rng rng(seed);
    const lm::TransformerLM model(config, rng);
    data::Vocab vocab;  // the five special tokens, then w5, w6, ...
    while (vocab.size() < config.vocab) vocab.add("w" + std::to_string(vocab.size()));
    lm::save_lm(flags.at("--save"), model, vocab, "interop");
    std::cout << model.describe() << " (seed " << seed << ") written to " << flags.at("--save") << "\n";
}

}  // namespace

int main(int argc, char** argv) try {
    const auto flags = parse_flags(argc, argv);
    if (flags.count("--checkpoint") == flags.count("--init"))
        throw ValueError(std::string("give either --checkpoint or --init\n") + usage);
    if (flags.count("--checkpoint"))
        write_logits(flags);
    else
        write_random_model(flags);
    return 0;
} catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
}
