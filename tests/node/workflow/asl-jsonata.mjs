// A small executor for the subset of the Amazon States Language the order workflow uses, in JSONata
// mode: Pass, Task, Choice, Map (inline), Succeed and Fail states with Arguments, Output, Assign,
// Condition, Items, TimeoutSeconds and Catch. Every "{% ... %}" is evaluated by the reference jsonata
// engine (the version Step Functions implements) with $states and the workflow variables bound, so the
// tests assert what each expression really produces. Tasks are answered by the test. Map iterations
// run one after another in their own variable scope (they read the outer variables, their Assign
// stays inside), and the first failing iteration fails the Map with its error, as Step Functions does
// (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html). The trace lists
// every state entered, inner states included: that is what Step Functions bills as transitions.
import jsonata from "jsonata";

const EXPRESSION = /^\{%([\s\S]*)%\}$/;

export function isExpression(value) {
  return typeof value === "string" && EXPRESSION.test(value);
}

/** Evaluates every JSONata expression inside a field value (objects and arrays at any depth). */
export async function evaluateField(value, bindings) {
  if (isExpression(value)) {
    const source = value.match(EXPRESSION)[1];
    const result = await jsonata(source).evaluate(undefined, bindings);
    if (result === undefined) {
      throw Object.assign(new Error(`expression produced no value: ${source.trim()}`), { name: "States.QueryEvaluationError" });
    }
    return normalise(result);
  }
  if (Array.isArray(value)) {
    return Promise.all(value.map((v) => evaluateField(v, bindings)));
  }
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = await evaluateField(v, bindings);
    }
    return out;
  }
  return value;
}

