// Runs prepared conformance cases through aws-local-stepfunctions and prints one JSON line per
// (case, input): the states entered, and the output or the error. ConformanceTest compares
// these with our interpreter's. Usage: node --require ./polyfill.cjs run.mjs cases.json
//
// A case is { name, definition, inputs: [...], lambdas: { fn: [response...] }, context }.
// Each Task call takes the next scripted response of its function (the last one repeats):
// { "result": any } or { "error": name, "cause": text }. lambda:invoke results are wrapped the
// way the optimized integration wraps them, since the library itself doesn't wrap overrides.
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

function functionName(nameOrArn) {
  const m = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)/.exec(nameOrArn);
  return m ? m[1] : nameOrArn;
}

function invokeResult(payload) {
  const requestId = 'request-id';
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      HttpHeaders: {
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-RequestId': requestId,
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

function handlers(testCase, calls) {
  const out = {};
  for (const [stateName, state] of Object.entries(testCase.definition.States)) {
    if (state.Type !== 'Task') continue;
    out[stateName] = async (input) => {
      const invoke = state.Resource === LAMBDA_INVOKE;
      const fn = functionName(invoke ? input.FunctionName : state.Resource);
      const script = testCase.lambdas[fn];
      if (!script) {
        const e = new Error(`Function not found: ${fn}`);
        e.name = 'Lambda.ResourceNotFoundException';
        throw e;
      }
      const n = calls[fn] ?? 0;
      calls[fn] = n + 1;
      const response = script[Math.min(n, script.length - 1)];
      if (response.error !== undefined) {
        const e = new Error(response.cause);
        e.name = response.error;
        throw e;
      }
      return invoke ? invokeResult(response.result) : response.result;
    };
  }
  return out;
}

function zeroes(definition, predicate) {
  const out = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (predicate(state)) out[name] = 0;
  }
  return out;
}

async function runOne(testCase, input, index) {
  const machine = new StateMachine(testCase.definition, {
    validationOptions: { checkPaths: false, checkArn: false },
  });
  const execution = machine.run(input, {
    overrides: {
      taskResourceLocalHandlers: handlers(testCase, {}),
      waitTimeOverrides: zeroes(testCase.definition, (s) => s.Type === 'Wait'),
      retryIntervalOverrides: zeroes(testCase.definition, (s) => Array.isArray(s.Retry)),
    },
    context: testCase.context?.[index] ?? testCase.context?.[0],
  });
  const states = [];
  let failure = null;
  const collect = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') states.push(event.state.name);
      if (event.type === 'ExecutionFailed') failure = { error: event.Error, cause: event.Cause };
    }
  })();
  let output = null;
  let status = 'SUCCEEDED';
  try {
    output = await execution.result;
  } catch (e) {
    status = 'FAILED';
  }
  await collect;
  return {
    case: testCase.name,
    input: index,
    status,
    states,
    output: status === 'SUCCEEDED' ? output : null,
    error: failure?.error ?? null,
    cause: failure?.cause ?? null,
  };
}

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const testCase of cases) {
  for (let i = 0; i < testCase.inputs.length; i++) {
    let line;
    try {
      line = await runOne(testCase, testCase.inputs[i], i);
    } catch (e) {
      line = { case: testCase.name, input: i, status: 'RUNNER_ERROR', error: String(e) };
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  }
}
