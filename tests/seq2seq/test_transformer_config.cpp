// TransformerConfig (seq2seq/transformer_translator.hpp): the JSON a checkpoint carries, the
// fields it refuses, and a translator rebuilt from its checkpoint alone.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <dikkat/io/checkpoint.hpp>
#include <dikkat/seq2seq/evaluate.hpp>
#include <dikkat/seq2seq/transformer_translator.hpp>

#include "../io/io_test_util.hpp"
#include "seq2seq_test_util.hpp"

using namespace dikkat;
using seq2seq::TransformerConfig;
using seq2seq::TransformerTranslator;
using seq2seq_test::padded_batch;
using seq2seq_test::tiny_transformer_config;

// ---- configuration and checkpoints -----------------------------------------------------------

TEST_CASE("TransformerConfig survives a round trip through JSON") {
    TransformerConfig c = tiny_transformer_config("learned");
    c.sizes.dim = 12;
    c.sizes.heads = 3;
    c.sizes.ff = 20;
    c.sizes.encoder_layers = 3;
    c.sizes.dropout = 0.25f;
    c.sizes.scaled = false;
    c.max_length = 40;
    const TransformerConfig back = TransformerConfig::from_json(nlohmann::json::parse(c.to_json().dump()));
    CHECK(back.source_vocab == 9);
    CHECK(back.target_vocab == 8);
    CHECK(back.sizes.dim == 12);
    CHECK(back.sizes.heads == 3);
    CHECK(back.sizes.ff == 20);
    CHECK(back.sizes.encoder_layers == 3);
    CHECK(back.sizes.decoder_layers == 2);
    CHECK(back.sizes.dropout == 0.25f);
    CHECK_FALSE(back.sizes.scaled);
    CHECK(back.positions == "learned");
    CHECK(back.max_length == 40);
    CHECK(back.to_json() == c.to_json());
    CHECK(TransformerConfig::from_json(tiny_transformer_config("none").to_json())
              .sizes.scaled);  // without text too
}

TEST_CASE("TransformerConfig from_json names the field that is missing or malformed") {
    const nlohmann::json good = tiny_transformer_config("sinusoidal").to_json();
    for (const char* key : {"source_vocab", "target_vocab", "dim", "heads", "ff", "encoder_layers",
                            "decoder_layers", "dropout", "positions", "scaled", "max_length"}) {
        CAPTURE(key);
        nlohmann::json missing = good;
        missing.erase(key);
        check_error<ValueError>([&] { TransformerConfig::from_json(missing); },
                                {"model configuration: '" + std::string(key) + "' is missing"});
    }
    for (const char* key :
         {"source_vocab", "dim", "heads", "ff", "encoder_layers", "decoder_layers", "max_length"}) {
        CAPTURE(key);
        nlohmann::json zero = good, huge = good, negative = good, fraction = good;
        zero[key] = 0u;
        check_error<ValueError>(
            [&] { TransformerConfig::from_json(zero); },
            {"model configuration: '" + std::string(key) + "' is 0; expected 1 to 65536"});
        huge[key] = std::size_t{TransformerConfig::max_size + 1};
        check_error<ValueError>([&] { TransformerConfig::from_json(huge); },
                                {"' is 65537; expected 1 to 65536"});
        negative[key] = -3;
        check_error<ValueError>([&] { TransformerConfig::from_json(negative); },
                                {"'" + std::string(key) + "' is -3; expected 1 to 65536"});
        fraction[key] = 8.5;
        check_error<ValueError>([&] { TransformerConfig::from_json(fraction); }, {"not a whole number"});
    }
    nlohmann::json largest = good;
    largest["max_length"] = std::size_t{TransformerConfig::max_size};
    CHECK(TransformerConfig::from_json(largest).max_length == 65536);  // the limit itself is allowed
    for (const nlohmann::json& dropout : {nlohmann::json(1.0), nlohmann::json(-0.1), nlohmann::json("0.1")}) {
        CAPTURE(dropout.dump());
        nlohmann::json bad = good;
        bad["dropout"] = dropout;
        check_error<ValueError>([&] { TransformerConfig::from_json(bad); },
                                {"model configuration: 'dropout' is missing or not a number in [0, 1)"});
    }
    nlohmann::json not_a_string = good;
    not_a_string["positions"] = 3;
    check_error<ValueError>([&] { TransformerConfig::from_json(not_a_string); },
                            {"'positions' is missing or not a string"});
    for (const nlohmann::json& scaled : {nlohmann::json("yes"), nlohmann::json(1)}) {
        CAPTURE(scaled.dump());
        nlohmann::json bad = good;
        bad["scaled"] = scaled;
        check_error<ValueError>([&] { TransformerConfig::from_json(bad); },
                                {"'scaled' is missing or not true or false"});
    }
}

TEST_CASE(
    "a TransformerTranslator rebuilt from its checkpoint alone gives the saved model's scores exactly") {
    io_test::TempDir dir;
    const std::string path = dir.file("transformer.safetensors");
    const std::string transformer_lesson = "04_transformer";
    const data::ParallelCorpus vocabs = seq2seq_test::word_for_word();
    const seq2seq::Batch batch = padded_batch();
    for (const std::string kind : {"sinusoidal", "learned"}) {
        CAPTURE(kind);
        const TransformerConfig config =
            tiny_transformer_config(kind, vocabs.source_vocab.size(), vocabs.target_vocab.size());
        Rng rng(14);
        const TransformerTranslator model(config, rng);
        seq2seq::save_translator(path, model, config.to_json(), vocabs, transformer_lesson);

        const seq2seq::TranslatorCheckpoint saved = seq2seq::read_translator(path, transformer_lesson);
        CHECK(saved.vocabs.target_vocab.size() == vocabs.target_vocab.size());
        Rng other(99);  // different initial weights: only the checkpoint can make them equal
        TransformerTranslator rebuilt(TransformerConfig::from_json(saved.config.json()), other);
        CHECK(rebuilt.config().to_json() == config.to_json());
        const Array before = rebuilt.forward(batch).value();
        io::load_checkpoint(path, rebuilt);
        const Array expected = model.forward(batch).value();
        CHECK_FALSE(before == expected);
        CHECK(rebuilt.forward(batch).value() == expected);
    }
}
