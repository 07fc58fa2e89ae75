// Optimizers, schedules and gradient clipping, one include away.
#pragma once

#include <dikkat/optim/adam.hpp>
#include <dikkat/optim/clip.hpp>
#include <dikkat/optim/guard.hpp>
#include <dikkat/optim/optimizer.hpp>
#include <dikkat/optim/schedule.hpp>
#include <dikkat/optim/sgd.hpp>
