// The order workflow (gateway/workflow/order-workflow.asl.json): validated with asl-validator, its
// state graph checked, and every JSONata expression evaluated by the reference engine along the
// success, problem, timeout and rejection paths, with realistic inputs, $states context and the
// gateway's real callback payloads (tests/vectors/callback-v1.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import aslValidator from "asl-validator";
import { execute, targets, isExpression } from "./asl-jsonata.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");
const source = readFileSync(path.join(root, "gateway/workflow/order-workflow.asl.json"), "utf8");
const callback = JSON.parse(readFileSync(path.join(root, "tests/vectors/callback-v1.json"), "utf8"));

// The stack's DefinitionSubstitutions (KitchenButton.Infrastructure asserts it provides exactly these).
export const substitutions = {
  StationsTable: "kb-test-stations",
  PendingTasksTable: "kb-test-pending-tasks",
  DefaultPrepTimeoutSeconds: "1800",
  MaxPrepAttempts: "2",
  MetricNamespace: "KitchenButton",
  KitchenAlertTopicArn: "arn:aws:sns:eu-west-1:123456789012:kb-test-kitchen-alerts",
};

function substitute(text, values) {
  return text.replace(/\$\{([A-Za-z0-9]+)\}/g, (whole, name) => {
    assert.ok(name in values, `no substitution for \${${name}}`);
    return values[name];
  });
}

const definition = JSON.parse(substitute(source, substitutions));

const order = {
  orderId: "ord-1001",
  station: "pizza",
  items: [
    { name: "margherita", qty: 2 },
    { name: "tiramisu", qty: 1 },
  ],
  customer: { name: "Ada", table: 12 },
};

/** A clock that moves 250 ms per state, from 2026-11-25T12:00:00.000Z. */
function steppingClock(startMs = Date.UTC(2026, 10, 25, 12, 0, 0)) {
  let t = startMs;
  return () => {
    const now = new Date(t).toISOString();
    t += 250;
    return now;
  };
}

/** Answers tasks as AWS would, with the kitchen step answered by `kitchen(attempt, args, info)`. */
function aws({ station = { stationId: { S: "pizza" }, name: { S: "Pizza" }, timeoutSeconds: { N: "900" } }, kitchen }) {
  let attempt = 0;
  const calls = [];
  const answer = async (name, resource, args, info) => {
    calls.push({ name, resource, args, info });
    switch (resource) {
      case "arn:aws:states:::dynamodb:getItem":
        return { result: station ? { Item: station } : {} };
      case "arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken":
        attempt += 1;
        return kitchen(attempt, args, info);
      case "arn:aws:states:::dynamodb:deleteItem":
      case "arn:aws:states:::aws-sdk:cloudwatch:putMetricData":
        return { result: {} };
      case "arn:aws:states:::sns:publish":
        return { result: { MessageId: "m-1" } };
      default:
        throw new Error(`unexpected resource ${resource}`);
    }
  };
  return { answer, calls };
}

const pressed = () => ({ result: JSON.parse(callback.success.output) });
const problem = () => ({ error: callback.failure.error, cause: callback.failure.cause });
const timedOut = () => ({ error: "States.Timeout", cause: "" });

