package dev.assetlib.bench.scale;

import java.util.List;

/**
 * A default AWS quota the review path runs into, for us-east-1 (one of the three largest Step
 * Functions and SQS regions), with where it is written down. RATE quotas are per second (a token
 * bucket of {@code burst} tokens refilled at {@code limit} a second where AWS documents one), LEVEL
 * quotas cap how many exist at once.
 */
public record Quota(String key, String name, Kind kind, double limit, double burst, String source) {
    public enum Kind { RATE, LEVEL }

    static final String SFN = "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html";
    static final String LAMBDA = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";
    static final String DDB = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html";
    static final String DDB_PARTITION = "https://repost.aws/knowledge-center/on-demand-table-throttling-dynamodb";
    static final String SQS_MESSAGES = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html";
    static final String SQS_QUEUES = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html";
    static final String APIGW = "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html";

    public static final Quota START_EXECUTION = new Quota("startExecution", "StartExecution (Standard)", Kind.RATE, 300, 1_300, SFN);
    public static final Quota STATE_TRANSITIONS = new Quota("stateTransitions", "state transitions (Standard)", Kind.RATE, 5_000, 5_000, SFN);
    public static final Quota OPEN_EXECUTIONS = new Quota("openExecutions", "open executions", Kind.LEVEL, 1_000_000, 0, SFN);
    public static final Quota LAMBDA_CONCURRENCY = new Quota("lambdaConcurrency", "Lambda concurrency (all functions)", Kind.LEVEL, 1_000, 0, LAMBDA);
    public static final Quota TABLE_WRITES = new Quota("tableWrites", "DynamoDB write request units, per table", Kind.RATE, 40_000, 0, DDB);
    public static final Quota TABLE_READS = new Quota("tableReads", "DynamoDB read request units, per table", Kind.RATE, 40_000, 0, DDB);
    public static final Quota PARTITION_WRITES = new Quota("partitionWrites", "DynamoDB WRU, busiest account's partition", Kind.RATE, 1_000, 0, DDB_PARTITION);
    public static final Quota COMPLETION_SENDS = new Quota("completionSends", "SQS FIFO completion sends (API calls, high-throughput mode)", Kind.RATE, 70_000, 0, SQS_MESSAGES);
    public static final Quota START_QUEUE_IN_FLIGHT = new Quota("startQueueInFlight", "SQS review-start queue, in-flight messages (standard)", Kind.LEVEL, 120_000, 0, SQS_QUEUES);
    public static final Quota API_REQUESTS = new Quota("apiRequests", "API Gateway requests (account, all APIs)", Kind.RATE, 10_000, 5_000, APIGW);

    /** Every quota the simulation measures, in the order the tables show them. */
    public static final List<Quota> MODELLED = List.of(START_EXECUTION, STATE_TRANSITIONS, OPEN_EXECUTIONS, LAMBDA_CONCURRENCY,
            TABLE_WRITES, TABLE_READS, PARTITION_WRITES, COMPLETION_SENDS, START_QUEUE_IN_FLIGHT, API_REQUESTS);
}
