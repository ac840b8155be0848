package dev.assetlib.store;

import dev.assetlib.domain.Asset;
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
    /** The reviewer's reference for the asset (for the upstream reviewer: the upstream's asset id) and who holds it. */
    static final String REVIEW_REF = "reviewRef";
    static final String REVIEWER = "reviewer";
    static final String REVIEW_REF_AT = "reviewRefAt";

    private AssetItems() {
    }

    static Map<String, AttributeValue> assetKey(String accountId, String assetId) {
        return Map.of(PK, s("ACCOUNT#" + accountId), SK, s("ASSET#" + assetId));
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

    static Map<String, AttributeValue> toItem(Asset a) {
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
        return item;
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
                COMPLETION_SENT.equals(str(item, COMPLETION)));
    }

    static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
