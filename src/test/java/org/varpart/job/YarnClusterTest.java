package org.varpart.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.simulate.StudySimulator;

/**
 * The job on a real YARN: Hadoop's own mini clusters (MiniDFSCluster, one NameNode and one
 * DataNode, and MiniYARNCluster, a ResourceManager and one NodeManager that starts containers
 * as processes of their own) in this JVM, from {@code hadoop-client-minicluster} at Spark 3.5's
 * Hadoop version. The application jar (varpart's classes and JFreeChart, no Spark) goes through
 * {@code submit/spark-submit.sh} and Spark's real {@code SparkSubmit} with {@code --master
 * yarn}: once in {@code --deploy-mode cluster} with the config file on this machine's disk (the
 * script ships it with {@code --files}; the driver runs in the ApplicationMaster's container and
 * reads it there), and once in client mode, both submitted at once. Inputs and outputs are on
 * HDFS; both runs' tables equal a {@code local} run's.
 */
class YarnClusterTest {

    @Test
    @Timeout(value = 1200)
    void clusterAndClientModeOnYarnAndHdfs(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(present("org.apache.spark.deploy.yarn.Client"),
                "skipped: spark-yarn is not on the test classpath (the build leaves it out with -Dvarpart.noyarn)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "skipped: YARN's NodeManager starts containers with bash, which is missing");
        long t0 = System.nanoTime();
        SparkSession spark = SparkTestSession.get();
        Path study = dir.resolve("study");
        StudySimulator.write(new StudySimulator.Spec(10, 4, 3, 2, 40, new String[] {"rna", "protein"}, 0.0, 14), study);
        Path local = dir.resolve("local-out");
        // the local run to compare with, in this JVM while the mini clusters start and run
        CompletableFuture<VarPartJob.Outcome> localRun = CompletableFuture.supplyAsync(
                () -> StudyRuns.outcome(spark, StudyRuns.config(study, local, 4, "rna=rna.tsv.gz", "protein=protein.tsv")));

        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
        conf.setBoolean("dfs.permissions.enabled", false);
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        MiniYARNCluster yarn = null;
        try {
            dfs.waitClusterUp();
            YarnConfiguration yconf = new YarnConfiguration(dfs.getConfiguration(0));
            yconf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
            yconf.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
            // room for both applications at once: two ApplicationMasters and two executors
            yconf.setInt(YarnConfiguration.NM_VCORES, 8);
            // containers are handed out on the NodeManager's heartbeats: every 250 ms, not every second
            yconf.setLong(YarnConfiguration.RM_NM_HEARTBEAT_INTERVAL_MS, 250);
            yconf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
            yconf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
            yconf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100f);
            // one queue that takes everything (the capacity scheduler's own file is not on the classpath)
            yconf.set("yarn.scheduler.capacity.root.queues", "default");
            yconf.set("yarn.scheduler.capacity.root.default.capacity", "100");
            yconf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
            yconf.set("yarn.scheduler.capacity.root.default.user-limit-factor", "1");
            yconf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
            yconf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
            yconf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
            yconf.set("yarn.scheduler.capacity.node-locality-delay", "-1");
            yconf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "1.0");
            yarn = new MiniYARNCluster("varpart-yarn", 1, 1, 1);
            yarn.init(yconf);
            yarn.start();
            // the cluster's client configuration, where spark-submit's YARN client finds it: the
            // ResourceManager's addresses only (the mini clusters' own settings name test classes,
            // such as a static rack mapping, that a cluster's Spark does not have)
            Path confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
            Configuration client = new Configuration(false);
            waitForRm(client, yarn);
            for (String k : List.of(YarnConfiguration.RM_HOSTNAME, YarnConfiguration.RM_WEBAPP_ADDRESS)) {
                if (yarn.getConfig().get(k) != null) client.set(k, yarn.getConfig().get(k));
            }
            try (OutputStream o = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
                client.writeXml(o);
            }
            Files.writeString(confDir.resolve("core-site.xml"), "<configuration><property><name>fs.defaultFS</name><value>"
                    + dfs.getFileSystem().getUri() + "</value></property></configuration>\n");

            FileSystem hdfs = dfs.getFileSystem();
            String in = hdfs.getUri() + "/study/";
            for (String f : List.of("samples.tsv", "rna.tsv.gz", "protein.tsv")) {
                hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(study.resolve(f).toUri()), new org.apache.hadoop.fs.Path(in + f));
            }
            // a Spark installation as spark-submit.sh finds one: jars/ (the test classpath's, without
            // the mini clusters, JFreeChart or the test tools) and bin/spark-submit
            Path sparkHome = ChildJvm.sparkHome(dir, "jfreechart", "hadoop-client-minicluster", "s3proxy", "junit", "opentest4j", "apiguardian");
            Path submit = Files.createDirectories(sparkHome.resolve("bin")).resolve("spark-submit");
            Files.writeString(submit, "#!/usr/bin/env bash\nexec " + String.join(" ", quoted(ChildJvm.command("1g",
                    sparkHome.resolve("jars") + File.separator + "*" + File.pathSeparator + confDir))) + " org.apache.spark.deploy.SparkSubmit \"$@\"\n");
            Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path app = dir.resolve("varpart-app.jar");
            SparkSubmitTest.packClasses(Path.of("target/classes"),
                    ChildJvm.classpathJars().stream().filter(p -> p.getFileName().toString().startsWith("jfreechart")).toList(), app);

