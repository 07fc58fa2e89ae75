// Ctrl-C as a request, not a kill: while a lesson trains, Ctrl-C (SIGINT) only sets a flag, which
// the training loop reads at the end of a step — when the model, the optimizer and the data are
// consistent and can be saved (io/resume.hpp). A second Ctrl-C quits at once, as it always does:
// nobody is ever trapped in a program that will not stop.
//
// The handler does the only two things a signal handler may safely do here: it stores to a
// lock-free atomic flag and writes one line to stderr with write(2).
#pragma once

namespace dikkat::interrupt {

/// From now on the first Ctrl-C only asks to stop: requested() turns true, and a line on stderr
/// says that the run stops at the end of the training step to save itself. The second Ctrl-C
/// quits at once. Does nothing if Ctrl-C is already caught.
void catch_ctrl_c();
/// Gives Ctrl-C back the meaning it had before catch_ctrl_c() (usually: quit at once).
void release_ctrl_c();
/// True once Ctrl-C was pressed while caught (and until clear()).
bool requested();
/// Forgets a request that has been answered.
void clear();

}  // namespace dikkat::interrupt
