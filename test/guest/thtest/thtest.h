/* The in-guest POSIX threads suite (tests.c), run by init as an ordinary process. */
#ifndef THTEST_H
#define THTEST_H
#include "suite.h"
#endif
