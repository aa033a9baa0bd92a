/* probe: one small WASI guest for tests/wasi.rs, exercising wasi-libc over the namespace.
 *
 *   probe cat PATH          copy PATH to stdout (64 KiB chunks)
 *   probe write PATH TEXT   create/truncate PATH with TEXT
 *   probe append PATH TEXT  append TEXT to PATH
 *   probe ls DIR            names in DIR (opendir/readdir), one a line, in readdir's order
 *   probe mkdir|rmdir|rm PATH, probe mv FROM TO
 *   probe size PATH         stat's size
 *   probe filter            stdin to stdout, 64 KiB at a time (bounded memory)
 *   probe args              argv, one a line; probe env: environ, one a line
 *   probe exit N            exit with status N
 *   probe seek PATH         fseek/ftell checks: prints "size N" then "tail X"
 *   probe truncate PATH N   ftruncate PATH to N bytes
 *   probe resize PATH N     truncate(PATH, N): by path, as wasi-libc opens it (write-only)
 *
 * Failures print "probe: OP PATH: strerror" on stderr and exit 1.
 * Rebuild: clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Wl,--strip-all \
 *          tests/wasi/probe.c -o tests/wasi/probe.wasm
 */
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static char buf[65536];

static int fail(const char *op, const char *path) {
    fprintf(stderr, "probe: %s %s: %s\n", op, path, strerror(errno));
    return 1;
}

static int copy(int in, const char *name) {
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0) return fail("read", name);
        if (n == 0) return 0;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(1, buf + done, n - done);
            if (w < 0) return fail("write", "stdout");
            done += w;
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    const char *op = argv[1];
    const char *path = argc > 2 ? argv[2] : "";
    if (!strcmp(op, "cat")) {
        FILE *f = fopen(path, "r");
        if (!f) return fail(op, path);
        int rc = copy(fileno(f), path);
        fclose(f);
        return rc;
    }
    if (!strcmp(op, "write") || !strcmp(op, "append")) {
        FILE *f = fopen(path, op[0] == 'w' ? "w" : "a");
        if (!f) return fail(op, path);
        fputs(argc > 3 ? argv[3] : "", f);
        if (fclose(f) != 0) return fail(op, path);
        return 0;
    }
    if (!strcmp(op, "ls")) {
        DIR *d = opendir(path);
        if (!d) return fail(op, path);
        struct dirent *e;
        while ((e = readdir(d)) != NULL) printf("%s\n", e->d_name);
        closedir(d);
        return 0;
    }
    if (!strcmp(op, "mkdir")) return mkdir(path, 0777) ? fail(op, path) : 0;
    if (!strcmp(op, "rmdir")) return rmdir(path) ? fail(op, path) : 0;
    if (!strcmp(op, "rm")) return unlink(path) ? fail(op, path) : 0;
    if (!strcmp(op, "mv")) return rename(path, argc > 3 ? argv[3] : "") ? fail(op, path) : 0;
    if (!strcmp(op, "size")) {
        struct stat st;
        if (stat(path, &st)) return fail(op, path);
        printf("%s %lld\n", S_ISDIR(st.st_mode) ? "dir" : "file", (long long)st.st_size);
        return 0;
    }
    if (!strcmp(op, "seek")) {
        FILE *f = fopen(path, "r");
        if (!f) return fail(op, path);
        if (fseek(f, 0, SEEK_END)) return fail("fseek", path);
        long size = ftell(f);
        if (fseek(f, -3, SEEK_END)) return fail("fseek", path);
        char tail[4] = {0};
        size_t n = fread(tail, 1, 3, f);
        tail[n] = 0;
        printf("size %ld\ntail %s\n", size, tail);
        fclose(f);
        return 0;
    }
    if (!strcmp(op, "truncate")) {
        int fd = open(path, O_RDWR);
        if (fd < 0) return fail(op, path);
        if (ftruncate(fd, atol(argc > 3 ? argv[3] : "0"))) return fail(op, path);
        return close(fd) ? fail(op, path) : 0;
    }
    if (!strcmp(op, "resize")) {
        return truncate(path, atol(argc > 3 ? argv[3] : "0")) ? fail(op, path) : 0;
    }
    if (!strcmp(op, "filter")) return copy(0, "stdin");
    if (!strcmp(op, "args")) {
        for (int i = 0; i < argc; i++) printf("%s\n", argv[i]);
        return 0;
    }
    if (!strcmp(op, "env")) {
        for (char **e = environ; *e; e++) printf("%s\n", *e);
        return 0;
    }
    if (!strcmp(op, "exit")) return atoi(path);
    fprintf(stderr, "probe: unknown op %s\n", op);
    return 2;
}
