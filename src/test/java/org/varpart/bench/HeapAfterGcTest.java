package org.varpart.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The memory bound's figure: the heap in use after a collection, from the collectors' notifications. */
class HeapAfterGcTest {
    @Test
    void recordsTheHeapLeftAfterACollection() throws InterruptedException {
        long[][] held = new long[64][];
        try (EndToEndBenchmark.HeapAfterGc live = new EndToEndBenchmark.HeapAfterGc()) {
            for (int i = 0; i < held.length; i++) held[i] = new long[128 * 1024]; // 64 MiB kept alive
            System.gc();
            // the notification comes on another thread, after the collection
            for (int i = 0; i < 100 && live.maxBytes() == 0; i++) Thread.sleep(50);
            long heldBytes = (long) held.length * held[0].length * Long.BYTES;
            assertTrue(live.maxBytes() >= heldBytes, "after a collection " + live.maxBytes() + " bytes in use, but " + heldBytes + " are held");
            long max = Runtime.getRuntime().maxMemory();
            assertTrue(live.maxBytes() <= max, live.maxBytes() + " bytes in use after a collection, more than the heap's " + max);
        }
    }
}
