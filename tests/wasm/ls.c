/*
 * ls: lists one directory's entries, one name per line, sorted bytewise.
 *
 *   ls [-a] [DIR]      DIR defaults to "."
 *
 * It prints exactly what oash's `ls DIR` builtin prints for a directory: bare names, sorted
 * by strcmp (bytes, no locale), names starting with "." hidden unless -a; "." and ".." are
 * never shown. A DIR that is not a directory prints its own name, as the builtin does. Any
 * other failure prints "ls: DIR: strerror" to stderr and exits 1. It uses opendir/readdir
 * (fd_readdir underneath), so tests compare its output with the builtin's listing of the
 * same mem, cow and union directories.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int fail(const char *dir)
{
    fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    int all = 0;
    int first = 1;
    if (first < argc && strcmp(argv[first], "-a") == 0) {
        all = 1;
        first++;
    }
    if (argc - first > 1) {
        fprintf(stderr, "usage: ls [-a] [DIR]\n");
        return 2;
    }
    const char *dir = first < argc ? argv[first] : ".";

    DIR *stream = opendir(dir);
    if (stream == NULL) {
        if (errno == ENOTDIR) {
            puts(dir);
            return 0;
        }
        return fail(dir);
    }
    char **names = NULL;
    size_t count = 0, capacity = 0;
    struct dirent *entry;
    errno = 0;
    while ((entry = readdir(stream)) != NULL) {
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        if (name[0] == '.' && !all)
            continue;
        if (count == capacity) {
            capacity = capacity ? 2 * capacity : 64;
            char **grown = realloc(names, capacity * sizeof *names);
            if (grown == NULL)
                return fail(dir);
            names = grown;
        }
        if ((names[count++] = strdup(name)) == NULL)
            return fail(dir);
        errno = 0;
    }
    /* readdir returns NULL both at the end and on error; only errno tells them apart. */
    if (errno != 0)
        return fail(dir);
    closedir(stream);

    qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count; i++)
        puts(names[i]);
    return fflush(stdout) == 0 ? 0 : 1;
}
