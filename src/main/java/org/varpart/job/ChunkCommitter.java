package org.varpart.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.varpart.io.AssayReader;
import org.varpart.io.FeatureRows;
import org.varpart.io.HadoopConf;
import org.varpart.io.ResultFile;
import scala.Tuple2;

/**
 * The fitting step of the job, one call per partition: fits the partition's features and commits
 * their results to the run's directory in chunks (of {@code chunk_features}), each written to a
 * hidden temporary file and renamed into place, so that a chunk is either whole or absent.
 *
 * <p>A chunk's name says which assay, partition and chunk it is, and its content is fixed by the
 * input: partitions hold features by the hash of their ID, sorted by ID (the shuffle sorts them),
 * or are the splits of a text file in the file's order, and are cut into chunks in that order.
 * A retried task (an executor lost, a task killed)
 * therefore cuts the same chunks, skips those an earlier attempt committed, and can never commit
 * a feature twice. A task holds one chunk of records at a time.
 */
final class ChunkCommitter implements Function2<Integer, Iterator<Tuple2<String, Object>>, Iterator<Long>> {
    private static final long serialVersionUID = 1L;
    private final int assay;
    private final Broadcast<AssayModel> model;
    private final AssayReader.Parser parser;
    private final org.apache.spark.util.LongAccumulator done;
    private final String dir;
    private final Broadcast<HadoopConf> conf;
    private final int chunk;
    /** Where the CPU time of parsing, fitting, testing and committing is added up, or null. */
    private final StageTimes times;
    private final boolean sorted;

    /**
     * @param assay the assay's index in the run, part of each chunk's name
     * @param dir the run's directory of chunks
     * @param done counts features done (fitted or found committed), for the progress line
     * @param chunk features per committed chunk: at most this many per running task are lost when a task or the run dies
     */
    ChunkCommitter(int assay, Broadcast<AssayModel> model, AssayReader.Parser parser, org.apache.spark.util.LongAccumulator done,
                   String dir, Broadcast<HadoopConf> conf, int chunk) {
        this(assay, model, parser, done, dir, conf, chunk, null);
    }

    /** As the other constructor, adding each chunk's CPU time by part to {@code times} (may be null). */
    ChunkCommitter(int assay, Broadcast<AssayModel> model, AssayReader.Parser parser, org.apache.spark.util.LongAccumulator done,
                   String dir, Broadcast<HadoopConf> conf, int chunk, StageTimes times) {
        this(assay, model, parser, done, dir, conf, chunk, times, true);
    }

    /**
     * @param sorted whether the records arrive sorted by ID (after the shuffle), which is then
     *     checked; false for a split of a text file, whose order is the file's
     */
    ChunkCommitter(int assay, Broadcast<AssayModel> model, AssayReader.Parser parser, org.apache.spark.util.LongAccumulator done,
                   String dir, Broadcast<HadoopConf> conf, int chunk, StageTimes times, boolean sorted) {
        this.sorted = sorted;
        this.times = times;
        this.assay = assay;
        this.model = model;
        this.parser = parser;
        this.done = done;
        this.dir = dir;
        this.conf = conf;
        this.chunk = chunk;
    }

    /**
     * Commits the partition's features, which arrive in a fixed order; returns the number fitted by
     * this call (those found committed are not counted).
     */
    @Override
    public Iterator<Long> call(Integer partition, Iterator<Tuple2<String, Object>> records) throws IOException {
        Path base = new Path(dir);
        FileSystem fs = base.getFileSystem(conf.value().get());
        FeatureFitter.Patterns fitters = null;
        long fitted = 0;
        List<Tuple2<String, Object>> part = new ArrayList<>(chunk);
        String previous = null;
        for (int c = 0; records.hasNext(); c++) {
            part.clear();
            while (part.size() < chunk && records.hasNext()) {
                Tuple2<String, Object> r = records.next();
                if (sorted && previous != null && previous.compareTo(r._1()) >= 0) {
                    throw new IllegalStateException("features must arrive sorted by ID: '" + r._1() + "' after '" + previous + "'");
                }
                previous = r._1();
                part.add(r);
            }
            Path target = new Path(base, name(assay, partition, c));
            if (!fs.exists(target)) {
                if (fitters == null) fitters = new FeatureFitter.Patterns(model.value());
                commit(fs, target, fitters, part);
                fitted += part.size();
            }
            if (done != null) done.add(part.size());
        }
        return List.of(fitted).iterator();
    }

    static String name(int assay, int partition, int chunk) {
        return String.format(java.util.Locale.ROOT, "a%03d-p%06d-c%05d.bin", assay, partition, chunk);
    }

    private void commit(FileSystem fs, Path target, FeatureFitter.Patterns fitters, List<Tuple2<String, Object>> part) throws IOException {
        AssayModel m = model.value();
        TaskContext task = TaskContext.get();
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + (task == null ? 0 : task.taskAttemptId()) + ".tmp");
        List<String> ids = new ArrayList<>(part.size());
        for (Tuple2<String, Object> r : part) ids.add(r._1());
        long start = times == null ? 0 : StageTimes.threadCpu();
        long[] cpu = times == null ? null : new long[StageTimes.TASK_PARTS.length];
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            ResultFile.Writer w = new ResultFile.Writer(out, m.assay(), ids);
            for (Tuple2<String, Object> r : part) {
                long p0 = cpu == null ? 0 : StageTimes.threadCpu();
                org.varpart.io.FeatureRow f = parser.parse(r._2());
                if (cpu != null) cpu[0] += StageTimes.threadCpu() - p0;
                w.write(FeatureRows.row(FeatureFitter.fit(m, fitters, f, cpu)));
            }
            w.finish();
        }
        if (!fs.rename(tmp, target)) {
            boolean committed = fs.exists(target); // another attempt of this task got there first, with the same results
            fs.delete(tmp, false);
            if (!committed) throw new IOException("could not rename " + tmp + " to " + target);
        }
        if (times != null) {
            cpu[3] = StageTimes.threadCpu() - start - cpu[0] - cpu[1] - cpu[2];
            for (int i = 0; i < cpu.length; i++) times.addTask(i, cpu[i]);
        }
    }
}
