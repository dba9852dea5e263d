package org.varpart.job;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.varpart.InputException;
import org.varpart.io.ResultFile;

/**
 * A run's work directory, beside its output and hidden: {@code .NAME.varpart-work/} holds
 * {@code fingerprint} (the settings and inputs the results depend on), {@code lock} (the run
 * writing it, see {@link RunLock}),
 * {@code results/run-NNNN-TOKEN/} (per-feature results, committed chunk by chunk while the run
 * goes, one directory per attempt) and {@code output-TOKEN/} (the tables being written, renamed
 * to NAME last). It is deleted once the output is in place; a run that dies leaves it, and
 * {@code --resume} continues from it.
 *
 * <p>An attempt reads only the chunks that were there when it opened the directory and those it
 * committed itself, and writes its tables in a directory of its own: a task of a killed driver
 * that is still finishing, or a second run started on the same output, may add chunks or tables
 * of its own, but they never mix into this attempt's output.
 * Directory and file names are made by varpart alone: no name from the input (assay, feature or
 * sample) ever becomes part of a path.
 *
 * <p>{@code gwas} writes its output through the same directory ({@link #fresh}: it has no
 * chunks and no resume) and commits it the same way ({@link #publish}).
 */
public final class WorkDir {
    private static final String FINGERPRINT = "fingerprint", RESULTS = "results", OUTPUT = "output";

    final FileSystem fs;
    final Path root;
    /** Where this attempt commits its chunks. */
    final Path run;
    /** The features of each assay committed by earlier attempts. */
    final Map<String, Set<String>> done;
    /** The chunks of earlier attempts that this attempt takes over. */
    private final List<Path> accepted;
    /** This attempt's own name, unique among attempts. */
    private final String token;
    private final RunLock lock;

    private WorkDir(FileSystem fs, Path root, Path run, Map<String, Set<String>> done, List<Path> accepted, String token, RunLock lock) {
        this.fs = fs;
        this.root = root;
        this.run = run;
        this.done = done;
        this.accepted = accepted;
        this.token = token;
        this.lock = lock;
    }

    /** The work directory of an output. */
    public static Path of(Path output) {
        Path parent = output.getParent() == null ? new Path(".") : output.getParent();
        return new Path(parent, "." + output.getName() + ".varpart-work");
    }

    /**
     * Prepares the work directory of a run. Without {@code resume} an earlier run's directory is
     * discarded (with a note); with it, its fingerprint must equal this run's, and the features it
     * committed are read.
     *
     * @param fingerprint what the results depend on, key by key (see {@link Fingerprint}; values may hold credentials: only hashes are stored)
     */
    static WorkDir open(FileSystem fs, Path output, Map<String, String> fingerprint, boolean resume, PrintStream log) throws IOException {
        return open(fs, output, fingerprint, resume, true, log);
    }

    /**
     * Prepares the work directory of a run that cannot be resumed: an earlier run's directory is
     * discarded, with a note.
     */
    public static WorkDir fresh(FileSystem fs, Path output, Map<String, String> fingerprint, PrintStream log) throws IOException {
        return open(fs, output, fingerprint, false, false, log);
    }

    private static WorkDir open(FileSystem fs, Path output, Map<String, String> fingerprint, boolean resume, boolean resumable,
                                PrintStream log) throws IOException {
        Path root = of(output);
        RunLock.checkFree(fs, root, output);
        // a directory without a fingerprint was cut off before it held any result
        boolean exists = fs.exists(root) && fs.exists(new Path(root, FINGERPRINT));
        if (!exists && fs.exists(root)) fs.delete(root, true);
        if (exists && !resume) {
            log.println("varpart: note: discarding the partial results of an earlier run in " + root
                    + (resumable ? " (pass --resume to continue such a run instead)" : ""));
            fs.delete(root, true);
            exists = false;
        } else if (!exists && resume) {
            log.println("varpart: --resume: there is no earlier run to continue (" + root + "); starting from the beginning");
        }
        Map<String, Set<String>> done = new HashMap<>();
        List<Path> accepted = new ArrayList<>();
        int runs = 0;
        RunLock lock = null;
        if (exists) {
            Fingerprint.compare(Fingerprint.read(fs, new Path(root, FINGERPRINT)), fingerprint, root);
            lock = RunLock.acquire(fs, root);
            for (Chunk c : chunks(fs, root)) {
                done.computeIfAbsent(c.index().assay(), k -> new HashSet<>()).addAll(c.index().ids());
                accepted.add(c.path());
            }
            runs = fs.exists(new Path(root, RESULTS)) ? fs.listStatus(new Path(root, RESULTS)).length : 0;
        } else {
            fs.mkdirs(root);
            lock = RunLock.acquire(fs, root);
            writeAtomically(fs, new Path(root, FINGERPRINT), Fingerprint.text(fingerprint));
        }
        String token = java.util.UUID.randomUUID().toString().substring(0, 8);
        Path run = new Path(new Path(root, RESULTS), String.format(java.util.Locale.ROOT, "run-%04d-%s", runs, token));
        fs.mkdirs(run);
        return new WorkDir(fs, root, run, done, accepted, token, lock);
    }

