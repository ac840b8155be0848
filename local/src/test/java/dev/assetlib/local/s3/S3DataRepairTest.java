package dev.assetlib.local.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * After a kill -9 in the middle of a write, a bucket's object map (S3Mock's bucketMetadata.json) is
 * rebuilt from the objects' own metadata, so the local stack starts again with every acknowledged
 * object; a bucket whose map is intact is left as it is. (KillNineTest runs the whole stack on it.)
 */
class S3DataRepairTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Path object(Path bucket, String key, boolean complete) throws Exception {
        String id = UUID.randomUUID().toString();
        Path folder = Files.createDirectories(bucket.resolve(id));
        Files.writeString(folder.resolve("binaryData"), "bytes of " + key);
        Files.writeString(folder.resolve("objectMetadata.json"), complete
                ? "{\"id\":\"" + id + "\",\"key\":\"" + key + "\",\"size\":\"12\"}"
                : "{\"id\":\"" + id + "\",\"ke");
        return folder;
    }

    @Test
    void aCutObjectMapIsRebuiltFromTheObjectsAndAHalfWrittenObjectIsDropped() throws Exception {
        Path root = Files.createTempDirectory("s3-repair-");
        Path bucket = Files.createDirectories(root.resolve("media-bucket"));
        Path first = object(bucket, "media/acct/asset-1", true);
        Path second = object(bucket, "media/acct/asset-2", true);
        Path cut = object(bucket, "media/acct/asset-3", false);
        Files.writeString(bucket.resolve("bucketMetadata.json"), ""); // what the kill left

        assertThat(S3DataRepair.repair(root)).containsExactly("media-bucket");

        JsonNode rebuilt = JSON.readTree(bucket.resolve("bucketMetadata.json").toFile());
        assertThat(rebuilt.path("name").asText()).isEqualTo("media-bucket");
        assertThat(rebuilt.path("path").asText()).isEqualTo(bucket.toUri().toString());
        assertThat(rebuilt.path("objects").path("media/acct/asset-1").asText()).isEqualTo(first.getFileName().toString());
        assertThat(rebuilt.path("objects").path("media/acct/asset-2").asText()).isEqualTo(second.getFileName().toString());
        assertThat(rebuilt.path("objects").size()).isEqualTo(2);
        assertThat(cut).doesNotExist();
    }

    @Test
    void anIntactObjectMapIsLeftAsItIs() throws Exception {
        Path root = Files.createTempDirectory("s3-repair-");
        Path bucket = Files.createDirectories(root.resolve("upload-bucket"));
        String intact = "{\"name\":\"upload-bucket\",\"objects\":{}}";
        Files.writeString(bucket.resolve("bucketMetadata.json"), intact);

        assertThat(S3DataRepair.repair(root)).isEmpty();
        assertThat(Files.readString(bucket.resolve("bucketMetadata.json"))).isEqualTo(intact);
    }
}
