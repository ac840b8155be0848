package dev.assetlib.app.query;

import dev.assetlib.app.upload.UploadRequests;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.AssetLists;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /kyyReactApiServer/kyyVideo2/assets}: an account's assets, newest first, with the
 * filters {@code status}, {@code assetType}, {@code namePrefix}, {@code createdAfter},
 * {@code createdBefore}, a {@code limit} (default 20, at most 100) and an opaque, signed
 * {@code nextToken}. Deleted assets are in no list.
 */
public final class AssetListing {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    private static final String STATUSES = Arrays.stream(AssetStatus.values()).map(Enum::name).collect(Collectors.joining(", "));
    private static final String TYPES = Arrays.stream(AssetType.values()).map(Enum::name).collect(Collectors.joining(", "));

    private final AssetLists lists;
    private final ListTokens tokens;

    public AssetListing(AssetLists lists, ListTokens tokens) {
        this.lists = lists;
        this.tokens = tokens;
    }

    public ObjectNode list(String accountId, Map<String, String> params) {
        Map<String, String> p = params == null ? Map.of() : params;
        AssetStatus status = p.containsKey("status") ? AssetStatus.fromWire(p.get("status")).orElseThrow(() ->
                invalid("status \"" + p.get("status") + "\" is not one of " + STATUSES + " (case-sensitive)")) : null;
        AssetType type = p.containsKey("assetType") ? AssetType.fromWire(p.get("assetType")).orElseThrow(() ->
                invalid("assetType \"" + p.get("assetType") + "\" is not one of " + TYPES + " (case-sensitive)")) : null;
        String namePrefix = p.get("namePrefix");
        if (namePrefix != null && (namePrefix.isEmpty() || dev.assetlib.domain.Texts.length(namePrefix) > UploadRequests.MAX_NAME_LENGTH)) {
            throw invalid("namePrefix must be 1 to " + UploadRequests.MAX_NAME_LENGTH + " characters (case-sensitive)");
        }
        Instant after = instant(p, "createdAfter");
        Instant before = instant(p, "createdBefore");
        if (after != null && before != null && !after.isBefore(before)) {
            throw invalid("createdAfter must be earlier than createdBefore");
        }
        int limit = limit(p.get("limit"));
        String filters = "status=" + (status == null ? "" : status.name()) + "&assetType=" + (type == null ? "" : type.name())
                + "&namePrefix=" + (namePrefix == null ? "" : namePrefix)
                + "&createdAfter=" + (after == null ? "" : after.toString())
                + "&createdBefore=" + (before == null ? "" : before.toString());
        String token = p.get("nextToken");
        String position = token == null ? null : tokens.open(token, accountId, filters);

        AssetLists.Page page = lists.list(new AssetLists.Query(accountId, status, type, namePrefix, after, before, limit, position));
        ObjectNode data = JsonCodec.object();
        ArrayNode items = data.putArray("items");
        for (Asset a : page.items()) {
            items.add(AssetViews.detail(a));
        }
        if (page.next() != null) {
            data.put("nextToken", tokens.issue(accountId, filters, page.next()));
        }
        return data;
    }

    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private static Instant instant(Map<String, String> p, String name) {
        String text = p.get(name);
        if (text == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name + " \"" + text + "\" is not an ISO-8601 instant: send e.g. 2026-03-30T14:21:58Z");
        }
        // The index keys hold epoch milliseconds: years past ~292 million overflow them (and mean nothing here).
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw invalid(name + " must be between " + EARLIEST + " and " + LATEST + ", got \"" + text + "\"");
        }
        return instant;
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid("limit \"" + text + "\" must be a whole number from 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")");
    }

    private static DomainException invalid(String message) {
        return new DomainException(ErrorCode.LIST_PARAMETER_INVALID, message);
    }
}
