#include <dikkat/parallel.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace dikkat {

namespace {
std::atomic<int> g_threads{1};
thread_local bool t_inside = false;        // this thread is running a chunk: a loop inside it stays on it
constexpr std::size_t min_work = 1 << 15;  // below this, waking a thread costs more than it saves

// Worker threads that wait for a chunk: spinning for a while after each one (the next loop
// often comes within microseconds, and waking a sleeping thread takes tens of them), then asleep
// on a condition variable. OpenBLAS runs on one thread inside each chunk (blas.cpp), so a
// spinning worker takes a core from no one but a program beside this one.
//
// How long: a millisecond. An RNN's step has stretches of small ops that run on one thread
// between the large ones that split, often hundreds of microseconds apart: a worker that slept
// in between would be woken for almost every split, and two threads would be slower than one
// (docs/speed.md has the measurements). OpenMP runtimes spin as long or longer before they sleep.
constexpr auto spin_time = std::chrono::microseconds(1000);

// Chunks are claimed, not assigned: the calling thread and the workers take the next unclaimed
// chunk until none is left. On a busy machine (two lessons side by side, a compiler beside a
// lesson) a worker may wait milliseconds for a core; had it owned a chunk, every parallel loop
// would wait with it, thousands of times a second. Now the caller does the chunks nobody has
// claimed, and a worker that is late finds nothing left. Each chunk is the same rows whoever
// runs it, so the numbers do not depend on who did.
//
// A claim is one 64-bit word: the run's number (high 32 bits) and the next chunk (low 32). A
// worker that read run g's loop but is scheduled only after run g has ended cannot claim a chunk
// of run g + 1 with g's loop: its compare-and-swap expects g.
class Pool {
  public:
    // Runs body over `parts` chunks of [0, n): chunk i is [n·i/parts, n·(i+1)/parts).
    void run(std::size_t n, std::size_t parts, const std::function<void(std::size_t, std::size_t)>& body) {
        std::lock_guard<std::mutex> one_at_a_time(run_mutex_);
        while (workers_.size() + 1 < parts) {
            workers_.emplace_back([this] { work(); });
            workers_.back().detach();  // lives as long as the process
        }
        std::uint32_t run = 0;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            body_ = &body;
            n_ = n;
            parts_ = parts;
            run = ++run_;
            unfinished_.store(parts, std::memory_order_relaxed);
            claim_.store(std::uint64_t(run) << 32, std::memory_order_release);
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        t_inside = true;
        do_chunks(run, body, n, parts);
        t_inside = false;
        while (unfinished_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
    }

  private:
    void work() {
        t_inside = true;
        std::uint64_t seen = 0;
        for (;;) {
            spin_while_unchanged(seen);
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return generation_.load(std::memory_order_relaxed) != seen; });
            seen = generation_.load(std::memory_order_relaxed);
            const auto* body = body_;
            const std::size_t n = n_, parts = parts_;
            const std::uint32_t run = run_;
            lock.unlock();
            do_chunks(run, *body, n, parts);
        }
    }

    // Claims and runs chunks of run `run` until none is left (or another run has begun).
    void do_chunks(std::uint32_t run, const std::function<void(std::size_t, std::size_t)>& body,
                   std::size_t n, std::size_t parts) {
        std::uint64_t word = claim_.load(std::memory_order_acquire);
        for (;;) {
            const std::size_t chunk = word & 0xffffffffu;
            if ((word >> 32) != run || chunk >= parts) return;
            if (!claim_.compare_exchange_weak(word, word + 1, std::memory_order_acq_rel)) continue;
            body(n * chunk / parts, n * (chunk + 1) / parts);
            unfinished_.fetch_sub(1, std::memory_order_release);
            word = claim_.load(std::memory_order_acquire);
        }
    }

    // Returns when a new run is posted, or after spin_time without one.
    void spin_while_unchanged(std::uint64_t seen) const {
        const auto until = std::chrono::steady_clock::now() + spin_time;
        for (unsigned i = 1; generation_.load(std::memory_order_acquire) == seen; ++i) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();  // tells the core this is a wait loop
#endif
            if (i % 64 == 0 && std::chrono::steady_clock::now() > until) return;
        }
    }

    std::mutex run_mutex_, mutex_;
    std::condition_variable wake_;
    std::vector<std::thread> workers_;
    const std::function<void(std::size_t, std::size_t)>* body_ = nullptr;
    std::size_t n_ = 0, parts_ = 0;
    std::uint32_t run_ = 0;                     // written under mutex_
    std::atomic<std::uint64_t> generation_{0};  // written under mutex_, read by spinning workers
    std::atomic<std::uint64_t> claim_{0};       // (run << 32) | next chunk to claim
    std::atomic<std::size_t> unfinished_{0};    // chunks of the current run not yet done
};

Pool& pool() {
    static Pool* p = new Pool();  // never destroyed: its threads sleep until the process ends
    return *p;
}
}  // namespace

int parallel_threads() { return g_threads.load(); }

void set_parallel_threads(int n) { g_threads.store(n < 1 ? 1 : n); }

void parallel_for(std::size_t n, std::size_t cost,
                  const std::function<void(std::size_t, std::size_t)>& body) {
    const std::size_t parts = std::min<std::size_t>(std::size_t(parallel_threads()), n);
    if (parts <= 1 || n * cost < min_work || t_inside) {
        if (n > 0) body(0, n);
        return;
    }
    pool().run(n, parts, body);
}

}  // namespace dikkat
