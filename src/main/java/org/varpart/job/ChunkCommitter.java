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
import org.apache.spark.sql.Row;
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
 * a feature twice. A task holds one record and the result rows of one chunk at a time.
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
     * this call (those found committed are not counted). Each record is parsed and fitted as it
     * arrives and only its result row is kept until its chunk is written, so that a record's text
     * and values die young; a chunk committed before is passed over record by record.
     */
    @Override
    public Iterator<Long> call(Integer partition, Iterator<Tuple2<String, Object>> records) throws IOException {
        Path base = new Path(dir);
        FileSystem fs = base.getFileSystem(conf.value().get());
        AssayModel m = model.value();
        FeatureFitter.Patterns fitters = null;
        long fitted = 0;
        List<String> ids = new ArrayList<>(chunk);
        List<Row> rows = new ArrayList<>(chunk);
        String previous = null;
        for (int c = 0; records.hasNext(); c++) {
            ids.clear();
            rows.clear();
            Path target = new Path(base, name(assay, partition, c));
            boolean committed = fs.exists(target);
            if (!committed && fitters == null) fitters = new FeatureFitter.Patterns(m);
            long[] cpu = times == null || committed ? null : new long[StageTimes.TASK_PARTS.length];
            while (ids.size() < chunk && records.hasNext()) {
                Tuple2<String, Object> r = records.next();
                if (sorted && previous != null && previous.compareTo(r._1()) >= 0) {
                    throw new IllegalStateException("features must arrive sorted by ID: '" + r._1() + "' after '" + previous + "'");
                }
                previous = r._1();
                ids.add(r._1());
                if (!committed) rows.add(result(m, fitters, r._2(), cpu));
            }
            if (!committed) {
                long w0 = cpu == null ? 0 : StageTimes.threadCpu();
                commit(fs, target, m, ids, rows);
                fitted += ids.size();
                if (cpu != null) {
                    cpu[3] += StageTimes.threadCpu() - w0;
                    for (int i = 0; i < cpu.length; i++) times.addTask(i, cpu[i]);
                }
            }
            if (done != null) done.add(ids.size());
        }
        return List.of(fitted).iterator();
    }

    /**
     * One record's result row; with {@code cpu}, adds the thread's CPU time of parsing to
     * {@code cpu[0]}, of fitting and testing to {@code cpu[1]} and {@code cpu[2]}, and of the rest
     * (the feature's set-up and its row) to {@code cpu[3]}.
     */
    private Row result(AssayModel m, FeatureFitter.Patterns fitters, Object record, long[] cpu) {
        long p0 = cpu == null ? 0 : StageTimes.threadCpu();
        org.varpart.io.FeatureRow f = parser.parse(record);
        long p1 = cpu == null ? 0 : StageTimes.threadCpu();
        long inFit = cpu == null ? 0 : cpu[1] + cpu[2];
        Row row = FeatureRows.row(FeatureFitter.fit(m, fitters, f, cpu));
        if (cpu != null) {
            cpu[0] += p1 - p0;
            cpu[3] += StageTimes.threadCpu() - p1 - (cpu[1] + cpu[2] - inFit);
        }
        return row;
    }

    static String name(int assay, int partition, int chunk) {
        return String.format(java.util.Locale.ROOT, "a%03d-p%06d-c%05d.bin", assay, partition, chunk);
    }

    /** Writes a chunk's rows to a hidden temporary file and renames it into place. */
    private static void commit(FileSystem fs, Path target, AssayModel m, List<String> ids, List<Row> rows) throws IOException {
        TaskContext task = TaskContext.get();
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + (task == null ? 0 : task.taskAttemptId()) + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            ResultFile.Writer w = new ResultFile.Writer(out, m.assay(), ids);
            for (Row r : rows) w.write(r);
            w.finish();
        }
        if (!fs.rename(tmp, target)) {
            boolean committed = fs.exists(target); // another attempt of this task got there first, with the same results
            fs.delete(tmp, false);
            if (!committed) throw new IOException("could not rename " + tmp + " to " + target);
        }
    }
}
