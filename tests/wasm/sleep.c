/*
 * sleep: sleeps for the given number of seconds (a decimal like 0.25 is fine), then exits 0.
 *
 * Unlike loop, which burns CPU inside WebAssembly, sleep spends its time blocked in the host
 * (nanosleep is poll_oneoff on a clock subscription). Tests use it to check that a deadline,
 * `kill` and Ctrl-C also stop a guest that is waiting in a host call, where epoch
 * interruption alone cannot reach it. A bad argument prints a usage line and exits 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    char *end = NULL;
    double seconds = argc == 2 ? strtod(argv[1], &end) : -1;
    if (argc != 2 || *argv[1] == '\0' || *end != '\0' || !(seconds >= 0) || seconds > 1e9) {
        fprintf(stderr, "usage: sleep SECONDS\n");
        return 2;
    }
    struct timespec wait = {(time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9)};
    return nanosleep(&wait, NULL) == 0 ? 0 : 1;
}
