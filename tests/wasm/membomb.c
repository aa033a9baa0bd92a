/*
 * membomb: allocates memory 1 MiB at a time, writing to every page, until malloc fails.
 *
 * It prints nothing while it grows; when malloc returns NULL it prints
 * "malloc failed after N MiB" and exits 2. Under a memory cap the runtime may refuse to
 * grow linear memory (malloc then fails, and this line names how far it got) or trap
 * instead; the limit tests accept either, and check that the failure names the cap and that
 * the shell keeps working. Without a cap it stops near wasm32's 4 GiB, so always give one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEP (1024 * 1024)

int main(void)
{
    unsigned long mebibytes = 0;
    for (;;) {
        /* Never freed: the point is to keep it. volatile stops the stores being dropped. */
        volatile char *block = malloc(STEP);
        if (block == NULL) {
            printf("malloc failed after %lu MiB\n", mebibytes);
            return 2;
        }
        for (size_t i = 0; i < STEP; i += 4096)
            block[i] = 1;
        mebibytes++;
    }
}
