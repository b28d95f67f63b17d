/**
 * `hf check <model>` against recorded look-ups: the article's model from
 * recordings/ (replay), and the Hub's real answers from ../shared's reference
 * recordings (a 307 rename, models hf-inference serves and does not serve)
 * replayed through the fake server; plus "not found".
 *
 * @module
 */

import assert from "node:assert/strict";
import { checkModel } from "../lib/cli/check.ts";
import { main } from "../lib/cli/main.ts";
import type { CliIo } from "../lib/cli/io.ts";
import { scenarios, startFakeHf } from "./fake_hf_server.ts";
import { CLEAN_ENV, countingFetch, HAS_REFERENCE, referenceInteractions, withEnv } from "./_helpers.ts";

const ARTICLE_MODEL = "csebuetnlp/mT5_multilingual_XLSum";

function io(lines: string[]): CliIo {
  return {
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
    readStdin: () => Promise.resolve(new Uint8Array()),
    stdin: () => new ReadableStream(),
    writeErr: () => {},
    errIsTerminal: false,
    color: false,
  };
}

Deno.test("checkModel() answers from the recorded look-up in replay mode: the article's model is served", async () => {
  const network = countingFetch();
  const answer = await checkModel(ARTICLE_MODEL, { mode: "replay", fetch: network.fetch });
  assert.equal(answer.verdict, "served");
  assert.equal(answer.lines[0], `${ARTICLE_MODEL}: served by hf-inference for summarization (live).`);
  assert.equal(network.calls.length, 0);
  const lines: string[] = [];
  assert.equal(await withEnv(CLEAN_ENV, () => main(["check", ARTICLE_MODEL], io(lines))), 0);
  assert.match(lines.join("\n"), /^mode: replay/m);
  lines.length = 0;
  assert.equal(await withEnv(CLEAN_ENV, () => main(["check", ARTICLE_MODEL, "--json"], io(lines))), 0);
  const json = JSON.parse(lines.filter((l) => !l.startsWith("mode:")).join("\n"));
  assert.equal(json.verdict, "served");
  assert.equal(json.hfInference.task, "summarization");
});

Deno.test({
  name:
    "checkModel() follows a renamed model (307) and says which providers serve it, from the Hub's recorded answers",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const hub = await referenceInteractions("hub_cassettes.json");
    const recorded = (url: string) => hub.find((x) => x.url === url)!;
    const rename = recorded(
      "https://huggingface.co/api/models/meta-llama/Meta-Llama-3.1-8B-Instruct?expand=inferenceProviderMapping",
    );
    const renamed = recorded(
      "https://huggingface.co/api/models/meta-llama/Llama-3.1-8B-Instruct?expand=inferenceProviderMapping",
    );
    const diffusion = recorded(
      "https://huggingface.co/api/models/stabilityai/stable-diffusion-2?expand=inferenceProviderMapping",
    );
    const lightning = recorded(
      "https://huggingface.co/api/models/ByteDance/SDXL-Lightning?expand=inferenceProviderMapping",
    );
    assert.equal(rename.status, 307);
    await using fake = await startFakeHf({ mapping: false });
    // The Hub keeps the request's query in the Location of a 307: ours asks for expand[]=.
    const location = rename.headers.location!.replace("?expand=", "?expand[]=");
    fake.on("/api/models/meta-llama/Meta-Llama-3.1-8B-Instruct", {
      status: 307,
      headers: { "content-type": rename.headers["content-type"]!, location },
      text: rename.responseBodyRaw ?? String(rename.responseBody),
    });
    fake.on("/api/models/meta-llama/Llama-3.1-8B-Instruct", { json: renamed.responseBody });
    fake.on("/api/models/stabilityai/stable-diffusion-2", { json: diffusion.responseBody });
    fake.on("/api/models/ByteDance/SDXL-Lightning", { json: lightning.responseBody });
    fake.on("/api/models/no-org/no-such-model", scenarios.repoNotFound404);

    const options = { mode: "live" as const, fetch: fake.fetch };
    const llama = await checkModel("meta-llama/Meta-Llama-3.1-8B-Instruct", options);
    assert.equal(llama.providers?.renamedTo, "meta-llama/Llama-3.1-8B-Instruct");
    assert.match(
      llama.lines[0]!,
      /was renamed to meta-llama\/Llama-3\.1-8B-Instruct \(the Hub answered 307\)/,
    );
    assert.equal(llama.verdict, "served");
    assert.equal(
      llama.lines[1],
      "meta-llama/Llama-3.1-8B-Instruct: served by hf-inference for conversational (live).",
    );
    assert.match(
      llama.lines[2]!,
      /^Also by: fireworks-ai for conversational \(live, as accounts\/fireworks\/models\//,
    );
    const sambanova = await checkModel("meta-llama/Meta-Llama-3.1-8B-Instruct", {
      ...options,
      provider: "sambanova",
    });
    assert.match(
      sambanova.lines[1]!,
      /served by sambanova for conversational \(live, as Meta-Llama-3\.1-8B-Instruct\)/,
    );

    const sdxl = await checkModel("ByteDance/SDXL-Lightning", options);
    assert.equal(sdxl.verdict, "not-served", "the recorded mapping has no hf-inference entry");
    assert.match(sdxl.lines.join("\n"), /not served by hf-inference\.\nServed by: fal-ai for text-to-image/);
    assert.equal(sdxl.lines.at(-1), "Call it with --provider fal-ai.");
    assert.equal(
      (await checkModel("ByteDance/SDXL-Lightning", { ...options, provider: "any" })).verdict,
      "served",
    );

    const sd2 = await checkModel("stabilityai/stable-diffusion-2", options);
    assert.equal(sd2.verdict, "served");
    assert.match(sd2.lines[0]!, /served by hf-inference for text-to-image \(live\)/);

    const missing = await checkModel("no-org/no-such-model", options);
    assert.equal(missing.verdict, "not-found");
    assert.match(missing.lines[0]!, /not found on the Hub \(404: Repository not found\)/);

    const lines: string[] = [];
    const code = await withEnv(
      { ...CLEAN_ENV, HF_MODE: "live" },
      () => main(["check", "no-org/no-such-model"], { ...io(lines), fetch: fake.fetch }),
    );
    assert.equal(code, 1);
    lines.length = 0;
    const served = await withEnv(
      { ...CLEAN_ENV, HF_MODE: "live" },
      () => main(["check", "stabilityai/stable-diffusion-2"], { ...io(lines), fetch: fake.fetch }),
    );
    assert.equal(served, 0, lines.join("\n"));
  },
});

Deno.test("checkModel() says so when no provider serves a model", async () => {
  await using fake = await startFakeHf({ mapping: false });
  fake.setMapping("some-org/undeployed", {});
  const answer = await checkModel("some-org/undeployed", { mode: "live", fetch: fake.fetch });
  assert.equal(answer.verdict, "not-served");
  assert.equal(answer.lines[0], "some-org/undeployed: not served by any Inference Provider.");
  const lines: string[] = [];
  const code = await withEnv(
    { ...CLEAN_ENV, HF_MODE: "live" },
    () => main(["check", "some-org/undeployed"], { ...io(lines), fetch: fake.fetch }),
  );
  assert.equal(code, 1);
});
