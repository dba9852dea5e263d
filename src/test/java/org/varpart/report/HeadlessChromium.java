package org.varpart.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket on loopback, with
 * Java's own client): open a page, collect the console, network and exception events, evaluate
 * JavaScript, take a screenshot. For tests only.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final StringBuilder stderr = new StringBuilder();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();
    private String session;

    /** The browser: $VARPART_CHROMIUM, else chromium, chromium-browser or google-chrome on the PATH. */
    static Optional<Path> find() {
        String env = System.getenv("VARPART_CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) return Optional.of(Path.of(env));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    HeadlessChromium(Path binary) throws IOException, InterruptedException {
        profile = Files.createTempDirectory("varpart-chromium");
        process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) url.complete(m.group(1));
                }
            } catch (IOException ignored) {
                // the browser went away
            }
            url.completeExceptionally(new IOException("Chromium exited before it listened:\n" + stderr()));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        String ws;
        try {
            ws = url.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException("Chromium did not start its DevTools endpoint: " + e.getMessage() + "\n" + stderr(), e);
        }
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(ws), new Listener()).join();
    }

    /** A fresh tab that later commands go to. */
    void openTab() throws Exception {
        String target = call("Target.createTarget", JSON.createObjectNode().put("url", "about:blank")).path("targetId").asText();
        session = call("Target.attachToTarget", JSON.createObjectNode().put("targetId", target).put("flatten", true)).path("sessionId").asText();
    }

    /** Sends a command (to the tab once one is open) and waits for its result; a protocol error throws. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params == null ? JSON.createObjectNode() : params);
        if (session != null) msg.put("sessionId", session);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true).join();
        JsonNode reply = f.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) throw new IOException(method + ": " + reply.get("error"));
        return reply.path("result");
    }

    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** Waits until an event with this method has arrived. */
    JsonNode await(String method, long seconds) throws InterruptedException, IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (events) {
            while (true) {
                for (JsonNode e : events) if (e.path("method").asText().equals(method)) return e;
                long left = end - System.nanoTime();
                if (left <= 0) throw new IOException("no " + method + " within " + seconds + " s");
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }

    /** The events received so far. */
    List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(part.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) f.complete(msg);
                    } else {
                        synchronized (events) {
                            events.add(msg);
                            events.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                part.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ReportFixture.deleteTree(profile);
    }
}