            // the config file on this machine's disk; the paths inside it on HDFS
            Path conf1 = dir.resolve("yarn-study.conf");
            Files.writeString(conf1, String.join("\n", "samples = " + in + "samples.tsv", "assay.rna = " + in + "rna.tsv.gz",
                    "assay.protein = " + in + "protein.tsv", "formula = " + StudySimulator.FORMULA, "partitions = 4",
                    "progress_seconds = 0", "output = " + hdfs.getUri() + "/results/cluster", ""));
            String javaHome = System.getProperty("java.home");
            List<String> common = List.of("--master", "yarn", "--num-executors", "1", "--executor-cores", "2", "--executor-memory", "512m",
                    "--driver-memory", "512m", "--conf", "spark.yarn.jars=local:" + sparkHome.resolve("jars") + "/*",
                    "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome, "--conf", "spark.executorEnv.JAVA_HOME=" + javaHome,
                    "--conf", "spark.ui.enabled=false", "--conf", "spark.yarn.submit.waitAppCompletion=true");

            // both applications at once: they are independent (their own outputs, their own YARN
            // applications and containers, which the NodeManager has room for together), and most of
            // each one's time is spent waiting for JVMs to start and for YARN's heartbeats
            long c0 = System.nanoTime();
            List<String> cluster = new ArrayList<>(common);
            cluster.addAll(List.of("--deploy-mode", "cluster", "--", conf1.toString()));
            Submission clusterRun = start(dir, sparkHome, confDir, app, "cluster", cluster);
            List<String> clientMode = new ArrayList<>(common);
            clientMode.addAll(List.of("--deploy-mode", "client", "--", conf1.toString(), "--output=" + hdfs.getUri() + "/results/client"));
            Submission clientRun = start(dir, sparkHome, confDir, app, "client", clientMode);
            String clusterLog, clientLog;
            double clusterSeconds, clientSeconds;
            try {
                clusterLog = clusterRun.finish();
                clusterSeconds = (System.nanoTime() - c0) / 1e9;
                clientLog = clientRun.finish();
                clientSeconds = (System.nanoTime() - c0) / 1e9;
            } finally {
                clusterRun.process().destroyForcibly();
                clientRun.process().destroyForcibly();
            }
            assertTrue(clusterLog.contains("shipping the config file " + conf1) && clusterLog.contains("final status: SUCCEEDED"), clusterLog);
            assertTrue(clientLog.contains("varpart: 80 features in"), clientLog);

            assertEquals(80, localRun.get(5, TimeUnit.MINUTES).features(), "the local run");
            for (String mode : List.of("cluster", "client")) {
                org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(hdfs.getUri() + "/results/" + mode);
                assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS")), mode + ": _SUCCESS on HDFS");
                Path copy = dir.resolve("copy-" + mode);
                hdfs.copyToLocalFile(out, new org.apache.hadoop.fs.Path(copy.toUri()));
                Outputs.assertSameTables(spark, local, copy);
                assertTrue(Files.exists(copy.resolve("run.json")) && Files.exists(copy.resolve("report.html")), mode + ": run.json and the report");
            }
            System.out.printf("yarn: both submitted at once; cluster mode done after %.1f s, client mode after %.1f s; the whole test %.1f s%n", clusterSeconds, clientSeconds,
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            if (yarn != null) yarn.stop();
            dfs.shutdown();
            localRun.handle((o, e) -> o).get(5, TimeUnit.MINUTES); // no job of it left going after a failed check
        }
    }

    /** A run of submit/spark-submit.sh that has been started, its output going to {@code log}. */
    record Submission(String name, Process process, Path log) {
        /** Waits for the run; returns its output, after checking it exited 0. */
        String finish() throws Exception {
            boolean done = process.waitFor(10, TimeUnit.MINUTES); // a guard against a hang: both run at once, on busy machines too
            if (!done) process.destroyForcibly().waitFor();
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(done, name + " mode: spark-submit finished in time\n" + text);
            assertEquals(0, process.exitValue(), name + " mode:\n" + text);
            return text;
        }
    }

    /** Starts submit/spark-submit.sh with these arguments. */
    static Submission start(Path dir, Path sparkHome, Path confDir, Path app, String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", "submit/spark-submit.sh"));
        cmd.addAll(args);
        Path log = dir.resolve("submit-" + name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("HADOOP_CONF_DIR", confDir.toString());
        pb.environment().put("YARN_CONF_DIR", confDir.toString());
        pb.environment().put("VARPART_JAR", app.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return new Submission(name, pb.start(), log);
    }

    /** Waits until the ResourceManager has bound its ports and has its NodeManager; puts its addresses in {@code client}. */
    static void waitForRm(Configuration client, MiniYARNCluster yarn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // the ResourceManager's address is known once it has bound its port
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0") && System.nanoTime() < deadline) Thread.sleep(100);
        client.set(YarnConfiguration.RM_ADDRESS, yarn.getConfig().get(YarnConfiguration.RM_ADDRESS));
        client.set(YarnConfiguration.RM_SCHEDULER_ADDRESS, yarn.getConfig().get(YarnConfiguration.RM_SCHEDULER_ADDRESS));
        while (yarn.getResourceManager().getRMContext().getRMNodes().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
        assertTrue(!yarn.getResourceManager().getRMContext().getRMNodes().isEmpty(), "the NodeManager registered with the ResourceManager");
    }

    static List<String> quoted(List<String> words) {
        return words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList();
    }

    static boolean present(String cls) {
        try {
            Class.forName(cls, false, YarnClusterTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
