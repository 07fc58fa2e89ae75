// A language model's checkpoint (lm::save_lm, lm::load_lm) and what its metadata says about the
// model (io/model_config.hpp): round trips, and the errors that name the file and the key.
//
//     B batch, T positions, V vocabulary
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <dikkat/io.hpp>
#include <dikkat/io/model_config.hpp>
#include <dikkat/lm/transformer_lm.hpp>

#include "../io/io_test_util.hpp"
#include "../support/error_of.hpp"
#include "lm_test_util.hpp"

using namespace dikkat;
namespace lm_test {
using io_test::TempDir;
using lm::Objective;

namespace {
const IndexArray sentences = {{5, 6, 7, 8, 9, 10}, {11, 10, 9, 8, 7, 6}};

// The metadata save_lm writes, for a model of configuration `c` and `vocab`.
io::Metadata lm_metadata(const lm::LMConfig& c, const data::Vocab& vocab) {
    return {{"lesson", "05_gpt_vs_bert"},
            {"kind", "transformer_lm"},
            {"config", c.to_json().dump()},
            {"vocabulary", io::vocab_metadata(vocab)}};
}
}  // namespace

// ---- save_lm, load_lm --------------------------------------------------------------------------

TEST_CASE("save_lm then load_lm gives the same scores, vocabulary, configuration and lesson") {
    TempDir dir;
    const data::Vocab vocab = tiny_vocab();
    for (Objective o : {Objective::gpt, Objective::bert})
        for (const char* positions : {"learned", "sinusoidal"}) {
            CAPTURE(lm::to_string(o));
            CAPTURE(positions);
            Rng rng(11);
            lm::TransformerLM model(tiny_config(o, 2, positions), rng);
            // Train-like changes, so the load cannot pass by starting from the same seed.
            for (float& b : model.head.bias.mutable_value()) b = rng.normal(0.0f, 1.0f);
            const std::string path = dir.file(lm::to_string(o) + "-" + positions + ".safetensors");
            lm::save_lm(path, model, vocab, "05_gpt_vs_bert");
            const lm::LoadedLM loaded = lm::load_lm(path);
            REQUIRE(loaded.model != nullptr);
            CHECK(loaded.vocab.tokens() == vocab.tokens());
            CHECK(loaded.lesson == "05_gpt_vs_bert");
            CHECK(loaded.model->config().to_json() == model.config().to_json());
            CHECK_FALSE(loaded.model->training());
            NoGrad no_grad;
            CHECK(max_difference(loaded.model->forward(sentences).value(),
                                 model.forward(sentences).value()) == 0.0);
            // One copy of the tied matrix in the file, loaded into both uses.
            CHECK(loaded.model->head.weight.node_ptr() == loaded.model->embed.weight.node_ptr());
        }
}

TEST_CASE("save_lm refuses a vocabulary whose size is not the model's") {
    TempDir dir;
    Rng rng(12);
    const lm::TransformerLM model(tiny_config(Objective::gpt, 1), rng);
    data::Vocab bigger = tiny_vocab();
    bigger.add("extra");
    check_error<ValueError>([&] { lm::save_lm(dir.file("m.safetensors"), model, bigger, "05"); },
                            {"13 tokens, the model 12"});
}

TEST_CASE("load_lm on a missing file names the file and the command that makes it") {
    TempDir dir;
    const std::string path = dir.file("gpt.safetensors");
    check_error<IoError>([&] { lm::load_lm(path, "run ./build/lessons/05_gpt_vs_bert first"); },
                         {path + ": no such checkpoint; run ./build/lessons/05_gpt_vs_bert first"});
    CHECK(error_of<IoError>([&] { lm::load_lm(path); }) == path + ": no such checkpoint");
}

TEST_CASE("load_lm on a checkpoint whose metadata lacks a key names the file and the key") {
    TempDir dir;
    Rng rng(13);
    const lm::TransformerLM model(tiny_config(Objective::gpt, 1), rng);
    const data::Vocab vocab = tiny_vocab();
    for (const char* key : {"lesson", "config", "vocabulary"}) {
        CAPTURE(key);
        io::Metadata meta = lm_metadata(model.config(), vocab);
        meta.erase(key);
        const std::string path = dir.file(std::string("no-") + key + ".safetensors");
        io::save_checkpoint(path, model, meta);
        check_error<IoError>(
            [&] { lm::load_lm(path); },
            {path + ": not a transformer language model's checkpoint", std::string("no '") + key + "'"});
    }
    // A safetensors file of someone else's tensors, no metadata at all.
    const std::string plain = dir.file("plain.safetensors");
    io::save_safetensors(plain, {{"w", Array{1.0f, 2.0f}}});
    check_error<IoError>([&] { lm::load_lm(plain); },
                         {plain + ": not a transformer language model's checkpoint"});
}

TEST_CASE("load_lm says so when the vocabulary's size differs from the configuration's") {
    TempDir dir;
    Rng rng(14);
    const lm::TransformerLM model(tiny_config(Objective::bert, 1), rng);
    data::Vocab bigger = tiny_vocab();
    bigger.add("extra");
    const std::string path = dir.file("bert.safetensors");
    io::save_checkpoint(path, model, lm_metadata(model.config(), bigger));
    check_error<IoError>([&] { lm::load_lm(path); },
                         {path + ": its vocabulary has 13 tokens, its configuration says 12"});
}

TEST_CASE("load_lm names the file and the key of a configuration that is not JSON or not valid") {
    TempDir dir;
    Rng rng(15);
    const lm::TransformerLM model(tiny_config(Objective::gpt, 1), rng);
    io::Metadata meta = lm_metadata(model.config(), tiny_vocab());
    meta["config"] = "{not json";
    const std::string path = dir.file("bad.safetensors");
    io::save_checkpoint(path, model, meta);
    check_error<IoError>([&] { lm::load_lm(path); }, {path + ": metadata 'config' is not JSON"});

    nlohmann::json config = model.config().to_json();
    config["positions"] = "rotary";
    meta["config"] = config.dump();
    io::save_checkpoint(path, model, meta);
    check_error<IoError>([&] { lm::load_lm(path); }, {path + ": ", "'positions' is 'rotary'"});

    meta = lm_metadata(model.config(), tiny_vocab());
    meta["vocabulary"] = "[\"<pad>\", 3]";
    io::save_checkpoint(path, model, meta);
    check_error<IoError>([&] { lm::load_lm(path); },
                         {path + ": metadata 'vocabulary' is not a JSON list of words"});
}

TEST_CASE("load_lm names the file when its configuration cannot make a model") {
    // Each size is in range, but 3 heads do not divide 8 features: an IoError naming the file, as
    // for every other checkpoint that does not fit its own configuration.
    TempDir dir;
    Rng rng(17);
    const lm::TransformerLM model(tiny_config(Objective::gpt, 1), rng);
    lm::LMConfig bad = tiny_config(Objective::gpt, 1);
    bad.heads = 3;
    const std::string path = dir.file("three-heads.safetensors");
    io::save_checkpoint(path, model, lm_metadata(bad, tiny_vocab()));
    check_error<IoError>([&] { lm::load_lm(path); }, {path + ": ", "3 heads do not divide the model size 8"});
}

TEST_CASE("load_lm names the tensors a checkpoint lacks for its own configuration") {
    // The metadata says 2 layers; the tensors are a 1-layer model's.
    TempDir dir;
    Rng rng(16);
    const lm::TransformerLM one_layer(tiny_config(Objective::gpt, 1), rng);
    const std::string path = dir.file("short.safetensors");
    io::save_checkpoint(path, one_layer, lm_metadata(tiny_config(Objective::gpt, 2), tiny_vocab()));
    check_error<IoError>([&] { lm::load_lm(path); }, {path, "missing tensors", "layers.1.norm1.weight"});
}

// ---- io/model_config.hpp -----------------------------------------------------------------------

TEST_CASE("read_config_size reads a whole number in 1..max and otherwise names the key") {
    // As a checkpoint's metadata holds it: JSON text.
    const nlohmann::json j = nlohmann::json::parse(
        R"({"dim": 8, "zero": 0, "big": 101, "negative": -3, "fraction": 2.5, "text": "8"})");
    CHECK(io::read_config_size(j, "dim", 100) == 8);
    CHECK(io::read_config_size(j, "big", 101) == 101);
    CHECK(error_of<ValueError>([&] { io::read_config_size(j, "zero", 100); }) ==
          "model configuration: 'zero' is 0; expected 1 to 100");
    CHECK(error_of<ValueError>([&] { io::read_config_size(j, "big", 100); }) ==
          "model configuration: 'big' is 101; expected 1 to 100");
    CHECK(error_of<ValueError>([&] { io::read_config_size(j, "negative", 100); }) ==
          "model configuration: 'negative' is -3; expected 1 to 100");
    for (const char* key : {"missing", "fraction", "text"}) {
        CAPTURE(key);
        CHECK(error_of<ValueError>([&] { io::read_config_size(j, key, 100); }) ==
              std::string("model configuration: '") + key + "' is missing or not a whole number");
    }
}

TEST_CASE("read_config_size reads a whole number that C++ code put in the JSON as a signed int") {
    // nlohmann::json holds a parsed 8 as unsigned, but an int assigned in C++ as signed: a
    // configuration built in code (a test, a lesson's options) is the same configuration.
    const nlohmann::json j = {{"dim", 8}, {"zero", 0}};
    CHECK(error_of<ValueError>([&] { io::read_config_size(j, "dim", 100); }) == "(no error)");
    CHECK(error_of<ValueError>([&] { io::read_config_size(j, "zero", 100); }) ==
          "model configuration: 'zero' is 0; expected 1 to 100");
    lm::LMConfig c = tiny_config(Objective::gpt);
    nlohmann::json built = c.to_json();
    built["heads"] = 2;  // an int, as a learner would write it
    CHECK(error_of<ValueError>([&] { lm::LMConfig::from_json(built); }) == "(no error)");
}

TEST_CASE("read_config_dropout reads a number from 0 up to but not including 1 and otherwise names the key") {
    const nlohmann::json j = {
        {"dropout", 0.25}, {"zero", 0}, {"one", 1.0}, {"negative", -0.1}, {"text", "0.1"}};
    CHECK(io::read_config_dropout(j) == 0.25f);
    CHECK(io::read_config_dropout(j, "zero") == 0.0f);
    for (const char* key : {"one", "negative", "text", "missing"}) {
        CAPTURE(key);
        CHECK(error_of<ValueError>([&] { io::read_config_dropout(j, key); }) ==
              std::string("model configuration: '") + key + "' is missing or not a number in [0, 1)");
    }
}

TEST_CASE("a vocabulary survives vocab_metadata and vocab_from_metadata, awkward tokens too") {
    data::Vocab vocab = tiny_vocab();
    for (const char* w : {"\"quoted\"", "back\\slash", "tab\there", "naïve", "[", "}"}) vocab.add(w);
    const data::Vocab back =
        io::vocab_from_metadata("m.safetensors", "vocabulary", io::vocab_metadata(vocab));
    CHECK(back.tokens() == vocab.tokens());
    CHECK(back.id("naïve") == vocab.id("naïve"));
}

TEST_CASE("vocab_metadata refuses a token that is not UTF-8 with a ValueError naming it") {
    // Found by tests/fuzz/fuzz_vocab: Vocab::load takes any bytes, so a vocab.txt in another encoding
    // loads, and saving its model then threw nlohmann's type_error, not a dikkat::Error.
    TempDir dir;
    io_test::write_bytes(dir.file("vocab.txt"),  // the fuzzer's input: token 5 is "le\r", byte F1, "chat"
                         "<pad>\r\n<bos>\r\n<eos>\r\n<unk>\r\n<mask>\r\nle\r\xf1"
                         "chat\r\n");
    const data::Vocab vocab = data::Vocab::load(dir.file("vocab.txt"));
    check_error<ValueError>([&] { io::vocab_metadata(vocab); },
                            {"vocabulary: token 5 is not UTF-8 text (", "invalid UTF-8 byte",
                             "; was the text it came from UTF-8?"});
}

TEST_CASE("vocab_from_metadata names the file and the key of a list that is not a vocabulary") {
    for (const char* text : {"not json", "{\"a\": 1}", "[1, 2, 3]", "\"<pad>\""}) {
        CAPTURE(text);
        CHECK(error_of<IoError>([&] {
                  io::vocab_from_metadata("runs/05/gpt.safetensors", "vocabulary", text);
              }) == "runs/05/gpt.safetensors: metadata 'vocabulary' is not a JSON list of words");
    }
    check_error<IoError>(
        [] {
            io::vocab_from_metadata("m.safetensors", "words",
                                    R"(["<pad>", "<bos>", "the", "<unk>", "<mask>"])");
        },
        {"m.safetensors: metadata 'words' is not a vocabulary: "});
    check_error<IoError>([] { io::vocab_from_metadata("m.safetensors", "words", R"(["the", "film"])"); },
                         {"m.safetensors: metadata 'words' is not a vocabulary: "});
}
}  // namespace lm_test
