// What a trained language model can be asked, in words: continue a text, or fill in a hidden one.
//
//     continue_text(gpt, "the film was", ...)       "the film was a joy from start to finish . <eos>"
//     fill_masks(bert, "the film was <mask> .")     superb 0.31, great 0.12, dull 0.08, ...
//
// Either objective can be asked either question, and the answers show what each was trained for:
//
//   - GPT writes one word after another: the scores at the last position are for the word
//     after it. Asked to fill in a word, it has only the words to the left of the gap (its
//     causal mask hides the rest): the scores at the position before the gap.
//   - BERT fills a `<mask>` from both sides: the scores at the gap itself. Asked to write, it
//     gets the text so far with one `<mask>` appended and guesses that — a gap at the end,
//     with nothing after it, which it met only at the last position of its training windows.
//
// Neither ever returns a special token other than `<eos>` (the end of a paragraph, which stops
// continue_text).
#pragma once

#include <cstddef>
#include <vector>

#include <dikkat/data/vocab.hpp>
#include <dikkat/lm/transformer_lm.hpp>
#include <dikkat/random.hpp>

namespace dikkat::lm {

/// How the next word is drawn (nn::sample_token).
struct Sampling {
    float temperature = 0.8f;  ///< 0: always the likeliest word
    std::size_t top_k = 40;    ///< draw among the k likeliest only (0: among all)
};

/// The prompt followed by up to `words` drawn words, stopping after `<eos>`. The model reads the
/// last context() tokens at each step. Throws ValueError for an empty prompt or an id outside
/// the vocabulary.
std::vector<Index> continue_text(const TransformerLM& model, std::vector<Index> prompt, std::size_t words,
                                 const Sampling& sampling, Rng& rng);

/// One candidate for a gap: a word and the model's probability for it.
struct Candidate {
    Index id = 0;
    double probability = 0.0;
};
/// The `k` likeliest words for every `<mask>` in `ids`, left to right (the sequence is read
/// whole; for GPT, each gap from the words before it). Throws ValueError when `ids` holds no
/// `<mask>`, when it is longer than the model's context, or (for GPT) when a gap is the first
/// word — nothing stands to its left.
std::vector<std::vector<Candidate>> fill_masks(const TransformerLM& model, const std::vector<Index>& ids,
                                               std::size_t k = 5);

}  // namespace dikkat::lm
