import assert from "node:assert/strict";
import {
  aggregateCells,
  HfApiError,
  TABLE_QUESTION_ANSWERING_MODEL,
  tableAnswerView,
  type TableData,
  tableQuestionAnswering,
  type TableQuestionAnsweringOptions,
} from "../lib/mod.ts";
import { table } from "../lib/display/mod.ts";
import { HAS_REFERENCE, rejection, uniqueModel } from "./_helpers.ts";
import { NO_WAIT, taskCalls, taskFetch } from "./_reference_tasks.ts";
import {
  fromRecordings,
  LIVE,
  parsesEveryReferenceSuccess,
  rejectsBeforeAnyRequest,
  surfacesEveryReferenceError,
} from "./_task_contract.ts";
import { startFakeHf } from "./fake_hf_server.ts";

/** Notebook 04's table. */
const CITIES: TableData = {
  City: ["Taipei", "New Taipei", "Taoyuan", "Taichung", "Tainan", "Kaohsiung"],
  "Population (thousands)": ["2495", "4004", "2303", "2850", "1859", "2735"],
  "Area (km²)": ["271.80", "2052.57", "1220.95", "2214.90", "2191.65", "2951.85"],
};

Deno.test("tableQuestionAnswering() replays notebook 04: one answer per aggregator, cells at their coordinates", async () => {
  const answers = await fromRecordings(async (replay) => {
    assert.equal(TABLE_QUESTION_ANSWERING_MODEL, "google/tapas-base-finetuned-wtq");
    const ask = (query: string) => tableQuestionAnswering({ query, table: CITIES }, replay);
    return [
      await ask("What is the population of Taichung?"),
      await ask("What is the total population of Taipei and New Taipei?"),
      await ask("How many cities are in the table?"),
      await ask("What is the average area of the cities?"),
    ];
  });
  assert.deepEqual(answers.map((a) => a.aggregator), ["NONE", "SUM", "COUNT", "AVERAGE"]);
  const columns = Object.keys(CITIES);
  for (const a of answers) {
    assert.deepEqual(a.cells, a.coordinates.map(([r, c]) => CITIES[columns[c!]!]![r!]));
  }
  assert.deepEqual(answers.map(aggregateCells), [
    "2850",
    6499,
    6,
    (271.8 + 2052.57 + 1220.95 + 2214.9 + 2191.65 + 2951.85) / 6,
  ]);
});

Deno.test("tableAnswerView() gives table() rows and highlights exactly the answer's cells", () => {
  const view = tableAnswerView(CITIES, {
    answer: "SUM > 2495, 4004",
    cells: ["2495", "4004"],
    coordinates: [[0, 1], [1, 1]],
    aggregator: "SUM",
  });
  assert.deepEqual(view.columns, ["City", "Population (thousands)", "Area (km²)"]);
  assert.equal(view.rows.length, 6);
  const plain = String(table(view.rows, { columns: view.columns, highlight: view.highlight })).split("\n");
  assert.match(plain[2]!, /^Taipei\s+\*2495\*\s+271\.80$/);
  assert.match(plain[3]!, /^New Taipei\s+\*4004\*\s+2052\.57$/);
  assert.ok(!plain.slice(4).some((line) => line.includes("*")));
  const plainView = tableAnswerView(CITIES);
  assert.ok(plainView.rows.every((row) => plainView.columns.every((c) => !plainView.highlight(row, c))));
});

Deno.test("aggregateCells() computes what the aggregator names, and refuses non-numbers", () => {
  const answer = (aggregator: string, cells: string[]) => ({
    answer: "",
    cells,
    coordinates: [],
    aggregator,
  });
  assert.equal(aggregateCells(answer("SUM", ["1,000", "2 500", "0.5"])), 3500.5);
  assert.equal(aggregateCells(answer("AVERAGE", ["2", "4"])), 3);
  assert.equal(aggregateCells(answer("COUNT", ["a", "b", "c"])), 3);
  assert.equal(aggregateCells(answer("NONE", ["a", "b"])), "a, b");
  assert.throws(
    () => aggregateCells(answer("SUM", ["12", "Python"])),
    /SUM needs numbers, got the cell "Python"/,
  );
  assert.throws(() => aggregateCells(answer("AVERAGE", [])), RangeError);
});

Deno.test("tableQuestionAnswering() sends the question as `query` (the name the service takes) and parameters", async () => {
  const network = taskFetch("table-question-answering", {
    answer: "Taipei",
    coordinates: [[0, 0]],
    cells: ["Taipei"],
    aggregator: "NONE",
  });
  await tableQuestionAnswering({ query: "Which city is the capital?", table: CITIES }, {
    ...LIVE,
    model: uniqueModel("tapas"),
    fetch: network.fetch,
    parameters: { padding: "longest", sequential: false, truncation: true },
  });
  assert.deepEqual(taskCalls(network)[0]?.body, {
    inputs: { query: "Which city is the capital?", table: CITIES },
    parameters: { padding: "longest", sequential: false, truncation: true },
  });
});

