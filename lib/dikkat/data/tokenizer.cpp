#include <dikkat/data/tokenizer.hpp>

#include <dikkat/data/datasets.hpp>

namespace dikkat::data {

std::vector<std::string> utf8_chars(const std::string& text) {
    std::vector<std::string> chars;
    chars.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        // The lead byte says how long the sequence is: 0xxxxxxx 1, 110xxxxx 2, 1110xxxx 3,
        // 11110xxx 4; every following byte must look like 10xxxxxx.
        std::size_t len = lead < 0x80           ? 1
                          : (lead >> 5) == 0x6  ? 2
                          : (lead >> 4) == 0xE  ? 3
                          : (lead >> 3) == 0x1E ? 4
                                                : 1;
        if (i + len > text.size()) len = 1;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) len = 1;
        chars.push_back(text.substr(i, len));
        i += len;
    }
    return chars;
}

// ---- characters --------------------------------------------------------------------------

CharTokenizer CharTokenizer::build(const std::vector<std::string>& texts, std::size_t min_count,
                                   std::size_t max_size) {
    TokenCounts counts;
    for (const std::string& t : texts)
        for (const std::string& c : utf8_chars(t)) ++counts[c];
    return CharTokenizer(Vocab::from_counts(counts, min_count, max_size));
}

std::string CharTokenizer::join(const std::vector<std::string>& tokens) const {
    std::string text;
    for (const std::string& t : tokens) text += t;
    return text;
}

std::vector<Index> CharTokenizer::encode(const std::string& text, bool add_bos_eos) const {
    return vocab_.encode(split(text), add_bos_eos);
}

std::string CharTokenizer::decode(const std::vector<Index>& ids, bool skip_specials) const {
    return join(vocab_.decode(ids, skip_specials));
}

// ---- words -------------------------------------------------------------------------------

WordTokenizer WordTokenizer::build(const std::vector<std::string>& texts, std::size_t min_count,
                                   std::size_t max_size) {
    WordTokenizer splitter{Vocab()};
    TokenCounts counts;
    for (const std::string& t : texts)
        for (const std::string& w : splitter.split(t)) ++counts[w];
    return WordTokenizer(Vocab::from_counts(counts, min_count, max_size));
}

std::vector<std::string> WordTokenizer::split(const std::string& text) const {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        std::size_t j = i;
        while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
        if (j > i) words.push_back(text.substr(i, j - i));
        i = j;
    }
    return words;
}

std::string WordTokenizer::join(const std::vector<std::string>& tokens) const { return join_words(tokens); }

std::vector<Index> WordTokenizer::encode(const std::string& text, bool add_bos_eos) const {
    return vocab_.encode(split(text), add_bos_eos);
}

std::string WordTokenizer::decode(const std::vector<Index>& ids, bool skip_specials) const {
    return join(vocab_.decode(ids, skip_specials));
}

}  // namespace dikkat::data
