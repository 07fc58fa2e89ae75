// Tokenizers turn text into a sequence of tokens and the tokens into ids (through a Vocab).
//
//   CharTokenizer  "le chat" -> l e ␣ c h a t   (one token per character, UTF-8 aware:
//                  "é" is one character, not two bytes)
//   WordTokenizer  "le chat ." -> le chat .      (split on spaces; the datasets are lowercase
//                  and keep punctuation as separate, space-separated words)
//
// Both have the same four calls: split/join (text <-> tokens) and encode/decode
// (text <-> ids). Unknown tokens encode as <unk>.
#pragma once

#include <string>
#include <vector>

#include <dikkat/data/vocab.hpp>

namespace dikkat::data {

/// The characters of a UTF-8 string, one string per code point. A byte that does not start
/// a valid UTF-8 sequence is kept as a character of its own.
std::vector<std::string> utf8_chars(const std::string& text);

class CharTokenizer {
  public:
    explicit CharTokenizer(Vocab vocab) : vocab_(std::move(vocab)) {}
    /// Builds the vocabulary from every character of `texts` (see Vocab::from_counts).
    static CharTokenizer build(const std::vector<std::string>& texts, std::size_t min_count = 1,
                               std::size_t max_size = 0);

    std::vector<std::string> split(const std::string& text) const { return utf8_chars(text); }
    std::string join(const std::vector<std::string>& tokens) const;
    std::vector<Index> encode(const std::string& text, bool add_bos_eos = false) const;
    /// See Vocab::decode for what happens to special tokens.
    std::string decode(const std::vector<Index>& ids, bool skip_specials = true) const;

    const Vocab& vocab() const { return vocab_; }

  private:
    Vocab vocab_;
};

class WordTokenizer {
  public:
    explicit WordTokenizer(Vocab vocab) : vocab_(std::move(vocab)) {}
    /// Builds the vocabulary from every word of `texts` (see Vocab::from_counts).
    static WordTokenizer build(const std::vector<std::string>& texts, std::size_t min_count = 1,
                               std::size_t max_size = 0);

    /// Splits on runs of spaces and tabs; leading and trailing spaces are ignored.
    std::vector<std::string> split(const std::string& text) const;
    /// Joins with single spaces.
    std::string join(const std::vector<std::string>& tokens) const;
    std::vector<Index> encode(const std::string& text, bool add_bos_eos = false) const;
    /// See Vocab::decode for what happens to special tokens.
    std::string decode(const std::vector<Index>& ids, bool skip_specials = true) const;

    const Vocab& vocab() const { return vocab_; }

  private:
    Vocab vocab_;
};

}  // namespace dikkat::data
