package org.varpart.job;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.varpart.io.HadoopConf;
import scala.Tuple2;

/**
 * The weighted pass of a counts (or weighted) assay committed chunk by chunk, as the log-scale
 * assays' fits are ({@link ChunkCommitter}): the features still to fit are spread by the hash of
 * their ID and sorted by ID within each partition, cut into chunks of {@code chunk_features}, and
 * each chunk's results ({@link CountsFits.Weighted}) are written to a hidden temporary file in the
 * attempt's directory of the work directory and renamed to {@code kNNN-pNNNNNN-cNNNNN.counts}, so
 * that a chunk is whole or absent. A retried task cuts the same chunks and takes those an earlier
 * attempt of it committed.
 *
 * <p>An attempt that resumes an interrupted run reads the {@code .counts} chunks of every earlier
 * attempt of the assay (a feature found twice is taken once) and fits only the other features.
 * The passes before (checks, filter, TMM, the first pass and the trend) are recomputed: they are
 * cheap, the same on every attempt, and give each remaining feature its weights.
 */
final class CountsCommitter {
    static final String SUFFIX = ".counts";

    private CountsCommitter() {}

    /** Where chunks go and where earlier attempts left theirs: the work directory's attempt and root, and the assay's index. */
    record Target(String runDir, String root, Broadcast<HadoopConf> conf, int assay, int chunk) implements java.io.Serializable {}

    /**
     * The weighted results of every feature of {@code todo}: those committed by earlier attempts
     * read back, the others computed by {@code fit} and committed.
     *
     * @param log where a resume says how many features it took over
     */
    static <T> JavaRDD<CountsFits.Weighted> run(JavaPairRDD<String, T> todo, Function<T, CountsFits.Weighted> fit, Target t, int partitions,
                                                String assayName, java.io.PrintStream log) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(todo.context());
        List<String> earlier = earlierChunks(t);
        JavaRDD<CountsFits.Weighted> resumed = null;
        Set<String> done = new HashSet<>();
        if (!earlier.isEmpty()) {
            Broadcast<HadoopConf> conf = t.conf();
            resumed = jsc.parallelize(earlier, Math.max(1, Math.min(earlier.size(), partitions)))
                    .flatMap(p -> read(new Path(p), conf.value()).iterator())
                    .mapToPair(w -> new Tuple2<>(w.feature(), w)).reduceByKey((a, b) -> a, partitions).values()
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            done.addAll(resumed.map(CountsFits.Weighted::feature).collect());
            log.println("varpart: resuming: the weighted fits of " + done.size() + " features of assay " + assayName
                    + " committed by the interrupted run are kept; the first pass and the trend are recomputed, the others fitted now");
        }
        Broadcast<Set<String>> skip = jsc.broadcast(done);
        JavaPairRDD<String, T> rest = done.isEmpty() ? todo : todo.filter(x -> !skip.value().contains(x._1()));
        JavaRDD<CountsFits.Weighted> fitted = rest.repartitionAndSortWithinPartitions(new HashPartitioner(partitions))
                .mapPartitionsWithIndex((part, it) -> commit(part, it, fit, t), true).persist(StorageLevel.MEMORY_AND_DISK_SER());
        fitted.count();
        if (resumed == null) return fitted;
        JavaRDD<CountsFits.Weighted> all = fitted.union(resumed).persist(StorageLevel.MEMORY_AND_DISK_SER());
        all.count();
        fitted.unpersist();
        resumed.unpersist();
        return all;
    }

    static String name(int assay, int partition, int chunk) {
        return String.format(Locale.ROOT, "k%03d-p%06d-c%05d%s", assay, partition, chunk, SUFFIX);
    }

    /** The {@code .counts} chunks of the assay that earlier attempts committed (this attempt's directory is new and empty). */
    static List<String> earlierChunks(Target t) {
        List<String> out = new ArrayList<>();
        try {
            Path results = new Path(t.root(), "results");
            FileSystem fs = results.getFileSystem(t.conf().value().get());
            if (!fs.exists(results)) return out;
            String prefix = String.format(Locale.ROOT, "k%03d-", t.assay());
            for (FileStatus run : fs.listStatus(results)) {
                if (!run.isDirectory() || run.getPath().toString().equals(new Path(t.runDir()).toString())) continue;
                for (FileStatus f : fs.listStatus(run.getPath())) {
                    String n = f.getPath().getName();
                    if (f.isFile() && n.startsWith(prefix) && n.endsWith(SUFFIX)) out.add(f.getPath().toString());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the committed chunks in " + t.root() + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    private static <T> Iterator<CountsFits.Weighted> commit(int partition, Iterator<Tuple2<String, T>> it, Function<T, CountsFits.Weighted> fit,
                                                            Target t) throws Exception {
        Path dir = new Path(t.runDir());
        FileSystem fs = dir.getFileSystem(t.conf().value().get());
        List<CountsFits.Weighted> out = new ArrayList<>();
        for (int c = 0; it.hasNext(); c++) {
            List<Tuple2<String, T>> part = new ArrayList<>(t.chunk());
            while (part.size() < t.chunk() && it.hasNext()) part.add(it.next());
            Path target = new Path(dir, name(t.assay(), partition, c));
            if (fs.exists(target)) { // an earlier attempt of this task committed it, with the same features
                out.addAll(read(target, t.conf().value()));
                continue;
            }
            ArrayList<CountsFits.Weighted> chunk = new ArrayList<>(part.size());
            for (Tuple2<String, T> x : part) chunk.add(fit.call(x._2()));
            write(fs, target, chunk);
            out.addAll(chunk);
        }
        return out.iterator();
    }

    private static void write(FileSystem fs, Path target, ArrayList<CountsFits.Weighted> chunk) throws IOException {
        TaskContext task = TaskContext.get();
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + (task == null ? 0 : task.taskAttemptId()) + ".tmp");
        try (FSDataOutputStream o = fs.create(tmp, true); ObjectOutputStream s = new ObjectOutputStream(o)) {
            s.writeObject(chunk);
        }
        if (!fs.rename(tmp, target)) {
            boolean committed = fs.exists(target);
            fs.delete(tmp, false);
            if (!committed) throw new IOException("could not rename " + tmp + " to " + target);
        }
    }

    @SuppressWarnings("unchecked")
    static List<CountsFits.Weighted> read(Path p, HadoopConf conf) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(p.getFileSystem(conf.get()).open(p))) {
            return (List<CountsFits.Weighted>) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("the chunk " + p + " holds no weighted fits: " + e.getMessage(), e);
        }
    }
}
