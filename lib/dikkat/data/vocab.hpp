// Vocabularies: the two-way map between tokens (words or characters) and the integer ids a
// model sees. Five special tokens come first, at fixed ids, in every vocabulary:
//
//   id 0 <pad>   fills the end of short sequences in a batch (the loss ignores it)
//   id 1 <bos>   "beginning of sequence": the decoder's first input
//   id 2 <eos>   "end of sequence": the model says it is done
//   id 3 <unk>   any token the vocabulary does not know
//   id 4 <mask>  a hidden token a BERT-style model must guess
//
// Saved as a plain text file, one token per line, line n+1 holding id n.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include <dikkat/ops/nn_ops.hpp>

namespace dikkat::data {

/// How often each token occurs (see count_tokens()).
using TokenCounts = std::unordered_map<std::string, std::size_t>;

class Vocab {
  public:
    static constexpr Index pad_id = 0;
    static constexpr Index bos_id = 1;
    static constexpr Index eos_id = 2;
    static constexpr Index unk_id = 3;
    static constexpr Index mask_id = 4;
    /// `<pad> <bos> <eos> <unk> <mask>`, in id order.
    static const std::vector<std::string>& specials();

    /// A vocabulary holding only the five special tokens.
    Vocab();

    /// Every token seen at least `min_count` times, most frequent first (ties in
    /// alphabetical order, so the ids never depend on hash order). `max_size` caps the
    /// whole vocabulary, specials included (0 = no cap); the rarest tokens are dropped.
    static Vocab from_counts(const TokenCounts& counts, std::size_t min_count = 1, std::size_t max_size = 0);

    /// The vocabulary whose id i is tokens[i]: the five special tokens first, in id order, then
    /// distinct non-empty tokens. Throws ValueError naming the position of the first token that
    /// breaks this (a misplaced special, a duplicate, an empty token, too few entries).
    static Vocab from_tokens(const std::vector<std::string>& tokens);

    /// Adds a token if it is new; returns its id either way. Empty tokens are a ValueError.
    Index add(const std::string& token);

    /// The token's id, or unk_id if the vocabulary does not know it.
    Index id(const std::string& token) const;
    bool contains(const std::string& token) const;
    /// The token with this id. Throws ValueError for an id outside [0, size()).
    const std::string& token(Index id) const;
    std::size_t size() const { return tokens_.size(); }
    const std::vector<std::string>& tokens() const { return tokens_; }
    bool is_special(Index id) const { return id >= 0 && id <= mask_id; }

    /// Tokens to ids; unknown tokens become unk_id. With add_bos_eos the ids are wrapped in
    /// bos_id ... eos_id.
    std::vector<Index> encode(const std::vector<std::string>& tokens, bool add_bos_eos = false) const;
    /// Ids to tokens. With skip_specials, `<pad>` and `<bos>` are dropped and decoding stops at
    /// the first `<eos>` (how a generated sequence ends); `<unk>` and `<mask>` stay visible.
    std::vector<std::string> decode(const std::vector<Index>& ids, bool skip_specials = true) const;

    /// One token per line, in id order. Backslash, newline, carriage return and tab are
    /// written as `\\`, `\n`, `\r` and `\t` so that every token stays on its line.
    /// Throws IoError naming the file if it cannot be written.
    void save(const std::string& path) const;
    /// Reads what save() wrote (Windows line endings are accepted). Throws IoError naming `path:line` for a missing or misplaced
    /// special token, an empty line, a duplicate token or a bad escape.
    static Vocab load(const std::string& path);

  private:
    std::vector<std::string> tokens_;
    std::unordered_map<std::string, Index> ids_;
};

/// Adds every token of every sequence to `counts`.
void count_tokens(const std::vector<std::vector<std::string>>& sequences, TokenCounts& counts);

}  // namespace dikkat::data
