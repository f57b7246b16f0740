// The order workflow (gateway/workflow/order-workflow.asl.json), checked statically: valid ASL by
// asl-validator once the stack's substitutions are in, every transition target present and every state
// reachable, and the kitchen step's shape. Its paths run on the local engine, with the gateway's real
// answers, in tests/KitchenButton.StepFunctions.Tests/OrderWorkflow.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import aslValidator from "asl-validator";
import { targets, isExpression, allStates } from "./asl-graph.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");
const source = readFileSync(path.join(root, "gateway/workflow/order-workflow.asl.json"), "utf8");

// The stack's DefinitionSubstitutions (KitchenButton.Infrastructure asserts it provides exactly these).
const substitutions = {
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
