package dev.assetlib.local.sfn;

/** Execution statuses, named as in the Step Functions API. */
public enum ExecutionStatus { RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED }
