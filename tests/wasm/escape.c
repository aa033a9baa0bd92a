/*
 * escape: tries to leave its namespace, and reports each attempt on stdout.
 *
 * One line per attempt, "ATTEMPT: ok (...)" when the escape worked or
 * "ATTEMPT: denied (reason)" when it was stopped, the reason being strerror or what was seen;
 * then a line "escaped: N of M". It always exits 0. The first line, "preopens: ...", lists the
 * preopened directories the runtime gave (fd=name), which is what every path here resolves
 * against. The limit tests run it inside a task's namespace and expect every attempt denied
 * ("escaped: 0 of M"); the namespace has no /etc, so reaching a passwd file means the host's.
 *
 * The attempts:
 *  - open ../../etc/passwd, /etc/passwd, /../../../etc/passwd and "../" x 64 + etc/passwd
 *    through libc (which hands ".." on to the runtime unnormalised);
 *  - the same ".." and absolute paths with the raw path_open call on each preopen, bypassing
 *    libc's preopen lookup;
 *  - chdir("/..") and then open etc/passwd relative to it;
 *  - opendir("/..") and opendir("/"): denied unless /.. lists different names from /;
 *  - read from fds 3..64 that were never opened (preopens excepted), write to fd 99;
 *  - close stderr, then write to fd 2 and to whatever fd the next open gets: the old stderr
 *    must stay closed. (stderr, not stdout, because stdout carries this report.)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static int attempts, escapes;

static void denied(const char *attempt, const char *reason)
{
    attempts++;
    printf("%s: denied (%s)\n", attempt, reason);
}

static void escaped(const char *attempt, const char *detail)
{
    attempts++;
    escapes++;
    printf("%s: ok (%s)\n", attempt, detail);
}

/* Reports an fd (or -1 with errno) from opening a file: ok when it could be read. */
static void report_open(const char *attempt, int fd)
{
    if (fd < 0) {
        denied(attempt, strerror(errno));
        return;
    }
    char head[24];
    ssize_t n = read(fd, head, sizeof head - 1);
    int saved = errno;
    close(fd);
    if (n < 0) {
        denied(attempt, strerror(saved));
        return;
    }
    head[n] = '\0';
    for (ssize_t i = 0; i < n; i++)
        if (head[i] < ' ' || head[i] > '~')
            head[i] = '.';
    char detail[64];
    snprintf(detail, sizeof detail, "read \"%s\"", head);
    escaped(attempt, detail);
}

/* The preopened directories: fd numbers from 3 up until fd_prestat_get says EBADF. */
static int preopens[16];
static int preopen_count;

static void find_preopens(void)
{
    printf("preopens:");
    for (int fd = 3; preopen_count < 16; fd++) {
        __wasi_prestat_t prestat;
        if (__wasi_fd_prestat_get(fd, &prestat) != 0)
            break;
        char name[256] = "";
        size_t length = prestat.u.dir.pr_name_len;
        if (length < sizeof name &&
            __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, length) == 0)
            name[length] = '\0';
        printf(" %d=%s", fd, name);
        preopens[preopen_count++] = fd;
    }
    printf(preopen_count ? "\n" : " none\n");
}

static int is_preopen(int fd)
{
    for (int i = 0; i < preopen_count; i++)
        if (preopens[i] == fd)
            return 1;
    return 0;
}

/* Raw path_open(dirfd, path) for reading, as a libc-style fd or -1 with errno. */
static int raw_open(int dirfd, const char *path)
{
    __wasi_fd_t fd;
    __wasi_errno_t error = __wasi_path_open(dirfd, 0, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    if (error != 0) {
        errno = error;
        return -1;
    }
    return (int)fd;
}

/* Reads fds 3..64 that nobody opened; only a read that returns data or EOF is an escape. */
static void read_unopened_fds(void)
{
    char worked[256] = "";
    const char *reason = "no fd";
    char byte;
    for (int fd = 3; fd <= 64; fd++) {
        if (is_preopen(fd))
            continue;
        if (read(fd, &byte, 1) >= 0) {
            size_t used = strlen(worked);
            snprintf(worked + used, sizeof worked - used, "%sfd %d", used ? " " : "", fd);
        } else if (strcmp(reason, "no fd") == 0) {
            reason = strerror(errno);
        }
    }
    if (worked[0])
        escaped("read fds 3..64 never opened", worked);
    else
        denied("read fds 3..64 never opened", reason);
}

/* Sorted names of a directory, as one newline-separated string; NULL with errno on error. */
static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *listing(const char *path)
{
    DIR *dir = opendir(path);
    if (dir == NULL)
        return NULL;
    char *names[4096];
    size_t count = 0, total = 1;
    struct dirent *entry;
    while (count < 4096 && (entry = readdir(dir)) != NULL) {
        names[count] = strdup(entry->d_name);
        if (names[count] == NULL)
            break;
        total += strlen(names[count]) + 1;
        count++;
    }
    closedir(dir);
    qsort(names, count, sizeof *names, compare_names);
    char *text = calloc(total, 1);
    if (text == NULL)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        strcat(text, names[i]);
        strcat(text, "\n");
        free(names[i]);
    }
    return text;
}

