/* The in-guest process test suite (tests.c), run by init as an ordinary process. */
#ifndef PTEST_H
#define PTEST_H
#include "suite.h"
#endif