test("the definition is valid ASL once the stack's substitutions are in", () => {
  // The validator writes defaults into what it is given: hand it a copy.
  const { isValid, errors } = aslValidator(structuredClone(definition));
  assert.deepEqual(errors, []);
  assert.equal(isValid, true);
  assert.equal(definition.QueryLanguage, "JSONata");
  assert.doesNotMatch(JSON.stringify(definition), /\$\{/);
});

test("the validator does catch a broken definition (so the check above means something)", () => {
  const broken = structuredClone(definition);
  broken.States.MarkReady.Next = "NoSuchState";
  broken.States.WaitForKitchenPrep.Parameters = { "x.$": "$.y" };
  assert.equal(aslValidator(broken).isValid, false);
});

test("every transition target exists and every state is reachable", () => {
  const names = Object.keys(definition.States);
  const reached = new Set([definition.StartAt]);
  const queue = [definition.StartAt];
  while (queue.length) {
    const state = definition.States[queue.shift()];
    for (const next of targets(state)) {
      assert.ok(names.includes(next), `missing target ${next}`);
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  assert.deepEqual([...reached].sort(), names.sort());
});

test("the kitchen step is the callback SDK integration and catches timeout and prep problems", () => {
  const wait = definition.States.WaitForKitchenPrep;
  assert.equal(wait.Resource, "arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken");
  assert.deepEqual(wait.Catch.map((c) => [c.ErrorEquals, c.Next]), [
    [["States.Timeout"], "RemoveTimedOutTicket"],
    [["Kitchen.PrepProblem"], "AlertPrepProblem"],
  ]);
  assert.ok(isExpression(wait.TimeoutSeconds));
  for (const retry of wait.Retry) {
    assert.ok(!retry.ErrorEquals.includes("States.Timeout") && !retry.ErrorEquals.includes("Kitchen.PrepProblem") && !retry.ErrorEquals.includes("States.ALL"));
  }
});

test("success path: the ticket the kitchen step writes, and the ready order", async () => {
  const { answer, calls } = aws({ kitchen: pressed });
  const run = await execute(definition, order, { answer, clock: steppingClock() });

  assert.equal(run.status, "SUCCEEDED");
  assert.deepEqual(run.trace.map((t) => t.state), [
    "ValidateOrder", "LookUpStation", "CheckStation", "TakePaymentPlaceholder", "WaitForKitchenPrep", "MarkReady", "HandOverPlaceholder", "OrderReady",
  ]);

  const lookup = calls.find((c) => c.name === "LookUpStation");
  assert.deepEqual(lookup.args, { TableName: "kb-test-stations", Key: { stationId: { S: "pizza" } }, ConsistentRead: true });

  const ticketTime = run.trace.find((t) => t.state === "TakePaymentPlaceholder").enteredTime;
  const wait = calls.find((c) => c.name === "WaitForKitchenPrep");
  assert.equal(wait.info.timeoutSeconds, 900, "the station's own timeout");
  assert.deepEqual(wait.args, {
    TableName: "kb-test-pending-tasks",
    Item: {
      stationId: { S: "pizza" },
      queueKey: { S: `${ticketTime}#ord-1001` },
      orderId: { S: "ord-1001" },
      summary: { S: "2x margherita, 1x tiramisu" },
      taskToken: { S: wait.info.token },
      enqueuedAt: { S: ticketTime },
      expiresAt: { N: String(Math.floor(Date.parse(wait.info.enteredTime) / 1000) + 900) },
    },
  });

  assert.deepEqual(run.output, {
    orderId: "ord-1001",
    station: "pizza",
    status: "ready",
    readyAt: "2026-11-25T12:02:03Z",
    confirmedBy: "pizza-oven-1",
    // Pressed at 12:02:03, ticket cut at 12:00:00.750.
    waitedSeconds: 122,
  });
});

test("the wait defaults to the stack's timeout when the station sets none, and an order may override it", async () => {
  const bare = aws({ station: { stationId: { S: "pizza" } }, kitchen: pressed });
  await execute(definition, order, { answer: bare.answer, clock: steppingClock() });
  assert.equal(bare.calls.find((c) => c.name === "WaitForKitchenPrep").info.timeoutSeconds, 1800);

  const rushed = aws({ kitchen: pressed });
  await execute(definition, { ...order, prepTimeoutSeconds: 600 }, { answer: rushed.answer, clock: steppingClock() });
  const wait = rushed.calls.find((c) => c.name === "WaitForKitchenPrep");
  assert.equal(wait.info.timeoutSeconds, 600);
  assert.equal(wait.args.Item.expiresAt.N, String(Math.floor(Date.parse(wait.info.enteredTime) / 1000) + 600));
});

test("problem path: a long press alerts the kitchen and fails the order with the gateway's cause", async () => {
  const { answer, calls } = aws({ kitchen: problem });
  const run = await execute(definition, order, { answer, clock: steppingClock() });

  assert.equal(run.status, "FAILED");
  assert.equal(run.error, "Kitchen.PrepProblem");
  assert.equal(run.cause, callback.failure.cause);
  assert.deepEqual(run.trace.map((t) => t.state).slice(-3), ["WaitForKitchenPrep", "AlertPrepProblem", "OrderNeedsAttention"]);
  const alert = calls.find((c) => c.name === "AlertPrepProblem");
  assert.equal(alert.args.TopicArn, substitutions.KitchenAlertTopicArn);
  assert.equal(alert.args.Subject, "KitchenButton: problem with order ord-1001");
  assert.equal(alert.args.Message, `Order ord-1001 (2x margherita, 1x tiramisu) at station pizza: ${callback.failure.cause}`);
});

test("timeout path: the ticket is removed, counted, alerted, and the order re-parked in its place once", async () => {
  const { answer, calls } = aws({ kitchen: timedOut });
  const run = await execute(definition, order, { answer, clock: steppingClock() });

  assert.equal(run.status, "FAILED");
  assert.equal(run.error, "Kitchen.Timeout");
  assert.equal(run.cause, "Order ord-1001 was not prepared at station pizza in time");
  const states = run.trace.map((t) => t.state);
  assert.deepEqual(states.slice(4), [
    "WaitForKitchenPrep", "RemoveTimedOutTicket", "CountKitchenTimeout", "AlertKitchenTimeout", "RetryOrGiveUp", "RequeueOrder",
    "WaitForKitchenPrep", "RemoveTimedOutTicket", "CountKitchenTimeout", "AlertKitchenTimeout", "RetryOrGiveUp", "KitchenTimedOut",
  ]);

  const waits = calls.filter((c) => c.name === "WaitForKitchenPrep");
  const removes = calls.filter((c) => c.name === "RemoveTimedOutTicket");
  assert.equal(waits.length, 2);
  // Same queue key both times: the re-parked order keeps its place; each removal targets that ticket.
  assert.equal(waits[0].args.Item.queueKey.S, waits[1].args.Item.queueKey.S);
  assert.notEqual(waits[0].info.token, waits[1].info.token);
  for (const r of removes) {
    assert.deepEqual(r.args, { TableName: "kb-test-pending-tasks", Key: { stationId: { S: "pizza" }, queueKey: waits[0].args.Item.queueKey } });
  }

  const metric = calls.find((c) => c.name === "CountKitchenTimeout");
  assert.deepEqual(metric.args, {
    Namespace: "KitchenButton",
    MetricData: [
      { MetricName: "KitchenTimeouts", Unit: "Count", Value: 1 },
      { MetricName: "KitchenTimeouts", Unit: "Count", Value: 1, Dimensions: [{ Name: "Station", Value: "pizza" }] },
    ],
  });
  const alerts = calls.filter((c) => c.name === "AlertKitchenTimeout").map((c) => c.args.Message);
  assert.deepEqual(alerts, [
    "Order ord-1001 (2x margherita, 1x tiramisu) waited 900 s at station pizza without a button press (attempt 1 of 2).",
    "Order ord-1001 (2x margherita, 1x tiramisu) waited 900 s at station pizza without a button press (attempt 2 of 2).",
  ]);
});

test("a press after one timeout still completes the order", async () => {
  const { answer } = aws({ kitchen: (attempt) => (attempt === 1 ? timedOut() : pressed()) });
  const run = await execute(definition, order, { answer, clock: steppingClock() });
  assert.equal(run.status, "SUCCEEDED");
  assert.equal(run.output.confirmedBy, "pizza-oven-1");
});

test("a metrics outage does not stop the timeout path", async () => {
  const base = aws({ kitchen: timedOut });
  const answer = (name, ...rest) => (name === "CountKitchenTimeout" ? { error: "CloudWatch.InternalServiceException", cause: "down" } : base.answer(name, ...rest));
  const run = await execute(definition, order, { answer, clock: steppingClock() });
  assert.equal(run.error, "Kitchen.Timeout");
  assert.equal(base.calls.filter((c) => c.name === "AlertKitchenTimeout").length, 2);
});

test("an unknown station is refused before anything is parked", async () => {
  const { answer, calls } = aws({ station: null, kitchen: pressed });
  const run = await execute(definition, { ...order, station: "sushi" }, { answer, clock: steppingClock() });
  assert.equal(run.error, "Order.UnknownStation");
  assert.equal(run.cause, "There is no kitchen station sushi");
  assert.equal(calls.filter((c) => c.name === "WaitForKitchenPrep").length, 0);
});

const invalidOrders = [
  ["no order id", { ...order, orderId: undefined }],
  ["empty order id", { ...order, orderId: "" }],
  ["order id with spaces", { ...order, orderId: "ord 1" }],
  ["numeric station", { ...order, station: 7 }],
  ["station with a slash", { ...order, station: "pizza/oven" }],
  ["no items", { ...order, items: [] }],
  ["items not an array", { ...order, items: { name: "x", qty: 1 } }],
  ["item without a name", { ...order, items: [{ qty: 1 }] }],
  ["zero quantity", { ...order, items: [{ name: "margherita", qty: 0 }] }],
  ["quantity as text", { ...order, items: [{ name: "margherita", qty: "2" }] }],
  ["prep timeout too short", { ...order, prepTimeoutSeconds: 5 }],
  ["prep timeout as text", { ...order, prepTimeoutSeconds: "600" }],
];

for (const [name, input] of invalidOrders) {
  test(`an invalid order is rejected: ${name}`, async () => {
    const { answer, calls } = aws({ kitchen: pressed });
    const run = await execute(definition, JSON.parse(JSON.stringify(input)), { answer, clock: steppingClock() });
    assert.equal(run.status, "FAILED");
    assert.equal(run.error, "Order.Invalid");
    assert.equal(calls.length, 0);
  });
}
