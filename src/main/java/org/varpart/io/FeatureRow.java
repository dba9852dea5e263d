package org.varpart.io;

import java.io.Serializable;

/**
 * One feature of an assay: its ID and its value in each of the assay's samples (NaN when
 * missing), or the problem that kept the line from being read, which becomes the feature's
 * status row.
 */
public record FeatureRow(String id, double[] values, String problem) implements Serializable {}
