package dev.assetlib.review.upstream;

/**
 * The upstream answered something this adapter does not understand although the call itself worked:
 * a status string outside {@code submitted}, {@code Processing}, {@code Active}, {@code Failed}. It is
 * reported (logged at SEVERE with both asset ids) and never read as {@code Processing}; the asset is
 * asked again next round, so a status the upstream adds later costs a delay, not the asset, and one
 * that never resolves ends at the review deadline ({@code REVIEW_TIMEOUT}).
 */
public class UpstreamProtocolException extends RuntimeException {
    public UpstreamProtocolException(String message) {
        super(message);
    }
}
