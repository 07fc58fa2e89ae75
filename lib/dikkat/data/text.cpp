#include <dikkat/data/text.hpp>

#include <algorithm>
#include <set>
#include <utility>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/tokenizer.hpp>
#include <dikkat/error.hpp>

namespace dikkat::data {

namespace {

// Multi-byte characters replaced as they are: typographic apostrophes, the spaces French
// typing puts before ? ! : ;, and the one French capital outside Latin-1.
const std::vector<std::pair<std::string, std::string>>& replacements() {
    static const std::vector<std::pair<std::string, std::string>> table{
        {"\u2019", "'"},       // ’ right single quotation mark, what most keyboards type
        {"\u02BC", "'"},       // ʼ modifier letter apostrophe
        {"\u00A0", " "},       // no-break space
        {"\u202F", " "},       // narrow no-break space
        {"\u0152", "\u0153"},  // Œ -> œ
    };
    return table;
}

// Lowercases, unifies apostrophes and spaces, and puts a space on both sides of . , ? ! ; :
std::string lower_and_space(const std::string& text) {
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
        const auto replaced = std::find_if(replacements().begin(), replacements().end(), [&](const auto& r) {
            return text.compare(i, r.first.size(), r.first) == 0;
        });
        if (replaced != replacements().end()) {
            out += replaced->second;
            i += replaced->first.size();
        } else if (c == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97) {
            // À..Þ (but not ×) are U+00C0..U+00DE, bytes C3 80..C3 9E; their lowercase letters
            // are 0x20 further on
            out += text[i];
            out += static_cast<char>(next + 0x20);
            i += 2;
        } else {
            if (c >= 'A' && c <= 'Z')
                out += static_cast<char>(c - 'A' + 'a');
            else if (c == '\t' || c == '\n' || c == '\r')
                out += ' ';
            else if (c == '.' || c == ',' || c == '?' || c == '!' || c == ';' || c == ':')
                out += std::string(" ") + text[i] + " ";
            else
                out += text[i];
            ++i;
        }
    }
    return out;
}

// French words that drop their vowel before a vowel and keep an apostrophe: l'homme.
bool is_elision(const std::string& prefix) {
    static const std::vector<std::string> words{"l", "d",  "n",     "j",      "m",      "t",     "s",
                                                "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"};
    return std::find(words.begin(), words.end(), prefix) != words.end();
}

// Splits one word at its apostrophes as the corpus does: marie's -> marie 's; l'homme -> l' homme;
// and again in what is left (l'homme's -> l' homme 's), so that a normalised sentence normalises to
// itself. A loop over [begin, end) of the word, not recursion: a pasted "l'l'l'..." may be 100 KB.
void split_apostrophe(const std::string& word, std::vector<std::string>& out) {
    std::size_t begin = 0, end = word.size(), possessives = 0;
    for (;;) {
        if (end - begin > 2 && word.compare(end - 2, 2, "'s") == 0) {  // 's comes off the end
            end -= 2;
            ++possessives;
            continue;
        }
        const std::size_t apostrophe = word.find('\'', begin);  // l' comes off the front
        if (apostrophe != std::string::npos && apostrophe + 1 < end &&
            is_elision(word.substr(begin, apostrophe - begin))) {
            out.push_back(word.substr(begin, apostrophe + 1 - begin));
            begin = apostrophe + 1;
            continue;
        }
        break;
    }
    out.push_back(word.substr(begin, end - begin));
    out.insert(out.end(), possessives, "'s");
}

}  // namespace

std::string normalize_sentence(const std::string& text) {
    std::vector<std::string> words;
    for (const std::string& w : split_words(lower_and_space(text))) split_apostrophe(w, words);
    return join_words(words);
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    const std::vector<std::string> x = utf8_chars(a), y = utf8_chars(b);
    // row[j] = distance between the first i characters of x and the first j of y
    std::vector<std::size_t> row(y.size() + 1);
    for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= x.size(); ++i) {
        std::size_t diagonal = row[0];  // (i-1, j-1)
        row[0] = i;
        for (std::size_t j = 1; j <= y.size(); ++j) {
            const std::size_t substitute = diagonal + (x[i - 1] == y[j - 1] ? 0 : 1);
            diagonal = row[j];
            row[j] = std::min({substitute, row[j] + 1 /*delete*/, row[j - 1] + 1 /*insert*/});
        }
    }
    return row[y.size()];
}

std::vector<std::string> closest_words(const std::string& word, const Vocab& vocab, std::size_t k,
                                       std::size_t max_distance) {
    const std::size_t length = utf8_chars(word).size();
    std::vector<std::pair<std::size_t, Index>> scored;  // (distance, id): sorts nearest, then lowest id
    for (auto id = static_cast<Index>(Vocab::specials().size()); id < static_cast<Index>(vocab.size());
         ++id) {
        // Two words whose lengths differ by n are at least n edits apart: skip those too far
        // apart before filling a table of length × length (a pasted paragraph is one long "word").
        const std::size_t token_length = utf8_chars(vocab.token(id)).size();
        if (std::max(length, token_length) - std::min(length, token_length) > max_distance) continue;
        const std::size_t d = edit_distance(word, vocab.token(id));
        if (d <= max_distance) scored.emplace_back(d, id);
    }
    const std::size_t n = std::min(k, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(n), scored.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(vocab.token(scored[i].second));
    return out;
}

void check_known_words(const std::vector<std::string>& words, const Vocab& vocab, const std::string& language,
                       const std::string& listing) {
    std::vector<std::string> unknown;  // in order, once each
    std::set<std::string> seen;
    for (const std::string& w : words)
        if (!vocab.contains(w) && seen.insert(w).second) unknown.push_back(w);
    if (unknown.empty()) return;

    // Each named word costs a search of the whole vocabulary: name the first few (a pasted page
    // of another language would otherwise take minutes, for a message nobody reads) and count the rest.
    constexpr std::size_t max_named = 10;
    std::string msg = "\"" + join_words(words) + "\": ";
    for (std::size_t i = 0; i < std::min(unknown.size(), max_named); ++i) {
        const std::string& w = unknown[i];
        const std::size_t near = std::max<std::size_t>(2, utf8_chars(w).size() / 2);
        std::string suggestions;
        for (const std::string& s : closest_words(w, vocab, 3, near))
            suggestions += (suggestions.empty() ? "" : ", ") + s;
        msg += "unknown word \"" + w + "\" (" +
               (suggestions.empty() ? "no known word is close" : "did you mean: " + suggestions + "?") +
               "); ";
    }
    if (unknown.size() > max_named)
        msg += "and " + std::to_string(unknown.size() - max_named) + " more unknown words; ";
    msg += "the model knows " + std::to_string(vocab.size() - Vocab::specials().size()) +
           (language.empty() ? "" : " " + language) + " words";
    if (!listing.empty()) msg += " (see " + listing + ")";
    throw ValueError(msg);
}

}  // namespace dikkat::data
