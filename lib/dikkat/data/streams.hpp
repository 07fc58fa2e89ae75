// Language-model batches from one long token sequence, for truncated backpropagation through
// time: the text is cut into B equal streams that are read side by side, one window of T
// tokens at a time, so window k+1 of a stream continues exactly where window k ended and a
// recurrent model can carry its hidden state from one window to the next.
//
//     text  a b c d e f g h i j k l m n o p q r      B = 2 streams, T = 3
//     stream 0: a b c d e f g h i     windows: [a b c] [d e f] ...
//     stream 1: j k l m n o p q r              [j k l] [m n o] ...
//     x = (B, T) tokens, y = (B, T) the token after each (the targets)
//
// Training reads on and on; a pass over the text ends where the streams do, and the next
// window starts the next pass from the beginning — where the model's state should start
// afresh too:
//
//     streams.next(x, y);
//     if (streams.at_start()) state = {};      // the first window of a pass: no past to carry
//
// Evaluation reads one pass: windows_per_epoch() windows.
#pragma once

#include <string>
#include <vector>

#include <dikkat/data/vocab.hpp>

#include <dikkat/ops/nn_ops.hpp>

namespace dikkat::data {

/// A text corpus (one paragraph per line, words separated by spaces) as one stream of ids for a
/// word-level language model: every paragraph's words, each paragraph ended by `<eos>`. Words the
/// vocabulary does not know become `<unk>`.
std::vector<Index> word_stream(const std::vector<std::string>& paragraphs, const Vocab& vocab);

class StreamBatcher {
  public:
    /// Throws ValueError if the sequence is too short for one window in every stream.
    StreamBatcher(const std::vector<Index>& tokens, std::size_t batch, std::size_t window);

    /// The next window: x (B, T) and targets y (B, T). After the last window of a pass it
    /// starts over from the beginning of every stream.
    void next(IndexArray& x, IndexArray& y);
    /// True when the window next() just returned is the first of a pass over the text.
    bool at_start() const { return position_ == window_; }
    /// Windows in one pass over the streams.
    std::size_t windows_per_epoch() const { return (stream_length_ - 1) / window_; }

    /// Where the next window starts (its position in every stream), as text: what a run that
    /// stops and resumes restores with set_state() (io/resume.hpp).
    std::string state() const { return std::to_string(position_); }
    /// Continues from a state() text. Throws ValueError (and changes nothing) for anything but a
    /// position this batcher's windows can reach.
    void set_state(const std::string& text);

  private:
    std::vector<Index> tokens_;
    std::size_t batch_, window_, stream_length_, position_ = 0;
};

}  // namespace dikkat::data
