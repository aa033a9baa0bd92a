/*
 * fsops: one file-system operation per run, for the namespace tests.
 *
 *   fsops mkdir DIR       create a directory           (path_create_directory)
 *   fsops rmdir DIR       remove an empty directory    (path_remove_directory)
 *   fsops rm FILE         remove a file                (path_unlink_file)
 *   fsops mv FROM TO      rename                       (path_rename)
 *   fsops stat PATH       print "KIND SIZE"            (path_filestat_get)
 *
 * KIND is one of file, dir, chardev, blockdev, symlink, socket, other. Each operation either
 * succeeds silently (stat prints its line) and exits 0, or prints "fsops: OP PATH: strerror"
 * to stderr and exits 1; a bad command line exits 2. Tests run it against mem, cow and union
 * directories and compare with what the builtins then see.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int usage(void)
{
    fprintf(stderr, "usage: fsops mkdir DIR | rmdir DIR | rm FILE | mv FROM TO | stat PATH\n");
    return 2;
}

static int fail(const char *op, const char *path)
{
    fprintf(stderr, "fsops: %s %s: %s\n", op, path, strerror(errno));
    return 1;
}

static const char *kind(mode_t mode)
{
    if (S_ISREG(mode))
        return "file";
    if (S_ISDIR(mode))
        return "dir";
    if (S_ISCHR(mode))
        return "chardev";
    if (S_ISBLK(mode))
        return "blockdev";
    if (S_ISLNK(mode))
        return "symlink";
    if (S_ISSOCK(mode))
        return "socket";
    return "other";
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    const char *op = argv[1], *path = argv[2];
    int operands = strcmp(op, "mv") == 0 ? 2 : 1;
    if (argc != 2 + operands)
        return usage();

    if (strcmp(op, "mkdir") == 0) {
        if (mkdir(path, 0777) != 0)
            return fail(op, path);
    } else if (strcmp(op, "rmdir") == 0) {
        if (rmdir(path) != 0)
            return fail(op, path);
    } else if (strcmp(op, "rm") == 0) {
        if (unlink(path) != 0)
            return fail(op, path);
    } else if (strcmp(op, "mv") == 0) {
        if (rename(path, argv[3]) != 0)
            return fail(op, path);
    } else if (strcmp(op, "stat") == 0) {
        struct stat st;
        if (stat(path, &st) != 0)
            return fail(op, path);
        printf("%s %lld\n", kind(st.st_mode), (long long)st.st_size);
    } else {
        return usage();
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
