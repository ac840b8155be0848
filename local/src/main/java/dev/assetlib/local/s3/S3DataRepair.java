package dev.assetlib.local.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Mends S3Mock's files in a data dir after a hard stop, before S3Mock reads them. S3Mock rewrites a
 * bucket's {@code bucketMetadata.json} (which maps every key to its object's folder) in place at
 * each write, so a {@code kill -9} in the middle of one leaves it empty or cut, and S3Mock then
 * refuses to start at all. The map is rebuilt from the objects' own {@code objectMetadata.json};
 * an object whose metadata is itself unreadable was being written at the kill and is removed.
 */
final class S3DataRepair {
    private static final ObjectMapper JSON = new ObjectMapper();

    private S3DataRepair() {
    }

    /** The buckets under {@code root} whose metadata had to be rebuilt. */
    static List<String> repair(Path root) {
        List<String> repaired = new ArrayList<>();
        try (Stream<Path> buckets = Files.list(root)) {
            for (Path bucket : buckets.filter(Files::isDirectory).toList()) {
                Path metadata = bucket.resolve("bucketMetadata.json");
                if (Files.exists(metadata) && readable(metadata)) {
                    continue;
                }
                rebuild(bucket, metadata);
                repaired.add(bucket.getFileName().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the S3 data in " + root, e);
        }
        return repaired;
    }

    private static boolean readable(Path metadata) {
        try {
            return JSON.readTree(metadata.toFile()).hasNonNull("name");
        } catch (IOException e) {
            return false;
        }
    }

    private static void rebuild(Path bucket, Path metadata) throws IOException {
        Map<String, String> objects = new TreeMap<>();
        try (Stream<Path> folders = Files.list(bucket)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                JsonNode object = readObject(folder.resolve("objectMetadata.json"));
                if (object != null && object.path("id").asText().equals(folder.getFileName().toString())
                        && object.hasNonNull("key")) {
                    objects.put(object.get("key").asText(), object.get("id").asText());
                } else {
                    deleteTree(folder); // written when the process died: never acknowledged to a client
                }
            }
        }
        ObjectNode bucketNode = JSON.createObjectNode();
        bucketNode.put("name", bucket.getFileName().toString());
        bucketNode.put("creationDate", Instant.now().toString());
        ObjectNode versioning = bucketNode.putObject("versioningConfiguration");
        versioning.putNull("MfaDelete");
        versioning.putNull("Status");
        versioning.put("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
        bucketNode.putNull("objectLockConfiguration");
        bucketNode.putNull("bucketLifecycleConfiguration");
        bucketNode.put("objectOwnership", "BucketOwnerEnforced");
        bucketNode.put("path", bucket.toUri().toString());
        bucketNode.put("bucketRegion", "us-east-1");
        bucketNode.putNull("bucketInfo");
        bucketNode.putNull("locationInfo");
        ObjectNode map = bucketNode.putObject("objects");
        objects.forEach(map::put);
        Path next = metadata.resolveSibling("bucketMetadata.json.repair");
        JSON.writeValue(next.toFile(), bucketNode);
        Files.move(next, metadata, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonNode readObject(Path file) {
        try {
            return Files.exists(file) ? JSON.readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
