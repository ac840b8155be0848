package dev.assetlib.review;

/** One asset under review: our id and the reviewer's reference for it, by which it is asked. */
public record ReviewTicket(String assetId, String reviewRef) {
}
