#include <dikkat/io/model_config.hpp>

#include <cstdint>
#include <filesystem>

#include <nlohmann/json.hpp>

#include <dikkat/error.hpp>
#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/safetensors.hpp>

namespace dikkat::io {

std::size_t read_config_size(const nlohmann::json& j, const char* key, std::size_t max_size) {
    if (!j.contains(key) || !j[key].is_number_integer())
        throw ValueError(std::string("model configuration: '") + key + "' is missing or not a whole number");
    if (j[key].get<std::int64_t>() < 0)
        throw ValueError(std::string("model configuration: '") + key + "' is " +
                         std::to_string(j[key].get<std::int64_t>()) + "; expected 1 to " +
                         std::to_string(max_size));
    const std::size_t size = j[key].get<std::size_t>();
    if (size == 0 || size > max_size)
        throw ValueError(std::string("model configuration: '") + key + "' is " + std::to_string(size) +
                         "; expected 1 to " + std::to_string(max_size));
    return size;
}

float read_config_dropout(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || !j[key].is_number() || j[key].get<double>() < 0.0 || j[key].get<double>() >= 1.0)
        throw ValueError(std::string("model configuration: '") + key +
                         "' is missing or not a number in [0, 1)");
    return j[key].get<float>();
}

std::string vocab_metadata(const data::Vocab& vocab) {
    // JSON holds only UTF-8 text; a vocabulary read from text in another encoding (Latin-1, say)
    // may have tokens that are not, and nlohmann refuses them with its own exception type.
    for (std::size_t id = 0; id < vocab.size(); ++id) {
        try {
            (void)nlohmann::json(vocab.tokens()[id]).dump();
        } catch (const nlohmann::json::type_error& e) {
            throw ValueError("vocabulary: token " + std::to_string(id) + " is not UTF-8 text (" + e.what() +
                             "), which a checkpoint's metadata must be; was the text it came from UTF-8?");
        }
    }
    return nlohmann::json(vocab.tokens()).dump();
}

data::Vocab vocab_from_metadata(const std::string& path, const std::string& key, const std::string& text) {
    std::vector<std::string> tokens;
    try {
        tokens = nlohmann::json::parse(text).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception&) {
        throw IoError(path + ": metadata '" + key + "' is not a JSON list of words");
    }
    try {
        return data::Vocab::from_tokens(tokens);
    } catch (const ValueError& e) {
        throw IoError(path + ": metadata '" + key + "' is not a vocabulary: " + e.what());
    }
}

void save_model(const std::string& path, const nn::Module& model, const std::string& kind,
                const nlohmann::json& config, const data::Vocab& vocab, const std::string& lesson) {
    save_checkpoint(path, model,
                    {{"lesson", lesson},
                     {"kind", kind},
                     {"config", config.dump()},
                     {"vocabulary", vocab_metadata(vocab)}});
}

void save_model(const std::string& path, const nn::Module& model, const std::string& kind,
                const nlohmann::json& config, const std::string& lesson) {
    save_checkpoint(path, model, {{"lesson", lesson}, {"kind", kind}, {"config", config.dump()}});
}

ModelHeader read_model_header(const std::string& path, const std::string& kind, const std::string& what,
                              const std::string& make_it, bool vocabulary) {
    if (!std::filesystem::exists(path))
        throw IoError(path + ": no such checkpoint" + (make_it.empty() ? std::string() : "; " + make_it));
    const Metadata meta = read_safetensors_header(path).metadata;
    for (const char* key : {"lesson", "kind", "config", "vocabulary"})
        if (!meta.count(key) && (vocabulary || std::string(key) != "vocabulary"))
            throw IoError(path + ": not " + what + "'s checkpoint (its metadata has no '" + key + "')");
    if (meta.at("kind") != kind) throw IoError(path + ": holds a " + meta.at("kind") + ", not " + what);
    ModelHeader h{
        meta.at("lesson"),
        {},
        vocabulary ? vocab_from_metadata(path, "vocabulary", meta.at("vocabulary")) : data::Vocab()};
    try {
        h.config.json() = nlohmann::json::parse(meta.at("config"));
    } catch (const nlohmann::json::exception&) {
        throw IoError(path + ": metadata 'config' is not JSON");
    }
    return h;
}

}  // namespace dikkat::io
