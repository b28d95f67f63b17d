/**
 * tabularClassification(): huggingface.js's recorded wine ratings replayed
 * (the tape's own request), what is sent, the real recorded answer, one
 * class per row, and the table's checks.
 */
import assert from "node:assert/strict";
import { HfOutputError } from "../lib/errors.ts";
import { provenanceOf } from "../lib/provenance.ts";
import {
  TABULAR_CLASSIFICATION_MODEL,
  tabularClassification,
  type TabularData,
} from "../lib/tasks/tabular_classification.ts";
import { HAS_REFERENCE, uniqueModel } from "./_helpers.ts";
import { taskCalls, taskFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  liveOptions,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
} from "./_task_contract.ts";

const TASK = "tabular-classification";

/** The three wines of the recording, read from it (so the test and the notebook send the same table). */
async function recordedWines(): Promise<Record<string, string[]>> {
  const file = JSON.parse(await Deno.readTextFile(new URL(`../recordings/${TASK}.json`, import.meta.url)));
  return file.interactions[1].request.body.inputs.data;
}

Deno.test("tabularClassification() replays huggingface.js's recorded ratings of three wines, from recordings/ only", async () => {
  const data = await recordedWines();
  assert.equal(Object.keys(data).length, 11);
  assert.deepEqual(data.alcohol, ["9.4", "9.8", "12.6"]);
  const quality = await fromRecordings((replay) => tabularClassification({ data }, replay));
  assert.deepEqual(quality, [5, 5, 7]);
  assert.equal(provenanceOf(quality)?.kind, "upstream");
});

Deno.test("tabularClassification() sends numbers as text, as the service reads them, in {inputs: {data}}", async () => {
  const network = taskFetch(TASK, [6, 5]);
  const model = uniqueModel("wine");
  const quality = await tabularClassification(
    { data: { alcohol: [9.4, "12.6"], pH: [3.51, 3] } },
    liveOptions(network.fetch, model),
  );
  assert.deepEqual(quality, [6, 5]);
  const [call] = taskCalls(network);
  assert.equal(call?.url, `https://router.huggingface.co/hf-inference/models/${model}`);
  assert.deepEqual(call?.body, { inputs: { data: { alcohol: ["9.4", "12.6"], pH: ["3.51", "3"] } } });
});

Deno.test("tabularClassification() uses vvmnnnkv/wine-quality when no model is named", async () => {
  const network = taskFetch(TASK, [5]);
  await tabularClassification({ data: { alcohol: [9.4] } }, { ...LIVE, fetch: network.fetch });
  assert.equal(TABULAR_CLASSIFICATION_MODEL, "vvmnnnkv/wine-quality");
  assert.match(taskCalls(network)[0]?.url ?? "", /\/models\/vvmnnnkv\/wine-quality$/);
});

Deno.test("tabularClassification() takes no parameters, but sends extraParameters as given", async () => {
  const network = taskFetch(TASK, [1]);
  await tabularClassification({ data: { x: [1] } }, {
    ...liveOptions(network.fetch),
    extraParameters: { seed: 7 },
  });
  assert.deepEqual(taskCalls(network)[0]?.body, { inputs: { data: { x: ["1"] } }, parameters: { seed: 7 } });
  await assert.rejects(
    tabularClassification(
      { data: { x: [1] } },
      { ...liveOptions(network.fetch), parameters: { top_k: 1 } } as never,
    ),
    {
      name: "TypeError",
      message:
        /^Cannot classify table rows: "parameters.top_k" is not a parameter of tabular-classification; it takes none/,
    },
  );
  assert.equal(taskCalls(network).length, 1, "refused before any request");
});

Deno.test("tabularClassification() throws HfOutputError for an answer without one class per row", async () => {
  const data = { alcohol: [9.4, 9.8, 12.6] };
  await assert.rejects(
    tabularClassification({ data }, liveOptions(taskFetch(TASK, [5, 5]).fetch, "m/wine")),
    (error: unknown) =>
      error instanceof HfOutputError &&
      error.message.endsWith("the answer of m/wine holds 2 predictions for 3 rows"),
  );
  await assert.rejects(
    tabularClassification({ data }, liveOptions(taskFetch(TASK, [{ label: "good" }]).fetch)),
    (error: unknown) => error instanceof HfOutputError && /tabular-classification answer/.test(error.message),
  );
});

Deno.test({
  name: "tabularClassification() parses the real hf-inference tabular-classification answer of hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: TASK,
      count: 1,
      call: (live, c) =>
        tabularClassification(
          { data: (c.requestBody as { inputs: { data: TabularData } }).inputs.data },
          live,
        ),
      expect: (quality, c) => assert.deepEqual(quality, c.responseBody, c.where),
    });
  },
});

Deno.test("tabularClassification() checks the table before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot classify table rows: ",
    call: (input: unknown, _: undefined, live) => tabularClassification(input as { data: TabularData }, live),
    cases: [
      ["a string", "9.4,3.51", undefined, TypeError, /"input" must be an object, got a string/],
      [
        "columns without data",
        { alcohol: [9.4] },
        undefined,
        TypeError,
        /"input" has no parameter "alcohol"/,
      ],
      ["no columns", { data: {} }, undefined, TypeError, /"data" must hold at least one column/],
      [
        "rows, not columns",
        { data: [[9.4, 3.51]] },
        undefined,
        TypeError,
        /"data" must be an object, got an array/,
      ],
      [
        "a column that is no list",
        { data: { alcohol: 9.4 } },
        undefined,
        TypeError,
        /"data\["alcohol"\]" must be a list of cells, got 9.4/,
      ],
      [
        "an empty column",
        { data: { alcohol: [] } },
        undefined,
        RangeError,
        /"data\["alcohol"\]" must have at least one cell/,
      ],
      [
        "columns of different lengths",
        { data: { alcohol: [9.4, 9.8], pH: [3.5] } },
        undefined,
        RangeError,
        'Cannot classify table rows: "data["pH"]" must have 2 cells like the first column, got 1; every column holds one cell per row',
      ],
      ["a blank column name", { data: { " ": [1] } }, undefined, TypeError, /must name every column/],
      [
        "a missing cell",
        { data: { alcohol: [9.4, null] } },
        undefined,
        TypeError,
        /"data\["alcohol"\]\[1\]" must be a string or a finite number, got null/,
      ],
      [
        "NaN",
        { data: { alcohol: [NaN] } },
        undefined,
        TypeError,
        /"data\["alcohol"\]\[0\]" must be a string or a finite number, got NaN/,
      ],
      [
        "too large",
        { data: { notes: ["x".repeat(10_000_001)] } },
        undefined,
        RangeError,
        /"data" must be at most 10 MB as JSON, got 10,000,0\d\d bytes; send the rows in several calls/,
      ],
    ],
  });
});
