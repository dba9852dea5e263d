package org.varpart.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of {@code run.json} the report shows: the configuration as run, inputs, timings, versions. */
public record RunInfo(Map<String, String> config, List<AssayInput> assays, Map<String, Long> statusCounts,
                      String started, String finished, double wallSeconds, String varpartVersion, String sparkVersion,
                      String javaVersion) {

    /** One assay as run: its path, samples used, features read. */
    public record AssayInput(String name, String path, long samples, long features) {}

    /** Parses a {@code run.json} as the job writes it; absent fields become empty or NaN. */
    public static RunInfo parse(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        Map<String, String> config = new LinkedHashMap<>();
        root.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        List<AssayInput> assays = new ArrayList<>();
        for (JsonNode a : root.path("assays")) {
            assays.add(new AssayInput(a.path("name").asText(), a.path("path").asText(), a.path("samples").asLong(),
                    a.path("features").asLong()));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        root.path("status_counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        JsonNode wall = root.path("wall_seconds");
        return new RunInfo(Collections.unmodifiableMap(config), List.copyOf(assays), Collections.unmodifiableMap(counts),
                root.path("started").asText(""), root.path("finished").asText(""),
                wall.isNumber() ? wall.asDouble() : Double.NaN, root.path("varpart_version").asText(""),
                root.path("spark_version").asText(""), root.path("java_version").asText(""));
    }

    /** The false discovery rate the run counted significance at (0.05 when run.json lacks it). */
    public double fdr() {
        try {
            return Double.parseDouble(config.getOrDefault("fdr", "0.05"));
        } catch (NumberFormatException e) {
            return 0.05;
        }
    }

    /** Whether the run made significance tests. */
    public boolean tests() {
        return !"false".equalsIgnoreCase(config.getOrDefault("tests", "true"));
    }
}
