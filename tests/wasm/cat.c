/*
 * cat: copies each file named as an argument to stdout, in order; stdin when there are none.
 *
 * `-` names stdin. It streams through one fixed 64 KiB buffer with read(2) and write(2), so
 * a 100 MiB input runs in the same memory as a small one (the pipeline tests depend on it).
 * A file that cannot be opened or read prints "cat: PATH: strerror" to stderr; cat goes on
 * with the next file and exits 1 at the end. A failing stdout stops it at once with status 1.
 * Tests use it to read namespace files (mem, cow, union directories) from inside a guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buffer[64 * 1024];

/* Writes all of data to stdout; 0 on success. */
static int write_all(const char *data, size_t length)
{
    while (length > 0) {
        ssize_t n = write(1, data, length);
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

/* Copies fd to stdout: 0 done, 1 read error (errno set), 2 write error (errno set). */
static int copy(int fd)
{
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        if (write_all(buffer, (size_t)n) != 0)
            return 2;
    }
}

/* Copies one named file (or stdin for "-"); returns 0, or 1 after reporting an error. */
static int cat_path(const char *path)
{
    int fd = 0;
    if (strcmp(path, "-") != 0) {
        fd = open(path, O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "cat: %s: %s\n", path, strerror(errno));
            return 1;
        }
    }
    int result = copy(fd);
    int saved = errno;
    if (fd != 0)
        close(fd);
    if (result == 2) {
        fprintf(stderr, "cat: write error: %s\n", strerror(saved));
        _exit(1);
    }
    if (result == 1) {
        fprintf(stderr, "cat: %s: %s\n", path, strerror(saved));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cat_path("-");
    int failed = 0;
    for (int i = 1; i < argc; i++)
        failed |= cat_path(argv[i]);
    return failed;
}
