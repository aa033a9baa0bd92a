/*
 * exit: exits with the status given as its first argument, or traps.
 *
 *   exit 3      exits with status 3 (through proc_exit; `exit 0` returns from main)
 *   exit trap   executes `unreachable` (__builtin_trap), a WebAssembly trap
 *   exit        exits 0
 *
 * Tests use it to check that a guest's exit code becomes $status and that a trap becomes a
 * failed status carrying the trap message, with the shell unharmed. A malformed number
 * prints a usage line to stderr and exits 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        return 0;
    if (strcmp(argv[1], "trap") == 0)
        __builtin_trap();
    char *end;
    long code = strtol(argv[1], &end, 10);
    if (*argv[1] == '\0' || *end != '\0' || code < 0 || code > 255) {
        fprintf(stderr, "usage: exit [0-255 | trap]\n");
        return 2;
    }
    exit((int)code);
}
