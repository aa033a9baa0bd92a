/*
 * wc: counts lines, words and bytes of stdin or of each file named.
 *
 *   wc [-l] [-w] [-c] [FILE...]      flags may be combined (-lc); "-" names stdin
 *
 * The output matches oash's wc builtin (src/builtins/text/wc.rs) byte for byte: the selected
 * counts in the fixed order lines, words, bytes, separated by one space (no padding), then
 * " NAME" when files are named, and a "total" line when more than one is. A line is a "\n"
 * (a last line without one is not counted); a word is a run of bytes other than space, \t,
 * \n, \r, \v and \f. A missing file prints "wc: PATH: strerror" to stderr, the rest are still
 * counted, and the status is 1. It streams through a fixed 64 KiB buffer, so it ends the
 * 100 MiB pipeline tests in bounded memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
    uint64_t lines, words, bytes;
};

static unsigned char buffer[64 * 1024];
static int show_lines, show_words, show_bytes;

/* Counts fd to its end; 0 on success, -1 on a read error (errno set). */
static int count(int fd, struct counts *counts)
{
    /* Carried across reads: a word may straddle two chunks. */
    int in_word = 0;
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (ssize_t i = 0; i < n; i++) {
            unsigned char byte = buffer[i];
            int space = byte == ' ' || byte == '\t' || byte == '\n' || byte == '\r' ||
                        byte == '\v' || byte == '\f';
            counts->lines += byte == '\n';
            counts->words += !space && !in_word;
            in_word = !space;
        }
        counts->bytes += (uint64_t)n;
    }
}

static void print_counts(const struct counts *counts, const char *name)
{
    const char *separator = "";
    if (show_lines) {
        printf("%s%" PRIu64, separator, counts->lines);
        separator = " ";
    }
    if (show_words) {
        printf("%s%" PRIu64, separator, counts->words);
        separator = " ";
    }
    if (show_bytes)
        printf("%s%" PRIu64, separator, counts->bytes);
    if (name != NULL)
        printf(" %s", name);
    putchar('\n');
}

int main(int argc, char **argv)
{
    int first = 1;
    for (; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
        if (strcmp(argv[first], "--") == 0) {
            first++;
            break;
        }
        for (const char *flag = argv[first] + 1; *flag; flag++) {
            switch (*flag) {
            case 'l': show_lines = 1; break;
            case 'w': show_words = 1; break;
            case 'c': show_bytes = 1; break;
            default:
                fprintf(stderr, "wc: unknown flag -%c\nusage: wc [-l] [-w] [-c] [FILE...]\n", *flag);
                return 2;
            }
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = 1;

    if (first == argc) {
        struct counts counts = {0, 0, 0};
        if (count(0, &counts) != 0) {
            fprintf(stderr, "wc: -: %s\n", strerror(errno));
            return 1;
        }
        print_counts(&counts, NULL);
        return fflush(stdout) == 0 ? 0 : 1;
    }

    struct counts total = {0, 0, 0};
    int failed = 0;
    for (int i = first; i < argc; i++) {
        const char *path = argv[i];
        int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
        struct counts counts = {0, 0, 0};
        if (fd < 0 || count(fd, &counts) != 0) {
            fprintf(stderr, "wc: %s: %s\n", path, strerror(errno));
            failed = 1;
            if (fd > 0)
                close(fd);
            continue;
        }
        if (fd > 0)
            close(fd);
        total.lines += counts.lines;
        total.words += counts.words;
        total.bytes += counts.bytes;
        print_counts(&counts, path);
    }
    if (argc - first > 1)
        print_counts(&total, "total");
    if (fflush(stdout) != 0)
        return 1;
    return failed;
}
