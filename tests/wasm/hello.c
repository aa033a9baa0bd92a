/*
 * hello: prints "hello" and a newline, nothing else.
 *
 * The benchmark guest: spawn-to-exit timings (scripts/bench-wasi, the criterion benches)
 * run it thousands of times, so it does the least a real C program can: wasi-libc's start-up,
 * one write to stdout, and a return from main.
 */
#include <stdio.h>

int main(void)
{
    puts("hello");
    return 0;
}
