/*
 * loop: spins forever and prints nothing.
 *
 * Deadline tests run it with a wall-clock budget and check that it is stopped within 100 ms
 * of the deadline (epoch interruption) and that the shell carries on. The counter is
 * volatile so the optimiser cannot turn the loop into nothing or into a single trap.
 */
int main(void)
{
    volatile unsigned long counter = 0;
    for (;;)
        counter++;
}
