// Dikkat's own loops on several cores: the row-by-row work between the matrix products
// (softmax, layer norm, cross-entropy) and the many small products of a batched matmul.
//
// A matrix product splits by rows (by columns when it has at most 64 rows): each thread
// multiplies its blocks with OpenBLAS on one thread (ops/matmul.cpp, gemm). So do the softmax
// over (B, H, T, T) scores, the layer norm over B·T rows, the loss over B·T rows, and the B·H
// small products of attention: independent rows or blocks — when there are enough of them to pay
// for waking a second thread (about 32,000 numbers of work; a product, a million multiply-adds).
// A transformer's tensors are that large; an RNN's, one time step at a time, mostly are not.
//
// The thread count follows blas::set_num_threads (the --threads flag of every lesson): one
// setting for all the cores a run uses. What these loops compute does not depend on it: every
// row is computed by the same code, whichever thread runs it, and a matrix product is cut into
// the same blocks at any thread count (some of OpenBLAS's kernels round a row differently in a
// block of another height: ops/matmul.cpp, gemm).
#pragma once

#include <cstddef>
#include <functional>

namespace dikkat {

/// The threads parallel_for uses (1 unless set).
int parallel_threads();
/// Sets them (n >= 1). blas::set_num_threads calls it.
void set_parallel_threads(int n);

/// Runs body(begin, end) over [0, n) in contiguous chunks, one per thread, when
/// n · cost (the numbers touched, roughly) is at least 32,768 and more than one thread is set;
/// otherwise body(0, n) on the calling thread — as it does inside another parallel_for's chunk
/// (a matrix product inside a batch of them). body must write only to items [begin, end), and
/// must not throw (check inputs before: a worker thread has no one to hand an error to).
void parallel_for(std::size_t n, std::size_t cost, const std::function<void(std::size_t, std::size_t)>& body);

}  // namespace dikkat
