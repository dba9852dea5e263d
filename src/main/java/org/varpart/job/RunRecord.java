package org.varpart.job;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.varpart.io.AssayReader;
import org.varpart.io.Json;

/**
 * {@code run.json}: the record of a finished run — versions, times, the configuration as run
 * (credentials redacted), per assay its path, samples used and left out and features, the count
 * of each status, the features taken over from an interrupted run, and the warnings.
 */
public final class RunRecord {
    private RunRecord() {}

    /**
     * Opens a record and writes what every command's record starts with: versions, times and the
     * configuration as run (credentials already redacted in {@code recordedConfig}).
     */
    public static Json begin(Map<String, String> recordedConfig, Instant started, double seconds, String sparkVersion) {
        Json j = new Json(true).beginObject();
        j.field("varpart_version", Version.get());
        j.field("spark_version", sparkVersion);
        j.field("java_version", System.getProperty("java.version"));
        j.field("started", started.toString());
        j.field("finished", Instant.now().toString());
        j.field("wall_seconds", seconds);
        j.key("config").beginObject();
        recordedConfig.forEach(j::field);
        j.endObject();
        return j;
    }

    /** Closes the record with the run's warnings (redacted) and writes it to {@code file}. */
    public static void finish(FileSystem fs, Path file, Json j, Iterable<String> warnings) throws IOException {
        j.key("warnings").beginArray();
        for (String w : warnings) j.value(Redaction.text(w));
        j.endArray();
        j.endObject();
        try (OutputStream o = fs.create(file, true)) {
            o.write((j + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Writes the record to {@code file}. */
    static void write(FileSystem fs, Path file, Plan plan, Map<String, Long> features, Map<String, Long> counts,
                      Instant started, double seconds, String sparkVersion, long resumed) throws IOException {
        write(fs, file, plan, List.of(), features, counts, started, seconds, sparkVersion, resumed);
    }

    /** Writes the record to {@code file}, with the weighted assays (counts, or log-scale with weights) among the assays. */
    static void write(FileSystem fs, Path file, Plan plan, List<CountsStage.Prepared> weighted, Map<String, Long> features,
                      Map<String, Long> counts, Instant started, double seconds, String sparkVersion, long resumed) throws IOException {
        Json j = begin(plan.config().recorded(), started, seconds, sparkVersion);
        j.key("assays").beginArray();
        for (int i = 0; i < plan.assays().size(); i++) {
            AssayReader.Assay a = plan.assays().get(i);
            j.beginObject().field("name", a.name()).field("path", Redaction.text(a.path()))
                    .field("samples", plan.models().get(i).columns().length)
                    .field("samples_dropped_for_missing_values", plan.models().get(i).complete().dropped())
                    .field("features", features.getOrDefault(a.name(), 0L)).endObject();
        }
        // counts assays and log-scale assays with precision weights, as the others, with their kind (and weights file)
        for (CountsStage.Prepared p : weighted) {
            AssayReader.Assay a = p.assay();
            j.beginObject().field("name", a.name()).field("path", Redaction.text(a.path()))
                    .field("samples", p.model().columns().length)
                    .field("samples_dropped_for_missing_values", p.model().complete().dropped())
                    .field("features", features.getOrDefault(a.name(), 0L))
                    .field("kind", p.weights() == null ? "counts" : "weighted");
            if (p.weights() != null) j.field("weights", Redaction.text(p.weights().path()));
            j.endObject();
        }
        j.endArray();
        j.key("status_counts").beginObject();
        counts.forEach(j::field);
        j.endObject();
        j.field("resumed_features", resumed);
        finish(fs, file, j, plan.warnings());
    }
}
