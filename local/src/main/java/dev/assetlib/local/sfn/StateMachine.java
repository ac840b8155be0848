package dev.assetlib.local.sfn;

import java.time.Instant;

/** A created state machine: its ARN, name and loaded definition. */
record StateMachine(String arn, String name, Definition definition, Instant creationDate,
        String roleArn) {}
