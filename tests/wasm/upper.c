/*
 * upper: copies stdin to stdout with ASCII a-z made upper case; other bytes pass unchanged.
 *
 * The stdin-to-stdout filter of the pipeline tests (`cat big | upper | wc`): it streams
 * through one fixed 64 KiB buffer, so any input size runs in the same memory, and it writes
 * each chunk as soon as it is read. Read or write errors go to stderr and exit 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static unsigned char buffer[64 * 1024];

/* Writes all of data, however many calls the runtime needs; 0 on success. */
static int write_all(int fd, const unsigned char *data, size_t length)
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

int main(void)
{
    for (;;) {
        ssize_t n = read(0, buffer, sizeof buffer);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "upper: read: %s\n", strerror(errno));
            return 1;
        }
        for (ssize_t i = 0; i < n; i++)
            if (buffer[i] >= 'a' && buffer[i] <= 'z')
                buffer[i] -= 'a' - 'A';
        if (write_all(1, buffer, (size_t)n) != 0) {
            fprintf(stderr, "upper: write: %s\n", strerror(errno));
            return 1;
        }
    }
}
