// A sweep over every op with random shapes, valid and invalid: empty dimensions, rank 0 (a
// scalar), shapes that broadcast and shapes that do not, axes and indices out of range, bad
// arguments. Each call must either
//   - succeed with the shape the op's header predicts (worked out here, independently of the
//     library), with the right values, and then backward() through the sum of the result must
//     give every input that requires a gradient a gradient of that input's shape; or
//   - throw the ShapeError — or ValueError, where the header says so — whose message names the op.
// Anything else fails: another exception, xtensor's "Incompatible dimension" reaching the
// learner, a result of the wrong shape. Under the asan preset a crash, a read out of bounds or
// undefined behaviour fails as well.
//
// Every case draws from its own Rng(seed), and a failure prints the op, the shapes and that seed:
// Rng(seed) replays the case alone. Same seeds, same cases, on every run. How a case draws its
// shapes, the rules written out independently of the library, and the checks are in op_sweep.hpp;
// each op's cases, and the reference values they are held to, are in test_op_sweep_shapes.cpp,
// _values.cpp and _images.cpp. This file names the case that stopped the program.
#include <unistd.h>

#include <csignal>
#include <cstring>

#include "op_sweep.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

using namespace dikkat;
using namespace op_sweep;

namespace {

// ---- naming the case that stopped the program ----------------------------------------------
// A failed check names its case through INFO. A crash or a sanitizer report ends the process
// before doctest prints that, so the case being run is also kept here and written to stderr:
// by ASan's death callback or UBSan's report hook (below the namespace), or, in other builds,
// after doctest's own report of a fatal signal.
void write_case() {
    const char before[] = "\nop sweep: stopped during ", after[] = " (Rng(seed) replays it)\n";
    ssize_t written = ::write(STDERR_FILENO, before, sizeof before - 1);
    written += ::write(STDERR_FILENO, g_case, std::strlen(g_case));
    written += ::write(STDERR_FILENO, after, sizeof after - 1);
    (void)written;
}

// Installed before main(); doctest's handlers, set up later, pass a fatal signal on to these.
// (Under the sanitizers, whose own handlers must stay, the sanitizers call write_case().)
#if defined(__SANITIZE_ADDRESS__)
const bool g_case_hooks = (__sanitizer_set_death_callback(write_case), true);
#else
void write_case_and_die(int sig) {
    write_case();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}
const bool g_case_hooks = [] {
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, write_case_and_die);
    return true;
}();
#endif

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
// UBSan calls this before each report (and, halting on the first, never calls the death callback).
extern "C" void __ubsan_on_report() { write_case(); }
#endif
