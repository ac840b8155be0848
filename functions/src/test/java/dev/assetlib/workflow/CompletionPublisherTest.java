package dev.assetlib.workflow;

import dev.assetlib.app.review.CompletionPublisher;
import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.testing.LocalDynamoDb;
import dev.assetlib.testing.LocalSqs;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Completion messages against ElasticMQ's FIFO queue. */
class CompletionPublisherTest {

    @Test
    void aRepeatedSendOfTheSameCompletionIsDeduplicatedByTheQueue() {
        try (AwsClients clients = LocalDynamoDb.clients()) {
            String queue = LocalSqs.newFifoQueue(clients.sqs());
            CompletionPublisher publisher = new CompletionPublisher(clients.sqs(), queue);
            Asset failed = new Asset("acct-a", "asset-20260330142158-q75m8", AssetType.Video, "https://example.com/v.mp4",
                    null, AssetStatus.Failed, Instant.parse("2026-03-30T14:21:58Z"), Instant.parse("2026-03-30T14:22:30Z"),
                    "REVIEW_REJECTED", "several faces", "asset-20260330142158-q75m8", false);

            publisher.publish(failed);
            publisher.publish(failed);

            var messages = LocalSqs.drain(clients.sqs(), queue);
            assertThat(messages).hasSize(1);
            assertThat(messages.get(0).body())
                    .contains("\"status\":\"Failed\"", "\"errorCode\":\"REVIEW_REJECTED\"", "\"errorMessage\":\"several faces\"",
                            "\"completedAt\":\"2026-03-30T14:22:30Z\"")
                    .doesNotContain("\"uri\"");
        }
    }
}
