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
class Pool {
  public:
    // Runs body over `parts` chunks of [0, n): chunk 0 here, chunk i on worker i.
    void run(std::size_t n, std::size_t parts, const std::function<void(std::size_t, std::size_t)>& body) {
        std::lock_guard<std::mutex> one_at_a_time(run_mutex_);
        while (workers_.size() + 1 < parts) {
            const std::size_t index = workers_.size() + 1;
            workers_.emplace_back([this, index] { work(index); });
            workers_.back().detach();  // lives as long as the process
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            body_ = &body;
            n_ = n;
            parts_ = parts;
            pending_.store(parts - 1, std::memory_order_relaxed);
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        t_inside = true;
        body(0, n / parts);
        t_inside = false;
        while (pending_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
    }

  private:
    void work(std::size_t index) {
        t_inside = true;
        std::uint64_t seen = 0;
        for (;;) {
            spin_while_unchanged(seen);
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return generation_.load(std::memory_order_relaxed) != seen; });
            seen = generation_.load(std::memory_order_relaxed);
            const auto* body = body_;
            const std::size_t n = n_, parts = parts_;
            lock.unlock();
            if (index < parts) {
                (*body)(n * index / parts, n * (index + 1) / parts);
                pending_.fetch_sub(1, std::memory_order_release);
            }
        }
    }

    // Returns when a new chunk is posted, or after spin_time without one.
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
    std::atomic<std::uint64_t> generation_{0};  // written under mutex_, read by spinning workers
    std::atomic<std::size_t> pending_{0};
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
