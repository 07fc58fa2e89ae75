#include "text.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/streams.hpp>
#include <dikkat/data/text.hpp>
#include <dikkat/dikkat.hpp>

using namespace dikkat;

namespace lesson5 {

namespace {
constexpr std::size_t quick_valid_words = 12000;  // --quick: validation words
}  // namespace

// datasets/text/general for training and validation; the vocabulary from it and the unlabelled
// reviews together (design §4: one vocabulary for lessons 5 and 6).
Corpus shipped_corpus(bool quick) {
    const auto train = data::read_corpus(data::find_dataset("text/general/train.txt"));
    const auto valid = data::read_corpus(data::find_dataset("text/general/valid.txt"));
    const auto reviews = data::read_corpus(data::find_dataset("text/reviews_unlabelled/train.txt"));
    data::TokenCounts counts;
    for (const auto* lines : {&train, &reviews})
        for (const std::string& l : *lines)
            for (const std::string& w : data::split_words(l)) counts[w]++;
    Corpus c{data::Vocab::from_counts(counts), {}, {}, "datasets/text/general"};
    c.train = data::word_stream(train, c.vocab);
    c.valid = data::word_stream(valid, c.vocab);
    if (quick) c.valid.resize(std::min(c.valid.size(), quick_valid_words));
    return c;
}

// A learner's own text: read as the corpus is written (data::normalize_sentence: lowercase,
// punctuation apart), a blank line between paragraphs. The last tenth is held out for
// validation; the vocabulary is every word seen at least twice in the rest (at most 8,000).
Corpus learner_corpus(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(path + ": cannot open the text given to --text");
    std::vector<std::string> paragraphs(1);
    for (std::string line; std::getline(in, line);) {
        const std::string words = data::normalize_sentence(line);
        if (words.empty()) {
            if (!paragraphs.back().empty()) paragraphs.emplace_back();
        } else {
            paragraphs.back() += (paragraphs.back().empty() ? "" : " ") + words;
        }
    }
    if (paragraphs.back().empty()) paragraphs.pop_back();
    std::vector<std::string> all;  // every word, paragraphs ended by <eos>
    for (const std::string& p : paragraphs) {
        for (const std::string& w : data::split_words(p)) all.push_back(w);
        all.push_back("<eos>");
    }
    const std::size_t cut = all.size() * 9 / 10;
    data::TokenCounts counts;
    for (std::size_t i = 0; i < cut; ++i)
        if (all[i] != "<eos>") counts[all[i]]++;
    Corpus c{data::Vocab::from_counts(counts, /*min_count=*/2, /*max_size=*/8000), {}, {}, path};
    for (std::size_t i = 0; i < all.size(); ++i) (i < cut ? c.train : c.valid).push_back(c.vocab.id(all[i]));
    const std::size_t need = 32 * 64 + 1;  // one window in each of the validation streams
    if (c.valid.size() < need || c.vocab.size() < 20)
        throw ValueError(path + ": " + std::to_string(all.size()) + " words, " +
                         std::to_string(c.vocab.size()) + " of them seen twice; --text needs at least " +
                         std::to_string(need * 10) + " words (a short book is about 50,000)");
    return c;
}

// A prompt or a sentence with gaps, as ids. Every word must be known (the error lists the
// nearest known ones); "<mask>" is a gap when `allow_mask`.
std::vector<Index> encode_text(const std::string& text, const data::Vocab& vocab, bool allow_mask) {
    const std::vector<std::string> words = data::split_words(data::normalize_sentence(text));
    if (words.empty()) throw ValueError("\"" + text + "\": no words");
    std::vector<std::string> known;
    for (const std::string& w : words)
        if (!(allow_mask && w == "<mask>")) known.push_back(w);
    data::check_known_words(known, vocab, "", "the run folder's vocab.txt");
    return vocab.encode(words);
}

// Three examples from the validation text: the first words of paragraphs (prompts), or their
// first sentence with its middle word hidden (gaps).
std::vector<std::string> examples_from(const std::vector<Index>& valid, const data::Vocab& vocab, bool gap) {
    std::vector<std::string> out;
    std::vector<Index> paragraph;
    for (Index id : valid) {
        if (id != data::Vocab::eos_id) {
            paragraph.push_back(id);
            continue;
        }
        std::vector<std::string> words;
        for (Index w : paragraph) {
            if (words.size() == (gap ? 12u : 4u) || (gap && vocab.token(w) == ".")) break;
            words.push_back(vocab.token(w));
        }
        paragraph.clear();
        if (words.size() < 4 || std::count(words.begin(), words.end(), "<unk>")) continue;
        if (gap) words[words.size() / 2] = "<mask>";
        out.push_back(data::join_words(words));
        if (out.size() == 3) break;
    }
    return out;
}

std::string words_of(const std::vector<Index>& ids, const data::Vocab& vocab) {
    return data::join_words(vocab.decode(ids, /*skip_specials=*/false));
}

nlohmann::json fill_json(const std::vector<std::vector<lm::Candidate>>& gaps, const data::Vocab& vocab) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& gap : gaps) {
        nlohmann::json g = nlohmann::json::array();
        for (const lm::Candidate& c : gap) g.push_back({{"word", vocab.token(c.id)}, {"p", c.probability}});
        out.push_back(g);
    }
    return out;
}

