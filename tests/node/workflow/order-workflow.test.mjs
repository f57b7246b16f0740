// The order workflow (gateway/workflow/order-workflow.asl.json): validated with asl-validator, its
// state graph checked, and every JSONata expression evaluated by the reference engine along the
// success, problem, timeout and rejection paths, for one station and for several, with realistic
// inputs, $states context and the gateway's real callback payloads (tests/vectors/callback-v1.json).
// It also counts the state transitions of each path, which docs/cost.md prices.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import aslValidator from "asl-validator";
import { execute, targets, isExpression, allStates } from "./asl-jsonata.mjs";

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
  MaxStationsPerOrder: "10",
  MetricNamespace: "KitchenButton/test",
  KitchenAlertTopicArn: "arn:aws:sns:eu-west-1:123456789012:kb-test-kitchen-alerts",
};

function substitute(text, values) {
  return text.replace(/\$\{([A-Za-z0-9]+)\}/g, (whole, name) => {
    assert.ok(name in values, `no substitution for \${${name}}`);
    return values[name];
  });
}

const definition = JSON.parse(substitute(source, substitutions));
const states = allStates(definition);
const executionArn = "arn:aws:states:eu-west-1:123456789012:execution:orders:exec-1";

const order = {
  orderId: "ord-1001",
  station: "pizza",
  items: [
    { name: "margherita", qty: 2 },
    { name: "tiramisu", qty: 1 },
  ],
  customer: { name: "Ada", table: 12 },
};

