package org.varpart.job;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.util.LongAccumulator;

/**
 * Reports features fitted / total and the rate on the driver while the job runs. Spark updates
 * the accumulator as tasks finish, so the count moves one partition at a time.
 */
final class Progress extends Thread {
    private final LongAccumulator done;
    private final long total;
    private final int seconds;
    private final PrintStream log;
    private final long start = System.nanoTime();
    private volatile boolean stopped;

    Progress(LongAccumulator done, long total, int seconds, PrintStream log) {
        super("varpart-progress");
        setDaemon(true);
        this.done = done;
        this.total = total;
        this.seconds = seconds;
        this.log = log;
    }

    @Override
    public void run() {
        if (seconds <= 0) return;
        long last = -1;
        while (!stopped) {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            long n = done.value();
            if (n != last && n < total && !stopped) log.println(line(n)); // the driver prints the last line
            last = n;
        }
    }

    String line(long n) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        return String.format(Locale.ROOT, "varpart: %d/%d features fitted (%.0f%%), %.0f features/s", n, total,
                total == 0 ? 100.0 : 100.0 * n / total, n / Math.max(elapsed, 1e-9));
    }

    long total() {
        return total;
    }

    void finish() {
        stopped = true;
        interrupt();
    }
}
