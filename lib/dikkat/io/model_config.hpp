// What a checkpoint says about the model in it, read back with checks: a model's configuration
// (JSON sizes) and its vocabulary (a JSON list of tokens), both stored as safetensors metadata.
// A corrupt or hand-edited checkpoint gets an error that names the key, never a model of
// absurd size.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/data/vocab.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/nn/module.hpp>

namespace dikkat::io {

/// Reads `j[key]`, a size in a model configuration (a vocabulary, a layer width, a count).
/// Throws ValueError naming the key when it "is missing or not a whole number", or when it
/// "is N; expected 1 to M" (M = `max_size`: a corrupt checkpoint must not make the program
/// allocate gigabytes).
std::size_t read_config_size(const nlohmann::json& j, const char* key, std::size_t max_size);

/// Reads `j[key]`, a dropout probability: ValueError naming the key unless it is a number in [0, 1).
float read_config_dropout(const nlohmann::json& j, const char* key = "dropout");

/// A vocabulary as metadata: the JSON list of its tokens, in id order. Throws ValueError naming the
/// first token that is not valid UTF-8 (JSON cannot hold it).
std::string vocab_metadata(const data::Vocab& vocab);

/// The vocabulary stored under metadata `key` of the checkpoint at `path` (`text` is its value).
/// Throws IoError naming the file and key when it is not a JSON list of words or not a vocabulary.
data::Vocab vocab_from_metadata(const std::string& path, const std::string& key, const std::string& text);

/// What a model's checkpoint says about itself: the metadata save_model() writes.
struct ModelHeader {
    std::string lesson;  ///< the lesson that wrote it
    JsonObject config;   ///< the model's configuration (its kind's from_json reads config.json())
    data::Vocab vocab;
};

/// Writes `model`'s parameters to `path` (atomically) with metadata: the lesson, the model's
/// `kind` ("transformer_lm", "lstm_lm", ...), its configuration and its vocabulary.
void save_model(const std::string& path, const nn::Module& model, const std::string& kind,
                const nlohmann::json& config, const data::Vocab& vocab, const std::string& lesson);
/// The same for a model that reads no words (lesson 7's image body): no vocabulary.
void save_model(const std::string& path, const nn::Module& model, const std::string& kind,
                const nlohmann::json& config, const std::string& lesson);

/// Reads the metadata of a checkpoint save_model() wrote for a model of `kind` (`what` names
/// the kind for messages: "an LSTM language model"). Throws IoError naming the file when it is
/// missing (adding `make_it`, the command that writes it, when given), lacks a key, holds another
/// kind, or its configuration is not JSON. The caller builds the model from `config` and loads it.
/// With `vocabulary` false (a model saved without one) the header's vocab is left empty.
ModelHeader read_model_header(const std::string& path, const std::string& kind, const std::string& what,
                              const std::string& make_it = "", bool vocabulary = true);

}  // namespace dikkat::io
