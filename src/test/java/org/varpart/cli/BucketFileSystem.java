package org.varpart.cli;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A Hadoop file system for tests whose URIs look like an object store's, {@code bucket://name/abs/path}
 * (a scheme and an authority), and which stores them at {@code /abs/path} on the local disk. Set
 * {@code fs.bucket.impl} to this class to use it: it shows that a location reaches Hadoop's
 * FileSystem as a URI with its authority intact.
 */
public class BucketFileSystem extends RawLocalFileSystem {
    private URI uri; // set by initialize (the superclass's constructor asks for it before)

    @Override
    public void initialize(URI name, org.apache.hadoop.conf.Configuration conf) throws java.io.IOException {
        if (name.getAuthority() == null) throw new IllegalArgumentException("bucket:// needs a bucket name: " + name);
        uri = URI.create("bucket://" + name.getAuthority() + "/");
        super.initialize(name, conf);
    }

    @Override
    public URI getUri() {
        return uri == null ? URI.create("bucket://test/") : uri;
    }

    @Override
    public String getScheme() {
        return "bucket";
    }
}
