package dev.assetlib.store;

import dev.assetlib.security.Sha256;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetMedia;
import dev.assetlib.domain.AssetEvent;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The table's item layout. Every asset lives under its account's partition, so a key built from a
 * caller's account can never reach another account's asset. A separate id-reservation item per
 * asset id makes ids unique across the deployment.
 *
 * <pre>
 * item               pk                      sk                          index keys
 * asset              ACCOUNT#{acct}          ASSET#{id}                  listSk, statusKey, typeKey, statusTypeKey, urlKey
 * history event      ACCOUNT#{acct}          ASSET#{id}#EV#{seq:8}       (none)
 * id reservation     ASSETID#{id}            ASSETID                     (none)
 * idempotency record IDEMPOTENCY#{acct}#{h}  IDEMPOTENCY                 (none)   (uploads' Idempotency-Key and ingest messages)
 * known account      KEYACCOUNT#{acct}       KEYACCOUNT                  (none)   (written with every API key)
 * reuse claim        ACCOUNT#{acct}          REUSE#{type}#{sha256(url)}  (none)   ("reuse": true: which asset holds the URL)
 * </pre>
 *
 * A reuse claim names the asset that answers {@code "reuse": true} uploads of its URL and type. It
 * is written with attribute_not_exists (or over a stale claim, one naming an asset that is gone,
 * deleted or Failed) in the asset's creating transaction, so of two racing uploads exactly one
 * creates an asset and the other finds it.
 *
 * The list indexes share one sort key, {@code listSk = {createdAt millis, 15 digits}#{id}}, so
 * each sorts newest first with ScanIndexForward=false and takes createdAfter/createdBefore as key
 * conditions. A delete REMOVEs listSk and urlKey, so a tombstone drops out of every index
 * (sparse indexes): no list ever needs a filter to hide deleted assets. A Failed asset drops out
 * of the reuse index (urlKey) the same way.
 */
final class AssetItems {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String STATUS = "status";
    static final String UPDATED_AT = "updatedAt";
    static final String ERROR_CODE = "errorCode";
    static final String ERROR_MESSAGE = "errorMessage";
    static final String COMPLETION = "completion";
    static final String COMPLETION_PENDING = "PENDING";
    static final String COMPLETION_SENT = "SENT";
    // An Active completion claimed for sending (ReviewWorkflow): from then on a delete keeps the status.
    static final String COMPLETION_CLAIMED = "CLAIMED";
    // Direct uploads: "upload" is AWAITING until the ObjectCreated event is recorded, then RECEIVED.
    static final String UPLOAD = "upload";
    static final String UPLOAD_AWAITING = "AWAITING";
    static final String UPLOAD_RECEIVED = "RECEIVED";
    static final String UPLOAD_CONTENT_TYPE = "uploadContentType";
    static final String OBJECT_SIZE = "objectSize";
    static final String UPLOADED_AT = "uploadedAt";
    /** The ETag and version id the recorded ObjectCreated event named (what the media step copies, pinned). */
    static final String OBJECT_ETAG = "objectETag";
    static final String OBJECT_VERSION_ID = "objectVersionId";

    /** The media step's facts and the stored copy's key (AssetMedia). */
    static final String MEDIA = "media";
    /** The automated review's findings, a JSON object as text (ReviewFindings). */
    static final String FINDINGS = "findings";
    static final String VERSION = "version";
    static final String DELETED_AT = "deletedAt";
    static final String EXPIRES_AT = "expiresAt";
    static final String BATCH_SIZE = "batchSize";

    static final String LIST_SK = "listSk";
    static final String STATUS_KEY = "statusKey";
    static final String TYPE_KEY = "typeKey";
    static final String STATUS_TYPE_KEY = "statusTypeKey";
    static final String URL_KEY = "urlKey";

    /** Index names, as template.yaml declares them. */
    static final String BY_CREATED = "ByCreated";
    static final String BY_STATUS = "ByStatus";
    static final String BY_TYPE = "ByType";
    static final String BY_STATUS_TYPE = "ByStatusType";
    static final String BY_URL = "ByUrl";
    // Open reviews (OpenReviews): on a batch's first asset item, from its creation until its review ends.
    static final String REVIEW_OPEN = "reviewOpen";
    static final String REVIEW_DUE = "reviewDue";
    static final String BY_OPEN_REVIEW = "ByOpenReview";
    /** The reviewer's reference for the asset (for the upstream reviewer: the upstream's asset id) and who holds it. */
    static final String REVIEW_REF = "reviewRef";
    static final String REVIEWER = "reviewer";
    static final String REVIEW_REF_AT = "reviewRefAt";

    private AssetItems() {
    }

    static String accountPk(String accountId) {
        return "ACCOUNT#" + accountId;
    }

    static Map<String, AttributeValue> assetKey(String accountId, String assetId) {
        return Map.of(PK, s(accountPk(accountId)), SK, s("ASSET#" + assetId));
    }

    static String eventPrefix(String assetId) {
        return "ASSET#" + assetId + "#EV#";
    }

    static Map<String, AttributeValue> eventKey(String accountId, String assetId, long seq) {
        return Map.of(PK, s(accountPk(accountId)), SK, s(eventPrefix(assetId) + String.format("%08d", seq)));
    }

    static final String REUSE_ASSET_ID = "assetId";

    static Map<String, AttributeValue> reuseClaimKey(String accountId, AssetType type, String url) {
        return Map.of(PK, s(accountPk(accountId)), SK, s("REUSE#" + type.name() + "#" + sha256(url)));
    }

    static Map<String, AttributeValue> idReservationKey(String assetId) {
        return Map.of(PK, s("ASSETID#" + assetId), SK, s("ASSETID"));
    }

    static Map<String, AttributeValue> idReservation(String accountId, String assetId, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(idReservationKey(assetId));
        item.put("accountId", s(accountId));
        item.put("createdAt", n(now.toEpochMilli()));
        return item;
    }

    static String listSk(Instant createdAt, String assetId) {
        return String.format("%015d", createdAt.toEpochMilli()) + "#" + assetId;
    }

    static String statusKey(String accountId, AssetStatus status) {
        return accountPk(accountId) + "#STATUS#" + status.name();
    }

    static String typeKey(String accountId, AssetType type) {
        return accountPk(accountId) + "#TYPE#" + type.name();
    }

    static String statusTypeKey(String accountId, AssetStatus status, AssetType type) {
        return accountPk(accountId) + "#STATUS#" + status.name() + "#TYPE#" + type.name();
    }

    /** The reuse index key: the account, the type and the SHA-256 of the exact URL (URLs can be 2 KB). */
    static String urlKey(String accountId, AssetType type, String url) {
        return accountPk(accountId) + "#URL#" + type.name() + "#" + sha256(url);
    }

    static Map<String, AttributeValue> toItem(Asset a, int batchSize) {
        Map<String, AttributeValue> item = new HashMap<>(assetKey(a.accountId(), a.assetId()));
        item.put("accountId", s(a.accountId()));
        item.put("assetId", s(a.assetId()));
        item.put("assetType", s(a.assetType().name()));
        item.put("url", s(a.url()));
        if (a.name() != null) {
            item.put("name", s(a.name()));
        }
        item.put(STATUS, s(a.status().name()));
        item.put("createdAt", n(a.createdAt().toEpochMilli()));
        item.put(UPDATED_AT, n(a.updatedAt().toEpochMilli()));
        if (a.batchId() != null) {
            item.put("batchId", s(a.batchId()));
        }
        item.put(BATCH_SIZE, n(batchSize));
        item.put(VERSION, n(1));
        item.put(LIST_SK, s(listSk(a.createdAt(), a.assetId())));
        item.put(STATUS_KEY, s(statusKey(a.accountId(), a.status())));
        item.put(TYPE_KEY, s(typeKey(a.accountId(), a.assetType())));
        item.put(STATUS_TYPE_KEY, s(statusTypeKey(a.accountId(), a.status(), a.assetType())));
        if (a.status() != AssetStatus.Failed) {
            item.put(URL_KEY, s(urlKey(a.accountId(), a.assetType(), a.url())));
        }
        return item;
    }

    /** The attributes of an asset created to await its direct upload. */
    static Map<String, AttributeValue> awaitingUpload(String contentType) {
        return Map.of(UPLOAD, s(UPLOAD_AWAITING), UPLOAD_CONTENT_TYPE, s(contentType));
    }

    static AssetUpload uploadFromItem(Map<String, AttributeValue> item) {
        AttributeValue size = item.get(OBJECT_SIZE);
        return new AssetUpload(fromItem(item), UPLOAD_RECEIVED.equals(str(item, UPLOAD)),
                size == null ? -1 : Long.parseLong(size.n()), str(item, "url"), str(item, OBJECT_ETAG),
                str(item, OBJECT_VERSION_ID));
    }

    static Asset fromItem(Map<String, AttributeValue> item) {
        return new Asset(
                str(item, "accountId"),
                str(item, "assetId"),
                AssetType.valueOf(str(item, "assetType")),
                str(item, "url"),
                str(item, "name"),
                AssetStatus.valueOf(str(item, STATUS)),
                Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n())),
                Instant.ofEpochMilli(Long.parseLong(item.get(UPDATED_AT).n())),
                str(item, ERROR_CODE),
                str(item, ERROR_MESSAGE),
                str(item, "batchId"),
                COMPLETION_SENT.equals(str(item, COMPLETION)),
                item.containsKey(DELETED_AT) ? Instant.ofEpochMilli(Long.parseLong(item.get(DELETED_AT).n())) : null,
                mediaFromItem(item.get(MEDIA)),
                str(item, FINDINGS));
    }

    /** The asset's {@code media} attribute: a map of the probed facts and the stored copy's key. */
    static AttributeValue mediaToItem(AssetMedia m) {
        Map<String, AttributeValue> map = new HashMap<>();
        map.put("format", s(m.format()));
        map.put("bytes", n(m.bytes()));
        if (m.sha256() != null) {
            map.put("sha256", s(m.sha256()));
        }
        if (m.width() != null) {
            map.put("width", n(m.width()));
        }
        if (m.height() != null) {
            map.put("height", n(m.height()));
        }
        if (m.durationMs() != null) {
            map.put("durationMs", n(m.durationMs()));
        }
        if (m.fps() != null) {
            map.put("fps", AttributeValue.fromN(Double.toString(m.fps())));
        }
        if (m.storedKey() != null) {
            map.put("storedKey", s(m.storedKey()));
        }
        if (m.videoCodec() != null) {
            map.put("videoCodec", s(m.videoCodec()));
        }
        if (m.reviewKey() != null) {
            map.put("reviewKey", s(m.reviewKey()));
        }
        return AttributeValue.fromM(map);
    }

    static AssetMedia mediaFromItem(AttributeValue v) {
        if (v == null || !v.hasM()) {
            return null;
        }
        Map<String, AttributeValue> m = v.m();
        return new AssetMedia(str(m, "format"), Long.parseLong(m.get("bytes").n()), str(m, "sha256"),
                m.containsKey("width") ? Integer.valueOf(m.get("width").n()) : null,
                m.containsKey("height") ? Integer.valueOf(m.get("height").n()) : null,
                m.containsKey("durationMs") ? Long.valueOf(m.get("durationMs").n()) : null,
                m.containsKey("fps") ? Double.valueOf(m.get("fps").n()) : null,
                str(m, "storedKey"), str(m, "videoCodec"), str(m, "reviewKey"));
    }

    static long version(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(VERSION);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    static Map<String, AttributeValue> toItem(String accountId, AssetEvent e, Long expiresAtEpochSecond) {
        Map<String, AttributeValue> item = new HashMap<>(eventKey(accountId, e.assetId(), e.seq()));
        item.put("itemType", s("EVENT"));
        item.put("assetId", s(e.assetId()));
        item.put("seq", n(e.seq()));
        item.put("time", n(e.time().toEpochMilli()));
        item.put("change", s(e.change()));
        if (e.from() != null) {
            item.put("from", s(e.from().name()));
        }
        item.put("to", s(e.to().name()));
        item.put("actor", s(e.actor()));
        item.put("reason", s(e.reason()));
        if (e.errorCode() != null) {
            item.put(ERROR_CODE, s(e.errorCode()));
        }
        if (e.fromName() != null) {
            item.put("fromName", s(e.fromName()));
        }
        if (e.toName() != null) {
            item.put("toName", s(e.toName()));
        }
        if (expiresAtEpochSecond != null) {
            item.put(EXPIRES_AT, n(expiresAtEpochSecond));
        }
        return item;
    }

    static AssetEvent eventFromItem(Map<String, AttributeValue> item) {
        String from = str(item, "from");
        return new AssetEvent(
                str(item, "assetId"),
                Long.parseLong(item.get("seq").n()),
                Instant.ofEpochMilli(Long.parseLong(item.get("time").n())),
                str(item, "change"),
                from == null ? null : AssetStatus.valueOf(from),
                AssetStatus.valueOf(str(item, "to")),
                str(item, "actor"),
                str(item, "reason"),
                str(item, ERROR_CODE),
                str(item, "fromName"),
                str(item, "toName"));
    }

    static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static String sha256(String text) {
        return Sha256.hex(text);
    }
}