// Tony's Pizza: one order, three stations.
const bigOrder = {
  orderId: "ord-2002",
  items: [
    { name: "margherita", qty: 1, station: "pizza" },
    { name: "caesar salad", qty: 2, station: "salad" },
    { name: "lemonade", qty: 3, station: "drinks" },
    { name: "diavola", qty: 1, station: "pizza" },
  ],
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

const defaultStations = {
  pizza: { stationId: { S: "pizza" }, name: { S: "Pizza" }, timeoutSeconds: { N: "900" } },
  salad: { stationId: { S: "salad" }, name: { S: "Salad" }, timeoutSeconds: { N: "600" } },
  drinks: { stationId: { S: "drinks" }, name: { S: "Drinks" } },
};

/**
 * Answers tasks as AWS would, with the kitchen step answered by `kitchen(attempt, args, info)`
 * (attempt counts the waits parked at that args' station).
 */
function aws({ stations = defaultStations, kitchen }) {
  const attempts = {};
  const calls = [];
  const answer = async (name, resource, args, info) => {
    calls.push({ name, resource, args, info });
    switch (resource) {
      case "arn:aws:states:::dynamodb:getItem": {
        const item = stations[args.Key.stationId.S];
        return { result: item ? { Item: item } : {} };
      }
      case "arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken": {
        const station = args.Item.stationId.S;
        attempts[station] = (attempts[station] ?? 0) + 1;
        return kitchen(attempts[station], args, info);
      }
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
  broken.States.PrepareAtStations.ItemProcessor.States.WaitForKitchenPrep.Parameters = { "x.$": "$.y" };
  assert.equal(aslValidator(broken).isValid, false);
});

test("every transition target exists, every state is reachable, and state names are unique across scopes", () => {
  const scopes = [definition];
  let total = 0;
  while (scopes.length) {
    const machine = scopes.shift();
    const names = Object.keys(machine.States);
    total += names.length;
    const reached = new Set([machine.StartAt]);
    const queue = [machine.StartAt];
    while (queue.length) {
      const state = machine.States[queue.shift()];
      for (const next of targets(state)) {
        assert.ok(names.includes(next), `missing target ${next}`);
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
      if (state.ItemProcessor) scopes.push(state.ItemProcessor);
    }
    assert.deepEqual([...reached].sort(), names.sort());
  }
  assert.equal(Object.keys(states).length, total, "Step Functions needs every state name unique in the whole definition");
});

test("the kitchen step is the callback SDK integration; timeouts are handled per station, anything else fails the whole order", () => {
  const wait = states.WaitForKitchenPrep;
  assert.equal(wait.Resource, "arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken");
  assert.deepEqual(wait.Catch.map((c) => [c.ErrorEquals, c.Next]), [[["States.Timeout"], "RemoveTimedOutTicket"]]);
  assert.ok(isExpression(wait.TimeoutSeconds));
  for (const retry of wait.Retry) {
    assert.ok(!retry.ErrorEquals.includes("States.Timeout") && !retry.ErrorEquals.includes("Kitchen.PrepProblem") && !retry.ErrorEquals.includes("States.ALL"));
  }
  assert.deepEqual(states.PrepareAtStations.Catch.map((c) => [c.ErrorEquals, c.Next]), [[["States.ALL"], "WithdrawTickets"]]);
});

test("success path: the ticket the kitchen step writes, and the ready order", async () => {
  const { answer, calls } = aws({ kitchen: pressed });
  const run = await execute(definition, order, { answer, clock: steppingClock() });

  assert.equal(run.status, "SUCCEEDED");
  assert.deepEqual(run.trace.map((t) => t.state), [
    "ValidateOrder", "LookUpStations", "LookUpStation", "CheckStations", "TakePaymentPlaceholder", "PrepareAtStations", "WaitForKitchenPrep",
    "MarkReady", "HandOverPlaceholder", "OrderReady",
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
      // When this ticket was parked: a press made before it is not for it.
      parkedAt: { S: wait.info.enteredTime },
      // What the order-cleanup function finds the ticket by when the execution ends abnormally.
      executionArn: { S: executionArn },
      expiresAt: { N: String(Math.floor(Date.parse(wait.info.enteredTime) / 1000) + 900) },
    },
  });

  assert.deepEqual(run.output, {
    orderId: "ord-1001",
    station: "pizza",
    stations: ["pizza"],
    status: "ready",
    readyAt: "2026-11-25T12:02:03Z",
    confirmedBy: "pizza-oven-1",
    // Pressed at 12:02:03, ticket cut at 12:00:01.
    waitedSeconds: 122,
  });
});

test("the wait defaults to the stack's timeout when the station sets none, and an order may override it", async () => {
  const bare = aws({ stations: { pizza: { stationId: { S: "pizza" } } }, kitchen: pressed });
  await execute(definition, order, { answer: bare.answer, clock: steppingClock() });
  assert.equal(bare.calls.find((c) => c.name === "WaitForKitchenPrep").info.timeoutSeconds, 1800);

  const rushed = aws({ kitchen: pressed });
  await execute(definition, { ...order, prepTimeoutSeconds: 600 }, { answer: rushed.answer, clock: steppingClock() });
  const wait = rushed.calls.find((c) => c.name === "WaitForKitchenPrep");
  assert.equal(wait.info.timeoutSeconds, 600);
  assert.equal(wait.args.Item.expiresAt.N, String(Math.floor(Date.parse(wait.info.enteredTime) / 1000) + 600));
});

test("problem path: a long press withdraws the ticket, alerts the kitchen and fails the order with the gateway's cause", async () => {
  const { answer, calls } = aws({ kitchen: problem });
  const run = await execute(definition, order, { answer, clock: steppingClock() });

  assert.equal(run.status, "FAILED");
  assert.equal(run.error, "Kitchen.PrepProblem");
  assert.equal(run.cause, callback.failure.cause);
  assert.deepEqual(run.trace.map((t) => t.state).slice(-6), ["WaitForKitchenPrep", "WithdrawTickets", "WithdrawTicket", "RouteFailure", "AlertPrepProblem", "OrderNeedsAttention"]);
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
  const names = run.trace.map((t) => t.state);
  assert.deepEqual(names.slice(6), [
    "WaitForKitchenPrep", "RemoveTimedOutTicket", "CountKitchenTimeout", "AlertKitchenTimeout", "RetryOrGiveUp", "RequeueOrder",
    "WaitForKitchenPrep", "RemoveTimedOutTicket", "CountKitchenTimeout", "AlertKitchenTimeout", "RetryOrGiveUp", "StationTimedOut",
    "WithdrawTickets", "WithdrawTicket", "RouteFailure", "KitchenTimedOut",
  ]);

  const waits = calls.filter((c) => c.name === "WaitForKitchenPrep");
  const removes = calls.filter((c) => c.name === "RemoveTimedOutTicket" || c.name === "WithdrawTicket");
  assert.equal(waits.length, 2);
  // Same queue key both times: the re-parked order keeps its place; each removal targets that ticket.
  assert.equal(waits[0].args.Item.queueKey.S, waits[1].args.Item.queueKey.S);
  assert.notEqual(waits[0].info.token, waits[1].info.token);
  // ...but is dated anew: a press made before it was re-parked is not for it.
  assert.equal(waits[1].args.Item.parkedAt.S, waits[1].info.enteredTime);
  assert.ok(waits[1].args.Item.parkedAt.S > waits[0].args.Item.parkedAt.S);
  assert.equal(removes.length, 3);
  for (const r of removes) {
    assert.deepEqual(r.args, { TableName: "kb-test-pending-tasks", Key: { stationId: { S: "pizza" }, queueKey: waits[0].args.Item.queueKey } });
  }

  const metric = calls.find((c) => c.name === "CountKitchenTimeout");
  assert.deepEqual(metric.args, {
    Namespace: "KitchenButton/test",
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
  const { answer, calls } = aws({ kitchen: pressed });
  const run = await execute(definition, { ...order, station: "sushi" }, { answer, clock: steppingClock() });
  assert.equal(run.error, "Order.UnknownStation");
  assert.equal(run.cause, "There is no kitchen station sushi");
  assert.equal(calls.filter((c) => c.name === "WaitForKitchenPrep").length, 0);
});

for (const [name, timeout] of [["not a number", "soon"], ["under a minute", "30"], ["over a day", "90000"], ["not whole", "90.5"]]) {
  test(`a station whose timeoutSeconds is ${name} fails the order clearly before anything is parked`, async () => {
    const stations = { ...defaultStations, pizza: { stationId: { S: "pizza" }, timeoutSeconds: { N: timeout } } };
    const { answer, calls } = aws({ stations, kitchen: pressed });
    const run = await execute(definition, order, { answer, clock: steppingClock() });
    assert.equal(run.error, "Order.InvalidStationTimeout");
    assert.equal(run.cause, "The timeoutSeconds of station pizza must be a whole number from 60 to 86400");
    assert.equal(calls.filter((c) => c.name === "WaitForKitchenPrep").length, 0);
  });
}

test("several stations: one wait each, same queue key, each station's own items and timeout; ready when all have pressed", async () => {
  const pressedAt = { pizza: "2026-11-25T12:09:00Z", salad: "2026-11-25T12:04:00Z", drinks: "2026-11-25T12:01:00Z" };
  const { answer, calls } = aws({
    kitchen: (attempt, args) => ({ result: { ...JSON.parse(callback.success.output), pressedAt: pressedAt[args.Item.stationId.S], thing: `${args.Item.stationId.S}-1` } }),
  });
  const run = await execute(definition, bigOrder, { answer, clock: steppingClock() });

  assert.equal(run.status, "SUCCEEDED");
  const waits = calls.filter((c) => c.name === "WaitForKitchenPrep");
  assert.deepEqual(waits.map((w) => w.args.Item.stationId.S), ["pizza", "salad", "drinks"]);
  assert.equal(new Set(waits.map((w) => w.args.Item.queueKey.S)).size, 1);
  assert.deepEqual(waits.map((w) => w.args.Item.summary.S), ["1x margherita, 1x diavola", "2x caesar salad", "3x lemonade"]);
  assert.deepEqual(waits.map((w) => w.info.timeoutSeconds), [900, 600, 1800]);
  assert.equal(run.output.status, "ready");
  assert.deepEqual(run.output.stations, ["pizza", "salad", "drinks"]);
  assert.equal(run.output.station, "pizza");
  assert.equal(run.output.readyAt, "2026-11-25T12:09:00Z", "ready when the last station pressed");
  assert.equal(run.output.confirmedBy, "pizza-1");
});

test("several stations: a long press at one withdraws the order from every station and fails it", async () => {
  const { answer, calls } = aws({ kitchen: (attempt, args) => (args.Item.stationId.S === "salad" ? problem() : pressed()) });
  const run = await execute(definition, bigOrder, { answer, clock: steppingClock() });

  assert.equal(run.status, "FAILED");
  assert.equal(run.error, "Kitchen.PrepProblem");
  const queueKey = calls.find((c) => c.name === "WaitForKitchenPrep").args.Item.queueKey;
  assert.deepEqual(calls.filter((c) => c.name === "WithdrawTicket").map((c) => c.args), ["pizza", "salad", "drinks"].map((station) => ({
    TableName: "kb-test-pending-tasks", Key: { stationId: { S: station }, queueKey },
  })));
  assert.equal(calls.filter((c) => c.name === "AlertPrepProblem").length, 1);
});

test("several stations: one station out of attempts withdraws the order everywhere", async () => {
  const { answer, calls } = aws({ kitchen: (attempt, args) => (args.Item.stationId.S === "drinks" ? timedOut() : pressed()) });
  const run = await execute(definition, bigOrder, { answer, clock: steppingClock() });

  assert.equal(run.error, "Kitchen.Timeout");
  assert.equal(run.cause, "Order ord-2002 was not prepared at station drinks in time");
  assert.deepEqual(calls.filter((c) => c.name === "WithdrawTicket").map((c) => c.args.Key.stationId.S), ["pizza", "salad", "drinks"]);
  assert.equal(calls.filter((c) => c.name === "AlertKitchenTimeout").length, 2);
});

test("several stations: an unknown one among them refuses the order before anything is parked", async () => {
  const { answer, calls } = aws({ kitchen: pressed });
  const run = await execute(definition, { ...bigOrder, items: [...bigOrder.items, { name: "maki", qty: 1, station: "sushi" }] }, { answer, clock: steppingClock() });
  assert.equal(run.error, "Order.UnknownStation");
  assert.equal(run.cause, "There is no kitchen station sushi");
  assert.equal(calls.filter((c) => c.name === "WaitForKitchenPrep").length, 0);
});

test("an operator stop is cleaned up outside the workflow: every ticket carries its execution and the order names its stations", async () => {
  // An aborted execution runs none of its own states again; the OrderCleanup function (EventBridge,
  // tested in the gateway suite) reads the stations from the execution input, as ValidateOrder does,
  // and deletes the tickets whose executionArn is the ended execution.
  const { answer, calls } = aws({ kitchen: pressed });
  await execute(definition, bigOrder, { answer, clock: steppingClock() });
  const waits = calls.filter((c) => c.name === "WaitForKitchenPrep");
  assert.ok(waits.every((w) => w.args.Item.executionArn.S === executionArn));
  const fromInput = [...new Set(bigOrder.items.map((i) => i.station ?? bigOrder.station))];
  assert.deepEqual(waits.map((w) => w.args.Item.stationId.S), fromInput);
});

// The state transitions each path costs (Step Functions Standard bills every state entered,
// Map and inner states included); docs/cost.md prices these exact figures.
export async function transitionsPerOrder() {
  const single = aws({ kitchen: pressed });
  const one = await execute(definition, order, { answer: single.answer, clock: steppingClock() });
  const multi = aws({ kitchen: pressed });
  const three = await execute(definition, bigOrder, { answer: multi.answer, clock: steppingClock() });
  return { oneStation: one.trace.length, threeStations: three.trace.length };
}

test("docs/cost.md prices the transitions the definition really takes", async () => {
  const { oneStation, threeStations } = await transitionsPerOrder();
  const doc = readFileSync(path.join(root, "docs/cost.md"), "utf8");
  const figure = (label) => {
    const row = doc.match(new RegExp(`\\| ${label} \\| (\\d+) \\|`));
    assert.ok(row, `docs/cost.md has no row "| ${label} | N |"`);
    return Number(row[1]);
  };
  assert.equal(figure("transitions per order, one station"), oneStation);
  assert.equal(figure("transitions per order, three stations"), threeStations);
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
  ["prep timeout not whole", { ...order, prepTimeoutSeconds: 90.5 }],
  ["an item with no station and no order station", { orderId: "ord-3", items: [{ name: "margherita", qty: 1 }] }],
  ["an item station with a space", { orderId: "ord-3", items: [{ name: "margherita", qty: 1, station: "pizza oven" }] }],
  ["more stations than one order may use", { orderId: "ord-3", items: Array.from({ length: 11 }, (_, i) => ({ name: "x", qty: 1, station: `s${i}` })) }],
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