void print_fill(const std::string& who, const std::vector<std::vector<lm::Candidate>>& gaps,
                const data::Vocab& vocab) {
    for (const auto& gap : gaps) {
        std::printf("      %-16s", who.c_str());
        for (const lm::Candidate& c : gap) std::printf(" %s %.2f", vocab.token(c.id).c_str(), c.probability);
        std::printf("\n");
    }
}

// Section 5's examples: GPT writes, BERT fills in — and each tries the other's job.
void show_examples(const lm::TransformerLM* gpt, const lm::TransformerLM* bert,
                   const std::vector<std::string>& prompts, const std::vector<std::string>& fills,
                   const data::Vocab& vocab, const lm::Sampling& s, std::size_t words, Rng& rng,
                   io::JsonObject& summary) {
    std::printf("\n  Writing (temperature %.1f, top-%zu):\n", double(s.temperature), s.top_k);
    if (prompts.empty())
        std::printf("    (none: no paragraph of the validation text begins with 4 known words)\n");
    for (const std::string& p : prompts)
        for (const lm::TransformerLM* m : {gpt, bert}) {
            if (!m) continue;
            const std::string who = lm::to_string(m->config().objective);
            const std::string out =
                words_of(lm::continue_text(*m, encode_text(p, vocab, false), words, s, rng), vocab);
            summary.json()["examples"]["generations"].push_back(
                {{"model", who}, {"prompt", p}, {"text", out}});
            std::printf("    %-4s  %s\n", who.c_str(), out.c_str());
        }
    std::printf("\n  Filling in the gap (top 5 with probabilities):\n");
    if (fills.empty())  // examples_from found none
        std::printf(
            "    (none: no paragraph of the validation text begins with a sentence of 4 known words)\n");
    for (const std::string& f : fills) {
        std::printf("    \"%s\"\n", f.c_str());
        nlohmann::json e = {{"text", f}};
        for (const lm::TransformerLM* m : {bert, gpt}) {
            if (!m) continue;
            const auto gaps = lm::fill_masks(*m, encode_text(f, vocab, true));
            print_fill(m == gpt ? "GPT (left only)" : "BERT", gaps, vocab);
            e[m == gpt ? "gpt_left_context" : "bert"] = fill_json(gaps, vocab);
        }
        summary.json()["examples"]["fill_ins"].push_back(e);
    }
}

// --prompt / --fill: answer with the models a default run saved in `dir`, training nothing.
int answer(const std::string& lesson, const std::string& dir, const std::string& prompt,
           const std::string& fill, const lm::Sampling& s, std::size_t words, std::uint64_t seed) {
    const std::string make_it = "train them first: ./build/lessons/" + lesson + " --out " + dir;
    Rng rng(seed);
    if (!prompt.empty() || fill.empty()) {
        const lm::LoadedLM gpt = lm::load_lm(dir + "/gpt.safetensors", make_it);
        std::printf(
            "GPT:  %s\n",
            words_of(lm::continue_text(*gpt.model, encode_text(prompt, gpt.vocab, false), words, s, rng),
                     gpt.vocab)
                .c_str());
        if (std::filesystem::exists(dir + "/bert.safetensors")) {
            const lm::LoadedLM bert = lm::load_lm(dir + "/bert.safetensors");
            std::printf("BERT: %s   (BERT asked to write)\n",
                        words_of(lm::continue_text(*bert.model, encode_text(prompt, bert.vocab, false), words,
                                                   s, rng),
                                 bert.vocab)
                            .c_str());
        }
    }
    if (!fill.empty()) {
        const lm::LoadedLM bert = lm::load_lm(dir + "/bert.safetensors", make_it);
        std::printf("\"%s\"\n", fill.c_str());
        print_fill("BERT", lm::fill_masks(*bert.model, encode_text(fill, bert.vocab, true)), bert.vocab);
        if (std::filesystem::exists(dir + "/gpt.safetensors")) {
            const lm::LoadedLM gpt = lm::load_lm(dir + "/gpt.safetensors");
            print_fill("GPT (left only)", lm::fill_masks(*gpt.model, encode_text(fill, gpt.vocab, true)),
                       gpt.vocab);
        }
    }
    return 0;
}

}  // namespace lesson5
