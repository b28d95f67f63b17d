/**
 * Exported functions (and exported classes' public methods) of a folder that
 * contain a `throw` statement of their own, and whether their JSDoc says so
 * with `@throws`, by the TypeScript compiler's parser. A function that only
 * lets a callee's error through is not counted: its `throw`s are not in it.
 *
 * deno run --allow-read --allow-env tools/throws_report.ts [folder=lib]
 *
 * @module
 */

import ts from "npm:typescript@^5.9.3";
import { join, relative } from "node:path";

/** One exported function with a `throw` of its own. */
export interface Thrower {
  /** `file:line name`. */
  where: string;
  /** Whether its JSDoc has a `@throws` tag. */
  documented: boolean;
}

/** The exported functions of `text` that throw, and whether they say so. */
export function throwers(file: string, text: string): Thrower[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Thrower[] = [];
  const check = (node: ts.FunctionLikeDeclaration, name: string) => {
    if (node.body === undefined || !hasOwnThrow(node.body)) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    // an overloaded function's implementation is documented by its overloads
    const overloads = ts.isFunctionDeclaration(node) && node.name
      ? source.statements.filter((s) => ts.isFunctionDeclaration(s) && s.name?.text === node.name!.text)
      : [node];
    const documented = overloads.some((o) => ts.getJSDocTags(o).some((tag) => tag.tagName.text === "throws"));
    out.push({ where: `${file}:${line} ${name}`, documented });
  };
  for (const statement of source.statements) {
    const exported = ts.getCombinedModifierFlags(statement as unknown as ts.Declaration) &
      ts.ModifierFlags.Export;
    if (!exported) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name) check(statement, statement.name.text);
    if (ts.isClassDeclaration(statement) && statement.name) {
      for (const member of statement.members) {
        const isPrivate = member.name !== undefined && ts.isPrivateIdentifier(member.name);
        const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
        if (isPrivate || flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
        if (ts.isMethodDeclaration(member) || ts.isConstructorDeclaration(member)) {
          const name = ts.isConstructorDeclaration(member) ? "constructor" : member.name.getText(source);
          check(member, `${statement.name.text}.${name}`);
        }
      }
    }
  }
  return out;
}

/** Whether `body` holds a `throw` outside any nested function. */
function hasOwnThrow(body: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node) => {
    if (found || (node !== body && ts.isFunctionLike(node))) return;
    if (ts.isThrowStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* tsFiles(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? "lib";
  const all: Thrower[] = [];
  for await (const path of tsFiles(dir)) {
    all.push(...throwers(relative(Deno.cwd(), path), await Deno.readTextFile(path)));
  }
  const missing = all.filter((t) => !t.documented);
  for (const t of missing) console.log(`no @throws: ${t.where}`);
  console.log(`${all.length} exported functions throw; ${all.length - missing.length} say so with @throws`);
}
