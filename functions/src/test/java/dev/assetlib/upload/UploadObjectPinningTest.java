package dev.assetlib.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import dev.assetlib.app.upload.UploadReceiver;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.AssetUpload;
import dev.assetlib.store.NewAsset;
import dev.assetlib.testing.LocalAws;
import dev.assetlib.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ObjectCreated handler records the ETag and version id its event names, so the media step can
 * copy exactly that object; a second ObjectCreated for the same key (a duplicate delivery, or a PUT
 * that replaced the object) changes nothing that was recorded.
 */
@ExtendWith(LocalAws.class)
class UploadObjectPinningTest {
    private static final String BUCKET = "uploads-bucket";
    private final AssetStore store;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
    private final S3UploadHandler handler;

    UploadObjectPinningTest(LocalAws aws) {
        store = new AssetStore(aws.clients().dynamoDb(), aws.table(), new AssetIds());
        handler = new S3UploadHandler(new UploadReceiver(store, clock));
    }

    private Asset awaiting(String account) {
        return store.createAll(account, List.of(new NewAsset(AssetType.Image, null, null, AssetStatus.Processing,
                new NewAsset.DirectUpload(BUCKET, "image/png"))), true, clock.instant()).get(0);
    }

    private List<String> objectCreated(String key, long size, String eTag, String versionId) {
        S3Event.S3ObjectEntity object = new S3Event.S3ObjectEntity(key, size, eTag, versionId, "0A1B2C3D4E5F678901");
        S3Event.S3Entity s3 = new S3Event.S3Entity("UploadReceived",
                new S3Event.S3BucketEntity(BUCKET, new S3Event.UserIdentityEntity("owner"), "arn:aws:s3:::" + BUCKET),
                object, "1.0");
        S3Event.S3EventNotificationRecord record = new S3Event.S3EventNotificationRecord("us-east-1", "ObjectCreated:Put",
                "aws:s3", "2026-03-30T14:22:10.123Z", "2.1", null, null, s3, null);
        return handler.handleRequest(new S3Event(List.of(record)), null);
    }

    @Test
    void theEventsETagAndVersionIdAreRecordedOnTheAsset() {
        Asset a = awaiting("acct-pin");
        String key = "uploads/acct-pin/" + a.assetId();
        assertThat(store.getUpload("acct-pin", a.assetId()).orElseThrow().eTag()).as("nothing before the event").isNull();

        assertThat(objectCreated(key, 48_213, "0123456789abcdef0123456789abcdef", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"))
                .containsExactly("RECORDED");

        AssetUpload upload = store.getUpload("acct-pin", a.assetId()).orElseThrow();
        assertThat(upload.received()).isTrue();
        assertThat(upload.sizeBytes()).isEqualTo(48_213);
        assertThat(upload.eTag()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(upload.versionId()).isEqualTo("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");
        assertThat(upload.bucket()).isEqualTo(BUCKET);
        assertThat(upload.key()).isEqualTo(key);
        assertThat(store.getUploads("acct-pin", List.of(a.assetId())).get(a.assetId()).eTag())
                .isEqualTo("0123456789abcdef0123456789abcdef");
    }

    @Test
    void aSecondObjectCreatedForTheSameKeyIsIgnoredAndTheFirstETagStays() {
        Asset a = awaiting("acct-pin2");
        String key = "uploads/acct-pin2/" + a.assetId();
        assertThat(objectCreated(key, 1_000, "11111111111111111111111111111111", null)).containsExactly("RECORDED");
        clock.advance(Duration.ofSeconds(5));

        assertThat(objectCreated(key, 9_999, "22222222222222222222222222222222", null)).containsExactly("NOT_AWAITED");

        AssetUpload upload = store.getUpload("acct-pin2", a.assetId()).orElseThrow();
        assertThat(upload.eTag()).isEqualTo("11111111111111111111111111111111");
        assertThat(upload.sizeBytes()).isEqualTo(1_000);
        assertThat(upload.versionId()).as("an unversioned bucket's event has none").isNull();
        assertThat(store.history("acct-pin2", a.assetId(), clock.instant()).orElseThrow())
                .filteredOn(e -> e.change().equals("uploaded")).hasSize(1);
    }
}
