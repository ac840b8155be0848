package dev.assetlib.app.limits;

import dev.assetlib.domain.RouteClass;

/**
 * The rate limit port: takes one token from the account's bucket for a route class, shared by
 * every instance of every function (the DynamoDB adapter is {@code store.DynamoRateLimiter}).
 */
public interface RateLimiter {
    /**
     * One request of {@code account} in {@code routeClass}, at most {@code perSecond} per second
     * (with a burst of one second's worth).
     */
    Decision acquire(String account, RouteClass routeClass, int perSecond);

    /**
     * @param allowed          whether the request may go on
     * @param limit            the bucket's size (requests per second)
     * @param remaining        requests left in the bucket now
     * @param resetSeconds     seconds until the bucket is full again
     * @param retryAfterSeconds when refused: seconds until one request is allowed again (at least 1)
     */
    record Decision(boolean allowed, int limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }
}
