/*
 * echo: prints its arguments joined by single spaces, then a newline.
 *
 * No flags (not even -n): `echo -n x` prints "-n x". Tests use it for argument passing and
 * as the simplest writer at the head of a pipeline; its output must equal the echo builtin's
 * for plain words.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            putchar(' ');
        fputs(argv[i], stdout);
    }
    putchar('\n');
    /* An error writing stdout (a closed pipe, a full file) must show in the status. */
    if (fflush(stdout) != 0)
        return 1;
    return 0;
}
