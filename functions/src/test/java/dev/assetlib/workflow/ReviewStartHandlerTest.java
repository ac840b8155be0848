package dev.assetlib.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.assetlib.app.review.ReviewStarter;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.review.SharedReviewStart;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.FakeSfnClient;
import dev.assetlib.testing.Fixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ReviewStarterFunction's handler on the sample event (events/sqs-review-start.json), with the FAKE Step Functions client. */
class ReviewStartHandlerTest {
    private final FakeSfnClient sfn = new FakeSfnClient();
    private final ReviewStartHandler handler = new ReviewStartHandler(
            new SharedReviewStart(new ReviewStarter(sfn, Fixture.STATE_MACHINE), 100));

    @Test
    void theSampleEventsTwoUploadsOfTwoAccountsBecomeOneExecutionAndARedeliveryNone() throws Exception {
        SQSEvent event = Events.sqs("sqs-review-start.json");

        SQSBatchResponse response = handler.handleRequest(event, null);
        SQSBatchResponse again = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(sfn.started).hasSize(1);
        ReviewState input = ReviewState.fromJson(JsonCodec.parse(sfn.started.get(0).input()));
        assertThat(input.assets()).extracting(p -> p.accountId() + ":" + p.assetId()).containsExactly(
                "acct-demo:asset-20260330142158-q75m8", "acct-other:asset-20260330142158-b2x9k", "acct-other:asset-20260330142158-c7m2p");
        assertThat(sfn.started.get(0).name()).isEqualTo(ReviewStarter.sharedExecutionName(List.of(
                "asset-20260330142158-c7m2p", "asset-20260330142158-q75m8", "asset-20260330142158-b2x9k")));
    }

    @Test
    void aMessageThatIsNotAReviewInputIsReportedAloneAndTheOthersStart() {
        SQSEvent event = Events.sqs("sqs-review-start.json");
        SQSEvent.SQSMessage garbage = new SQSEvent.SQSMessage();
        garbage.setMessageId("garbage-1");
        garbage.setBody("{\"assetType\":\"Image\"}");
        List<SQSEvent.SQSMessage> records = new ArrayList<>(event.getRecords());
        records.add(garbage);
        event.setRecords(records);

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("garbage-1");
        assertThat(sfn.started).hasSize(1);
    }
}
