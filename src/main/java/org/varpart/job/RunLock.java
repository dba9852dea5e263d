package org.varpart.job;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.varpart.InputException;

/**
 * The lock file {@code lock} in a run's work directory: one run per output at a time. It names
 * its run (process, host, start) and is rewritten every {@link #HEARTBEAT_SECONDS} seconds while
 * the run goes. A second run on the same output refuses to start while the lock is live: held by
 * a process that is alive on this host, or, from another host, rewritten less than
 * {@link #STALE_SECONDS} seconds ago. The lock of a run that died (killed, machine lost) is
 * stale, and a later run, {@code --resume} included, takes it over.
 */
final class RunLock {
    static final String NAME = "lock";
    static final long HEARTBEAT_SECONDS = 30, STALE_SECONDS = 180;

    private final FileSystem fs;
    private final Path file;
    private final ScheduledExecutorService heartbeat;

    private RunLock(FileSystem fs, Path file, ScheduledExecutorService heartbeat) {
        this.fs = fs;
        this.file = file;
        this.heartbeat = heartbeat;
    }

    /** Refuses to go on while another run holds a live lock on the work directory {@code root}. */
    static void checkFree(FileSystem fs, Path root, Path output) throws IOException {
        Path file = new Path(root, NAME);
        if (!fs.exists(file)) return;
        FileStatus st = fs.getFileStatus(file);
        String[] owner = read(fs, file);
        String pid = owner[0], host = owner[1], started = owner[2];
        long age = Math.max(0, (System.currentTimeMillis() - st.getModificationTime()) / 1000);
        boolean live;
        if (host.equals(hostName())) {
            live = pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } else {
            live = age < STALE_SECONDS;
        }
        if (live) {
            throw new InputException("Another varpart run is writing the output " + output + ": process " + pid + " on " + host
                    + ", started " + started + " (its lock " + file + " was renewed " + age + " s ago). Wait for it to finish, or choose"
                    + " another output. If that run is dead (its lock stops being renewed; after " + STALE_SECONDS
                    + " s a run from another host takes it over), delete the lock file and rerun with --resume.");
        }
    }

    /** Takes the lock for this process (replacing a stale one) and keeps it renewed until {@link #release}. */
    static RunLock acquire(FileSystem fs, Path root) throws IOException {
        Path file = new Path(root, NAME);
        String started = Instant.now().toString();
        write(fs, file, started);
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "varpart-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        beat.scheduleAtFixedRate(() -> {
            try {
                if (fs.exists(file)) write(fs, file, started);
            } catch (IOException | RuntimeException e) {
                // a missed renewal only makes the lock look older; the next one may succeed
            }
        }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        return new RunLock(fs, file, beat);
    }

    /** Stops renewing the lock and deletes it (if the work directory still exists). */
    void release() {
        heartbeat.shutdownNow();
        try {
            fs.delete(file, false);
        } catch (IOException e) {
            // a lock left behind is stale once this process is gone
        }
    }

    private static void write(FileSystem fs, Path file, String started) throws IOException {
        try (OutputStream o = fs.create(file, true)) {
            o.write((ProcessHandle.current().pid() + "\n" + hostName() + "\n" + started + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** pid, host, start of the lock's owner ("?" where unreadable). */
    private static String[] read(FileSystem fs, Path file) throws IOException {
        String[] out = {"?", "?", "?"};
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 3; i++) {
                String l = r.readLine();
                if (l == null) break;
                out[i] = Redaction.escapeControls(l.strip());
            }
        }
        return out;
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }
}
