package dev.assetlib.store;

import dev.assetlib.domain.Asset;

/**
 * What a delete found and did.
 *
 * @param asset     the asset after the delete (or as found, when it was already deleted); null when not found
 * @param batchSize how many assets its upload created (one review covers them all)
 */
public record DeleteResult(Outcome outcome, Asset asset, int batchSize) {
    public enum Outcome { DELETED, ALREADY_DELETED, NOT_FOUND }
}
