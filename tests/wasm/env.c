/*
 * env: prints its environment, then its arguments.
 *
 * First every environment entry (NAME=value) sorted bytewise, one per line; then a line
 * "--"; then every argument one per line, argv[0] included (so tests also see the program
 * name the runtime passes). Tests use it to check that args and env reach a guest intact
 * from all three doors: the spawn builtin, the task files and Rhai's spawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static int compare_entries(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    size_t count = 0;
    while (environ != NULL && environ[count] != NULL)
        count++;
    if (count > 0) {
        char **sorted = malloc(count * sizeof *sorted);
        if (sorted == NULL) {
            perror("env");
            return 1;
        }
        memcpy(sorted, environ, count * sizeof *sorted);
        qsort(sorted, count, sizeof *sorted, compare_entries);
        for (size_t i = 0; i < count; i++)
            puts(sorted[i]);
    }
    puts("--");
    for (int i = 0; i < argc; i++)
        puts(argv[i]);
    return fflush(stdout) == 0 ? 0 : 1;
}
