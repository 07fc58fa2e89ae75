// Fuzz target: any bytes as text for the tokenizers and the text helpers (data/tokenizer.hpp,
// data/text.hpp): UTF-8 splitting, both tokenizers built on the text and run over it, a learner's
// sentence normalised, checked against a vocabulary, and edit distances.
// Promises checked: utf8_chars cuts the text into 1-4 byte pieces that join back to it; each
// tokenizer decodes its own encoding back to the text (the char tokenizer exactly, the word
// tokenizer up to its spacing); normalize_sentence leaves no tab, line break, double space or space
// at either end, and a sentence it normalised as it is; edit_distance is 0 for a string and itself,
// and symmetric.
#include <algorithm>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/text.hpp>
#include <dikkat/data/tokenizer.hpp>

#include "fuzz.hpp"

using namespace dikkat;

namespace {

const data::Vocab& english() {  // a few words of the translation corpus, as a vocabulary
    static const data::Vocab vocab = [] {
        data::Vocab v;
        for (const char* w : {"the", "european", "economic", "area", "is", "big", ".", "girl", "tired", "'s"})
            v.add(w);
        return v;
    }();
    return vocab;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text = fuzz::bytes(data, size);

    const std::vector<std::string> chars = data::utf8_chars(text);
    std::string joined;
    for (const std::string& c : chars) {
        fuzz::require(!c.empty() && c.size() <= 4, "utf8_chars: pieces of 1 to 4 bytes");
        joined += c;
    }
    fuzz::require(joined == text, "utf8_chars: the pieces join back to the text");

    fuzz::refused_or_accepted([&] {
        const data::CharTokenizer chars_tok = data::CharTokenizer::build({text});
        fuzz::require(chars_tok.decode(chars_tok.encode(text, /*add_bos_eos=*/true)) == text,
                      "CharTokenizer: decode(encode(text)) == text");
    });
    fuzz::refused_or_accepted([&] {
        const data::WordTokenizer words_tok = data::WordTokenizer::build({text});
        const std::vector<std::string> words = words_tok.split(text);
        for (const std::string& w : words)
            fuzz::require(!w.empty() && w.find_first_of(" \t") == std::string::npos, "WordTokenizer: words");
        // Special tokens typed in the text ("<eos>") stay tokens: decode without skipping them.
        fuzz::require(
            words_tok.decode(words_tok.encode(text), /*skip_specials=*/false) == words_tok.join(words),
            "WordTokenizer: decode(encode(text)) == its words joined");
    });

    std::string normal;
    fuzz::refused_or_accepted([&] {
        normal = data::normalize_sentence(text);
        fuzz::require(normal.find_first_of("\t\n\r") == std::string::npos &&
                          normal.find("  ") == std::string::npos &&
                          (normal.empty() || (normal.front() != ' ' && normal.back() != ' ')),
                      "normalize_sentence: single spaces between words, none at the ends");
        fuzz::require(data::normalize_sentence(normal) == normal,
                      "normalize_sentence leaves a sentence in the corpus's form as it is");
    });
    fuzz::refused_or_accepted(
        [&] { data::check_known_words(data::split_words(normal), english(), "English"); });

    // edit_distance fills a table of length × length by definition: halves of at most 256 bytes
    // (the library measures a learner's word against a vocabulary's, never two long texts).
    const std::size_t half = std::min<std::size_t>(text.size() / 2, 256);
    const std::string a = text.substr(0, half), b = text.substr(text.size() / 2, 256);
    fuzz::require(data::edit_distance(a, a) == 0, "edit_distance(a, a) == 0");
    fuzz::require(data::edit_distance(a, b) == data::edit_distance(b, a), "edit_distance is symmetric");
    fuzz::refused_or_accepted([&] { data::closest_words(a, english(), 3, 2); });
    return 0;
}