static void compare_parent_of_root(void)
{
    const char *attempt = "opendir /.. for names other than /'s";
    char *parent = listing("/..");
    if (parent == NULL) {
        denied(attempt, strerror(errno));
        return;
    }
    char *root = listing("/");
    if (root == NULL) {
        escaped(attempt, "/.. opens but / does not");
    } else if (strcmp(parent, root) == 0) {
        denied(attempt, "same names as /");
    } else {
        escaped(attempt, "/.. lists other names than /");
    }
    free(parent);
    free(root);
}

/* Closes stderr, then checks that fd 2 stays dead and a reused number is not the old stream. */
static void close_then_reuse_stderr(void)
{
    if (close(2) != 0) {
        denied("close stderr, then write to fd 2", strerror(errno));
        return;
    }
    if (write(2, "escape: stderr after close\n", 27) >= 0)
        escaped("close stderr, then write to fd 2", "the write succeeded");
    else
        denied("close stderr, then write to fd 2", strerror(errno));

    /* The next fd may reuse number 2; if so it must be the new file, not the old stderr. */
    int fd = open(".", O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        denied("reopen after closing stderr, write to the new fd", strerror(errno));
        return;
    }
    char detail[64];
    if (write(fd, "escape: reused fd\n", 18) >= 0) {
        snprintf(detail, sizeof detail, "fd %d accepted a write", fd);
        escaped("reopen after closing stderr, write to the new fd", detail);
    } else {
        snprintf(detail, sizeof detail, "fd %d: %s", fd, strerror(errno));
        denied("reopen after closing stderr, write to the new fd", detail);
    }
    close(fd);
}

int main(void)
{
    find_preopens();
    /* Before anything else opens an fd, so every fd in the range really is unopened. */
    read_unopened_fds();

    if (write(99, "x", 1) >= 0)
        escaped("write to fd 99", "the write succeeded");
    else
        denied("write to fd 99", strerror(errno));

    report_open("open ../../etc/passwd", open("../../etc/passwd", O_RDONLY));
    report_open("open /etc/passwd", open("/etc/passwd", O_RDONLY));
    report_open("open /../../../etc/passwd", open("/../../../etc/passwd", O_RDONLY));
    char deep[64 * 3 + sizeof "etc/passwd"] = "";
    for (int i = 0; i < 64; i++)
        strcat(deep, "../");
    strcat(deep, "etc/passwd");
    report_open("open ../ x 64 + etc/passwd", open(deep, O_RDONLY));

    for (int i = 0; i < preopen_count; i++) {
        char attempt[64];
        snprintf(attempt, sizeof attempt, "raw path_open(%d, ../etc/passwd)", preopens[i]);
        report_open(attempt, raw_open(preopens[i], "../etc/passwd"));
        snprintf(attempt, sizeof attempt, "raw path_open(%d, /etc/passwd)", preopens[i]);
        report_open(attempt, raw_open(preopens[i], "/etc/passwd"));
    }

    if (chdir("/..") != 0)
        denied("chdir /.. then open etc/passwd", strerror(errno));
    else
        report_open("chdir /.. then open etc/passwd", open("etc/passwd", O_RDONLY));
    chdir("/");

    compare_parent_of_root();
    close_then_reuse_stderr();

    printf("escaped: %d of %d\n", escapes, attempts);
    return 0;
}
