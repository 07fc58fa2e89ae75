#include <dikkat/interrupt.hpp>

#include <atomic>
#include <csignal>

#include <signal.h>
#include <unistd.h>

namespace dikkat::interrupt {

namespace {

std::atomic<bool> flag{false};
static_assert(std::atomic<bool>::is_always_lock_free, "a signal handler may only touch a lock-free atomic");

bool caught = false;
struct sigaction previous {};

void on_ctrl_c(int) {
    flag.store(true);
    static const char message[] =
        "\nCtrl-C: stopping at the end of this training step to save the run "
        "(Ctrl-C again quits at once, without saving)\n";
    const ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
    static_cast<void>(ignored);
}

}  // namespace

void catch_ctrl_c() {
    if (caught) return;
    struct sigaction action {};
    action.sa_handler = on_ctrl_c;
    sigemptyset(&action.sa_mask);
    // SA_RESETHAND: the handler runs once, then Ctrl-C has its default meaning again (quit).
    // SA_RESTART: a read or write the signal interrupts carries on.
    action.sa_flags = static_cast<int>(SA_RESETHAND | SA_RESTART);
    if (::sigaction(SIGINT, &action, &previous) == 0) caught = true;
}

void release_ctrl_c() {
    if (!caught) return;
    ::sigaction(SIGINT, &previous, nullptr);
    caught = false;
}

bool requested() { return flag.load(); }

void clear() { flag.store(false); }

}  // namespace dikkat::interrupt