// jsonata returns arrays with extra properties (sequences); compare plain JSON.
function normalise(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function matches(errorEquals, error) {
  return errorEquals.includes(error) || (errorEquals.includes("States.ALL") && error !== "States.Runtime");
}

/** A variable scope: reads fall through to the outer scopes, Assign writes here. */
function scope(parent) {
  return { parent, own: {} };
}

function visible(s) {
  return s ? { ...visible(s.parent), ...s.own } : {};
}

/**
 * Runs the state machine from StartAt. `answer(stateName, resource, args, info)` answers each Task:
 * return { result } or { error, cause }. `clock()` gives each state's EnteredTime.
 */
export async function execute(definition, input, { answer, clock, executionId = "exec-1", maxSteps = 400 }) {
  const run = {
    answer,
    clock,
    trace: [],
    steps: 0,
    maxSteps,
    tokens: 0,
    execution: { Id: `arn:aws:states:eu-west-1:123456789012:execution:orders:${executionId}`, Input: input, StartTime: undefined },
    executionId,
  };
  const root = scope(null);
  const outcome = await runStates(definition, input, root, run);
  return { ...outcome, trace: run.trace, variables: root.own };
}

async function runStates(machine, input, vars, run) {
  let stateName = machine.StartAt;
  let stateInput = input;
  for (;;) {
    if (++run.steps > run.maxSteps) {
      throw new Error("too many steps: a loop that never ends?");
    }
    const state = machine.States[stateName];
    if (!state) {
      throw new Error(`transition to a state that does not exist: ${stateName}`);
    }
    const enteredTime = run.clock();
    run.execution.StartTime ??= enteredTime;
    const token = `token-${run.executionId}-${++run.tokens}-${stateName}`;
    const context = {
      Execution: run.execution,
      State: { Name: stateName, EnteredTime: enteredTime, RetryCount: 0 },
      StateMachine: { Id: "arn:aws:states:eu-west-1:123456789012:stateMachine:orders", Name: "orders" },
      Task: state.Resource && state.Resource.endsWith(".waitForTaskToken") ? { Token: token } : undefined,
    };
    const entry = { state: stateName, type: state.Type, enteredTime, input: stateInput };
    run.trace.push(entry);
    const bind = (extra) => ({ ...visible(vars), states: { input: stateInput, context, ...extra } });

    if (state.Type === "Choice") {
      let next = null;
      for (const choice of state.Choices) {
        const verdict = await evaluateField(choice.Condition, bind({}));
        if (typeof verdict !== "boolean") {
          throw new Error(`${stateName}: Condition is not a boolean`);
        }
        if (verdict) {
          next = choice.Next;
          break;
        }
      }
      next = next ?? state.Default;
      if (!next) {
        return { status: "FAILED", error: "States.NoChoiceMatched" };
      }
      entry.next = next;
      stateName = next;
      continue;
    }

    if (state.Type === "Succeed") {
      const output = state.Output !== undefined ? await evaluateField(state.Output, bind({})) : stateInput;
      return { status: "SUCCEEDED", output };
    }

    if (state.Type === "Fail") {
      const error = await evaluateField(state.Error, bind({}));
      const cause = state.Cause !== undefined ? await evaluateField(state.Cause, bind({})) : undefined;
      return { status: "FAILED", error, cause };
    }

    let result;
    let failure;
    if (state.Type === "Task") {
      const args = state.Arguments !== undefined ? await evaluateField(state.Arguments, bind({})) : undefined;
      const timeoutSeconds = state.TimeoutSeconds !== undefined ? await evaluateField(state.TimeoutSeconds, bind({})) : undefined;
      entry.arguments = args;
      entry.timeoutSeconds = timeoutSeconds;
      const reply = await run.answer(stateName, state.Resource, args, { token: context.Task?.Token, timeoutSeconds, enteredTime });
      if (reply.error) {
        failure = { Error: reply.error, Cause: reply.cause ?? "" };
      } else {
        result = reply.result;
      }
    } else if (state.Type === "Map") {
      if (state.ItemProcessor?.ProcessorConfig?.Mode !== "INLINE") {
        throw new Error(`${stateName}: only inline Map is supported by this executor`);
      }
      const items = await evaluateField(state.Items, bind({}));
      if (!Array.isArray(items)) {
        failure = { Error: "States.QueryEvaluationError", Cause: "Items is not an array" };
      } else {
        result = [];
        for (const item of items) {
          const iteration = await runStates(state.ItemProcessor, item, scope(vars), run);
          if (iteration.status !== "SUCCEEDED") {
            failure = { Error: iteration.error, Cause: iteration.cause ?? "" };
            result = undefined;
            break;
          }
          result.push(iteration.output);
        }
      }
    } else if (state.Type !== "Pass") {
      throw new Error(`${stateName}: state type ${state.Type} is not supported by this executor`);
    }

    if (failure) {
      entry.error = failure;
      const catcher = (state.Catch ?? []).find((c) => matches(c.ErrorEquals, failure.Error));
      if (!catcher) {
        return { status: "FAILED", error: failure.Error, cause: failure.Cause };
      }
      const bindings = bind({ errorOutput: failure });
      const assigned = catcher.Assign !== undefined ? await evaluateField(catcher.Assign, bindings) : {};
      const output = catcher.Output !== undefined ? await evaluateField(catcher.Output, bindings) : failure;
      Object.assign(vars.own, assigned);
      entry.assigned = assigned;
      entry.output = output;
      entry.next = catcher.Next;
      stateName = catcher.Next;
      stateInput = output;
      continue;
    }

    // Assign and Output see the variables as they were before this state assigned any.
    const bindings = bind(state.Type === "Task" || state.Type === "Map" ? { result } : {});
    const assigned = state.Assign !== undefined ? await evaluateField(state.Assign, bindings) : {};
    const output = state.Output !== undefined ? await evaluateField(state.Output, bindings) : state.Type === "Pass" ? stateInput : result;
    Object.assign(vars.own, assigned);
    entry.assigned = assigned;
    entry.output = output;
    if (state.End) {
      return { status: "SUCCEEDED", output };
    }
    entry.next = state.Next;
    stateName = state.Next;
    stateInput = output;
  }
}

/** Every state name a state can transition to. */
export function targets(state) {
  const out = [];
  if (state.Next) out.push(state.Next);
  if (state.Default) out.push(state.Default);
  for (const c of state.Choices ?? []) out.push(c.Next);
  for (const c of state.Catch ?? []) out.push(c.Next);
  return out;
}

/** Every state of the definition, nested ones included, by name. */
export function allStates(machine, into = {}) {
  for (const [name, state] of Object.entries(machine.States)) {
    into[name] = state;
    if (state.ItemProcessor) allStates(state.ItemProcessor, into);
  }
  return into;
}