Deno.test({
  name:
    "tableQuestionAnswering() parses every real hf-inference table-question-answering answer of hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await parsesEveryReferenceSuccess({
      task: "table-question-answering",
      count: { atLeast: 10 },
      call: (live, c) => {
        // The recorded input: `{inputs: {query, table}}`, or (one Hub cassette) the pair at the top level.
        const body = c.requestBody as { inputs?: unknown; query?: string; table?: TableData } | null;
        const pair = (body?.inputs ?? body) as { query?: string; table?: TableData } | null;
        const input = pair?.query && pair.table
          ? { query: pair.query, table: pair.table }
          : { query: "How many stars?", table: { Repository: ["stand-in"], Stars: ["1"] } };
        return tableQuestionAnswering(input, { ...live, model: c.model! });
      },
      expect: (output, c) => assert.deepEqual(output, c.responseBody, c.where),
    });
  },
});

Deno.test({
  name:
    "tableQuestionAnswering() surfaces every real table-question-answering error of hf-recorded, through a fake server",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    await surfacesEveryReferenceError({
      task: "table-question-answering",
      count: { atLeast: 1 },
      call: (live) => tableQuestionAnswering({ query: "How many cities?", table: CITIES }, live),
    });
  },
});

Deno.test("tableQuestionAnswering() shows a 400 with warnings in full", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("tapas");
  fake.setModelTask(model, "table-question-answering");
  const message =
    "Invalid input. Keyword argument `table` should be either of type `dict` or `list`, but is " +
    "<class 'dict'>)";
  fake.on(`/hf-inference/models/${model}`, {
    status: 400,
    json: { error: message, warnings: [`There was an inference error: ${message}`] },
  });
  const error = await rejection(
    tableQuestionAnswering({ query: "How many cities?", table: CITIES }, {
      ...LIVE,
      model,
      fetch: fake.fetch,
      retry: NO_WAIT,
    }),
  );
  assert.ok(error instanceof HfApiError);
  assert.equal(error.status, 400);
  assert.equal(error.serviceMessage, `${message} (warnings: There was an inference error: ${message})`);
  assert.equal(error.kind, "bad-request");
});

Deno.test("tableQuestionAnswering() checks the question and the table before any request", async (t) => {
  await rejectsBeforeAnyRequest(t, {
    prefix: "Cannot answer the table question: ",
    call: (input: unknown, parameters: TableQuestionAnsweringOptions["parameters"], live) =>
      tableQuestionAnswering(input as never, { ...live, parameters }),
    cases: [
      [
        "a blank query",
        { query: "", table: CITIES },
        undefined,
        TypeError,
        /"query" must be a non-empty string/,
      ],
      [
        "question for query",
        { question: "Who?", table: CITIES },
        undefined,
        TypeError,
        /"input" has no parameter "question"/,
      ],
      ["no table", { query: "Who?" }, undefined, TypeError, /"table" must be an object, got undefined/],
      [
        "a table of rows",
        { query: "Who?", table: [["a"]] },
        undefined,
        TypeError,
        /"table" must be an object, got an array of 1/,
      ],
      [
        "no columns",
        { query: "Who?", table: {} },
        undefined,
        RangeError,
        /"table" must have at least one column, got none/,
      ],
      [
        "an empty column",
        { query: "Who?", table: { City: [] } },
        undefined,
        RangeError,
        /column "City" must have at least one row, got 0/,
      ],
      [
        "columns of different lengths",
        { query: "Who?", table: { City: ["Taipei", "Tainan"], Population: ["2495"] } },
        undefined,
        RangeError,
        /column "Population" has 1 rows, but column "City" has 2/,
      ],
      [
        "a number in a cell",
        { query: "Who?", table: { City: ["Taipei"], Population: [2495] } },
        undefined,
        TypeError,
        /column "Population" must hold strings \(write numbers as text\), got 2495 in row 0/,
      ],
      [
        "a column that is one string",
        { query: "Who?", table: { City: "Taipei" } },
        undefined,
        TypeError,
        /column "City" must be an array of strings/,
      ],
      [
        "a blank column name",
        { query: "Who?", table: { " ": ["x"] } },
        undefined,
        RangeError,
        /column names must not be blank/,
      ],
      [
        "an unknown padding",
        { query: "Who?", table: CITIES },
        { padding: "max" as never },
        RangeError,
        /"parameters.padding" must be one of do_not_pad, longest, max_length, got "max"/,
      ],
      [
        "a misspelt parameter",
        { query: "Who?", table: CITIES },
        { truncate: true } as never,
        TypeError,
        /"parameters.truncate" is not a parameter of/,
      ],
    ],
  });
});
