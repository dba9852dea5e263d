package org.varpart.job;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.varpart.InputException;
import org.varpart.io.AssayReader;

/**
 * What a run's per-feature results depend on, key by key, as the work directory records it
 * ({@code fingerprint}: key, SHA-256 of the value, the value as it may be shown) and as a resumed
 * run must match it: the result settings, varpart's version, each input file's size and time,
 * and the content of the sample sheet and of text assays.
 */
final class Fingerprint {
    private Fingerprint() {}

    /** The settings the per-feature results depend on; a resumed run must have the same (with the same input files). */
    static final List<String> RESULT_KEYS = List.of("formula", "method", "samples", "sample_id_column", "drop_unmatched_samples",
            "tests", "feature_id_column", "long.feature_column", "long.sample_column", "long.value_column",
            "ci", "ci_replicates", "ci_level", "ci_method", "seed");

    /**
     * What the per-feature results depend on: the result settings, varpart's version, each input
     * file's size and time, and the content of the sample sheet and of text assays (a digest
     * taken as the driver checks them), so that a file rewritten with the same size and time is
     * noticed too. Parquet assays are known by size and time only.
     */
    static Map<String, String> of(JobConfig cfg, Plan plan, Configuration hadoop) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("varpart_version", Version.get());
        for (String k : RESULT_KEYS) f.put(k, cfg.get(k));
        f.put("file of samples", describeFile(cfg.samples(), hadoop));
        f.put("content of samples", plan.sheet().digest());
        for (AssayReader.Assay a : plan.assays()) {
            f.put(JobConfig.ASSAY + a.name(), a.path());
            f.put(JobConfig.FORMAT + a.name(), cfg.format(a.name()));
            f.put("file of " + JobConfig.ASSAY + a.name(), describeFile(a.path(), hadoop));
            if (a.digest() != null) f.put("content of " + JobConfig.ASSAY + a.name(), a.digest());
        }
        f.putAll(CountsConfig.fingerprint(cfg, hadoop));
        return f;
    }

    /** A file's (or a directory's files') size and last modification, to notice an input that changed. */
    static String describeFile(String path, Configuration hadoop) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(hadoop);
            FileStatus st = fs.getFileStatus(p);
            if (st.isFile()) return st.getLen() + " bytes, modified " + Instant.ofEpochMilli(st.getModificationTime());
            long files = 0, bytes = 0, modified = 0;
            for (RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true); it.hasNext(); ) {
                LocatedFileStatus f = it.next();
                files++;
                bytes += f.getLen();
                modified = Math.max(modified, f.getModificationTime());
            }
            return files + " files, " + bytes + " bytes, last modified " + Instant.ofEpochMilli(modified);
        } catch (IOException e) {
            throw new InputException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static String text(Map<String, String> fingerprint) {
        StringBuilder sb = new StringBuilder("# what the results in this directory depend on: key, SHA-256 of the value, the value as it may be shown\n");
        for (String k : new TreeSet<>(fingerprint.keySet())) {
            String v = fingerprint.get(k);
            sb.append(k).append('\t').append(sha256(v)).append('\t').append(Redaction.value(k, v).replace('\n', ' ').replace('\t', ' ')).append('\n');
        }
        return sb.toString();
    }

    /** key → {hash, shown value}. */
    static Map<String, String[]> read(FileSystem fs, Path file) throws IOException {
        Map<String, String[]> out = new LinkedHashMap<>();
        if (!fs.exists(file)) return out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] p = line.split("\t", 3);
                if (p.length == 3) out.put(p[0], new String[] {p[1], p[2]});
            }
        }
        return out;
    }

    static void compare(Map<String, String[]> before, Map<String, String> now, Path root) {
        List<String> changes = new ArrayList<>();
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        for (String k : keys) {
            String[] b = before.get(k);
            String n = now.get(k);
            if (b != null && n != null && b[0].equals(sha256(n))) continue;
            changes.add(k + " (was " + (b == null ? "not set" : "'" + b[1] + "'") + ", now " + (n == null ? "not set" : "'" + Redaction.value(k, n) + "'") + ")");
        }
        if (!changes.isEmpty()) {
            throw new InputException("--resume: the partial results in " + root + " were made with other settings or inputs: "
                    + String.join("; ", changes) + ". Resuming would mix results of two different analyses; run without --resume to start over"
                    + " (the partial results are then discarded), or restore the settings and inputs of the interrupted run.");
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