    /**
     * The result files this attempt's output is made of: the chunks taken over at the start and
     * the chunks this attempt committed (whole by construction: each is renamed into place once
     * written, so only their names are listed).
     */
    List<Path> resultFiles() throws IOException {
        List<Path> out = new ArrayList<>(accepted);
        for (FileStatus f : fs.listStatus(run)) {
            String name = f.getPath().getName();
            if (f.isFile() && !name.startsWith(".") && name.endsWith(".bin")) out.add(f.getPath());
        }
        return out;
    }

    long doneCount() {
        return done.values().stream().mapToLong(Set::size).sum();
    }

    /** Where this attempt writes the output before it is renamed into place. */
    public Path output() {
        return new Path(root, OUTPUT + "-" + token);
    }

    /** The file system of the work directory and the output. */
    public FileSystem fileSystem() {
        return fs;
    }

    /** Removes the work directory (a finished or abandoned run's). */
    public void delete() throws IOException {
        lock.release();
        fs.delete(root, true);
    }

    /** Lets another run use the work directory (this one has stopped); what it committed stays. */
    public void release() {
        lock.release();
    }

    /**
     * Moves the finished output ({@link #output()}) into place, then writes {@code _SUCCESS} and
     * removes the work directory. {@code _SUCCESS} comes after the rename: on object stores a
     * directory is renamed file by file, so only {@code _SUCCESS}, written alone and last, says
     * that the output is complete.
     *
     * @param inputs the paths of every input of the run, which an output may never replace (see {@link OutputGuard})
     */
    public void publish(Path out, boolean overwrite, Configuration hadoop, List<String> inputs) throws IOException {
        commit(fs, output(), out, overwrite, hadoop, inputs);
        try (OutputStream o = fs.create(new Path(out, "_SUCCESS"), true)) {
            o.flush();
        }
        delete();
    }

    /** Moves the finished output directory into place (replacing the old output when asked). */
    static void commit(FileSystem fs, Path tmp, Path out, boolean overwrite, Configuration hadoop, List<String> inputs) throws IOException {
        if (fs.exists(out)) {
            if (!overwrite) throw new InputException("The output " + out + " appeared while the run was going; the results are left in " + tmp + ".");
            // checked again: what is there now may not be what was there when the run started
            try {
                OutputGuard.check(hadoop, out, true, inputs);
            } catch (InputException e) {
                throw new InputException(e.getMessage() + " The results of this run are left in " + tmp + ".", e);
            }
            fs.delete(out, true);
        }
        if (!fs.rename(tmp, out)) throw new IOException("could not rename " + tmp + " to " + out);
    }

    /** A whole committed chunk and what it holds. */
    record Chunk(Path path, ResultFile.Index index) {}

    /** Every whole chunk committed so far, by every attempt; hidden (temporary) and cut files are left out. */
    static List<Chunk> chunks(FileSystem fs, Path root) throws IOException {
        List<Chunk> out = new ArrayList<>();
        Path results = new Path(root, RESULTS);
        if (!fs.exists(results)) return out;
        for (FileStatus run : fs.listStatus(results)) {
            if (!run.isDirectory()) continue;
            for (FileStatus f : fs.listStatus(run.getPath())) {
                String name = f.getPath().getName();
                if (!f.isFile() || name.startsWith(".") || !name.endsWith(".bin")) continue;
                try (FSDataInputStream in = fs.open(f.getPath())) {
                    ResultFile.Index index = ResultFile.index(in, f.getLen());
                    if (index != null) out.add(new Chunk(f.getPath(), index));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(c -> c.path().toString()));
        return out;
    }

    /** Writes a small file whole or not at all: to a hidden temporary name, then renamed. */
    static void writeAtomically(FileSystem fs, Path file, String text) throws IOException {
        Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp");
        try (OutputStream o = fs.create(tmp, true)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(file, false);
        if (!fs.rename(tmp, file)) throw new IOException("could not rename " + tmp + " to " + file);
    }
}
