/*
 * write: writes its text arguments into a file.
 *
 *   write [-a] [-n] PATH TEXT...
 *
 * Creates PATH (or truncates it; with -a appends to it) and writes the TEXT arguments joined
 * by single spaces and followed by a newline (-n: no newline; no TEXT: an empty line, or
 * nothing with -n). It uses open(2) and write(2), not stdio, and checks close(2), so a write
 * that the runtime refuses shows up as "write: PATH: strerror" on stderr and status 1 rather
 * than vanishing in a buffer. Tests use it to create and change namespace files from inside a
 * guest (mem, cow and union directories), then read them back with the cat builtin.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *path;

static int fail(void)
{
    fprintf(stderr, "write: %s: %s\n", path, strerror(errno));
    return 1;
}

static int write_all(int fd, const char *data, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, data, length);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        length -= (size_t)n;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int append = 0, newline = 1;
    int first = 1;
    for (; first < argc; first++) {
        if (strcmp(argv[first], "-a") == 0)
            append = 1;
        else if (strcmp(argv[first], "-n") == 0)
            newline = 0;
        else
            break;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: write [-a] [-n] PATH TEXT...\n");
        return 2;
    }
    path = argv[first++];

    int flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC);
    int fd = open(path, flags, 0666);
    if (fd < 0)
        return fail();
    for (int i = first; i < argc; i++) {
        if ((i > first && write_all(fd, " ", 1) != 0) ||
            write_all(fd, argv[i], strlen(argv[i])) != 0)
            return fail();
    }
    if (newline && write_all(fd, "\n", 1) != 0)
        return fail();
    if (close(fd) != 0)
        return fail();
    return 0;
}
