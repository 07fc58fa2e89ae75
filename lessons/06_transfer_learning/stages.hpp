// Lesson 6's machinery: the three stages' training loops, and how a classifier is scored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/vocab.hpp>
#include <dikkat/io/resume.hpp>
#include <dikkat/lm/heads.hpp>
#include <dikkat/lm/transformer_lm.hpp>

namespace lesson6 {

using dikkat::Array;
using dikkat::Index;

/// Labelled reviews as ids, each read after an `<eos>` (where a text starts in the language
/// model's streams), with what the chapter's subsets need.
struct Reviews {
    std::vector<std::vector<Index>> ids;
    std::vector<int> labels;               ///< 1 positive, 0 negative
    std::vector<bool> negation, contrast;  ///< the review holds "not" / "but"
    std::size_t size() const { return ids.size(); }
    /// Reviews [from, to).
    Reviews slice(std::size_t from, std::size_t to) const;
};
Reviews encode_reviews(const std::vector<dikkat::data::LabelledReview>& reviews,
                       const dikkat::data::Vocab& vocab);
/// The texts of one paragraph-per-line corpus as Reviews without labels.
std::vector<std::vector<Index>> encode_texts(const std::vector<std::string>& lines,
                                             const dikkat::data::Vocab& vocab);

/// The lesson's text (datasets/text): one vocabulary over the general text and the unlabelled
/// reviews (the datasets' design: the body pretrained on general text already has a row for every
/// word of the reviews), their streams of ids, and the labelled reviews to learn from and test on.
struct Corpora {
    dikkat::data::Vocab vocab;
    std::vector<Index> general, reviews, reviews_valid;  ///< word streams
    std::vector<std::string> reviews_valid_lines;        ///< one unlabelled review per line
    Reviews pool, test;
    std::vector<dikkat::data::OpinionWord> opinion_words;  ///< the lexicon §5's tagger learns
};
/// Reads them, every file before any training. With `labelled_file` (label<TAB>text lines), its reviews replace the pool and the
/// test set: four fifths to learn from, a fifth to test on (ValueError if fewer than 4).
Corpora read_corpora(const std::string& labelled_file);

/// Rows [from, to) of a matrix.
Array rows(const Array& a, std::size_t from, std::size_t to);

/// Stages 1 and 2: `windows` windows of `batch` streams × `bptt` words of `tokens`, Adam at `lr`,
/// gradients clipped to norm 1, the state carried between windows. Returns the loss of every step.
/// A job of `resume` named `label` (also the progress bar's label).
std::vector<double> train_lm(dikkat::lm::LstmLM& model, const std::vector<Index>& tokens, int windows,
                             float lr, std::size_t batch, std::size_t bptt, const std::string& label,
                             dikkat::io::Resume& resume);

/// The body's pooled features [last, max, mean] of every text, (n, 3E), read 256 at a time.
Array pooled_features(const dikkat::lm::LstmLM& body, const std::vector<std::vector<Index>>& texts,
                      dikkat::lm::PoolFunction pool = dikkat::lm::concat_pool);

/// Lesson 5's GPT body reads at most its context (16 words): a review is read in windows of that
/// many words, side by side, and [last, max, mean] is taken over all of its words. (n, 3D).
Array gpt_pooled_features(const dikkat::lm::TransformerLM& gpt, const std::vector<std::vector<Index>>& texts);

/// Trains only the classifier's head, on cached pooled features (rows of `features`) — what a
/// frozen body gives, computed once: full batch, Adam, `steps` steps.
void train_head(dikkat::lm::LstmClassifier& model, const Array& features, const std::vector<int>& labels,
                int steps, float lr, float weight_decay);
/// 0/1 guesses of the head on cached features.
std::vector<int> head_guesses(const dikkat::lm::LstmClassifier& model, const Array& features);

/// One phase of fine-tuning: these parameter groups (name prefixes) train, at these learning rates.
struct Phase {
    std::vector<std::pair<std::string, float>> groups;  ///< prefix and learning rate
    int steps = 0;
    bool slanted = true;  ///< the slanted triangular schedule over the phase, or a constant rate
};
/// Trains the whole classifier on the reviews, phase after phase (every parameter not in a phase's
/// groups is frozen during it), batches of `batch` reviews drawn with `seed`. One job of `resume`,
/// named `job`, over all the phases.
void fine_tune(dikkat::lm::LstmClassifier& model, const Reviews& train, const std::vector<Phase>& phases,
               std::size_t batch, std::uint64_t seed, dikkat::io::Resume& resume, const std::string& job);
/// 0/1 guesses of the whole classifier, 256 reviews at a time.
std::vector<int> guesses(const dikkat::lm::LstmClassifier& model,
                         const std::vector<std::vector<Index>>& texts);

/// Accuracy on all reviews and on the negation and contrast subsets (fractions).
struct Accuracy {
    double all = 0, negation = 0, contrast = 0;
};
Accuracy accuracy(const std::vector<int>& guesses, const Reviews& truth);

/// The freeze, checked: trains `model` (its body frozen) for 20 steps on `train` through the whole
/// network — the optimizer sees every parameter — and says whether the body's tensors came out
/// bitwise unchanged. Prints the model's summary and the verdict.
bool frozen_body_stays_unchanged(dikkat::lm::LstmClassifier& model, const Reviews& train, std::uint64_t seed,
                                 dikkat::io::Resume& resume);

/// Lesson 5's GPT as a frozen body after stage 1: a new head on its pooled features of `train`
/// (standardised with those of `unlabelled`), trained `head_steps` steps; its test accuracy.
double gpt_frozen_accuracy(const dikkat::lm::TransformerLM& gpt,
                           const std::vector<std::vector<Index>>& unlabelled, const Reviews& train,
                           const Reviews& test, int head_steps, std::uint64_t seed);

/// --classify: the classifier a default run saved in `dir`, on one sentence; prints both
/// probabilities. `make_it` says how to train it when there is none.
void classify(const std::string& dir, const std::string& text, const std::string& make_it);

/// "16,64,all" -> {16, 64, pool}. Throws ValueError naming --sizes for anything but even sizes
/// from 2 to the pool's size, or 'all'.
std::vector<std::size_t> parse_sizes(const std::string& text, std::size_t pool);
}  // namespace lesson6

namespace lesson6 {

/// The second head: opinion-word tags (0 none, 1 positive, 2 negative) read off the frozen body at
/// every position, against a lookup table of the words the training reviews tagged.
struct TaggingScores {
    double f1 = 0, lookup_f1 = 0;                        ///< on every opinion word of the test reviews
    double unseen_recall = 0, lookup_unseen_recall = 0;  ///< on the opinion words training never showed
    std::size_t unseen_words = 0;                        ///< such words in the test reviews (types)
};
/// Trains a tagger's head on the frozen body's outputs for the training reviews (`tag_of` gives each
/// word id's tag) and scores it on the test reviews.
TaggingScores opinion_tagging(const std::shared_ptr<dikkat::lm::LstmLM>& body, const Reviews& train,
                              const Reviews& test, const std::vector<int>& tag_of, int steps, float lr,
                              std::uint64_t seed);

}  // namespace lesson6
