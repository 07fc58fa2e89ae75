// Files a run reads and writes: safetensors checkpoints, optimizer state, metrics.
#pragma once

#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/io/run_folder.hpp>
#include <dikkat/io/safetensors.hpp>
