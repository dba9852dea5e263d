package org.varpart.job;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy, an S3-compatible server (its file-system backend under a directory), on loopback in a
 * JVM of its own with its own classpath (its jar with dependencies), so that its Jetty never
 * meets Spark's; and the S3A settings that reach it.
 */
final class S3Proxy {
    private final Process process;
    private final Path log;
    private final int port;
    private final String access, secret;

    private S3Proxy(Process process, Path log, int port, String access, String secret) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.access = access;
        this.secret = secret;
    }

    /** Starts the server with one bucket, checking AWS v2/v4 signatures against the given keys; waits until it listens. */
    static S3Proxy start(Path jar, Path dir, String access, String secret, String bucket) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path store = Files.createDirectories(dir.resolve("s3proxy-store"));
        Files.createDirectories(store.resolve(bucket));
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n", "s3proxy.endpoint=http://127.0.0.1:" + port, "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + access, "s3proxy.credential=" + secret, "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + store, "jclouds.identity=" + access, "jclouds.credential=" + secret, ""));
        Path log = dir.resolve("s3proxy.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString(),
                "--properties", props.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3Proxy server = new S3Proxy(p, log, port, access, secret);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("S3Proxy exited: " + server.log());
            try (Socket s = new Socket("127.0.0.1", port)) {
                return server;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        server.stop();
        throw new IllegalStateException("S3Proxy did not listen within 60 s: " + server.log());
    }

    /**
     * The S3A settings for this server: its endpoint over plain HTTP, path-style requests (no
     * bucket host names on loopback), the keys, few retries, and directory markers kept (see
     * {@link ObjectStoreTest}: S3Proxy never answers the bulk delete of markers after a write).
     */
    Map<String, String> s3aSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fs.s3a.endpoint", "http://127.0.0.1:" + port);
        m.put("fs.s3a.endpoint.region", "us-east-1");
        m.put("fs.s3a.path.style.access", "true");
        m.put("fs.s3a.connection.ssl.enabled", "false");
        m.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        m.put("fs.s3a.access.key", access);
        m.put("fs.s3a.secret.key", secret);
        m.put("fs.s3a.directory.marker.retention", "keep");
        m.put("fs.s3a.attempts.maximum", "2");
        m.put("fs.s3a.retry.limit", "2");
        return m;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
