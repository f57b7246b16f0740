// What the workflow's static checks read of a definition: its transitions, its states at any depth,
// and which fields are JSONata expressions. Executing the workflow is the local engine's job
// (local/KitchenButton.StepFunctions), and its paths are tested there (OrderWorkflowTests).
const EXPRESSION = /^\{%([\s\S]*)%\}$/;

export function isExpression(value) {
  return typeof value === "string" && EXPRESSION.test(value);
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
