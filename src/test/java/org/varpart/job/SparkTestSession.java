package org.varpart.job;

import org.apache.spark.sql.SparkSession;

/** One local[2] Spark session shared by every Spark test class in the JVM. */
public final class SparkTestSession {
    private static SparkSession spark;

    private SparkTestSession() {}

    public static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("varpart-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }
}
