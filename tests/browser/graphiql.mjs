// Drives Debian's Chromium (through playwright-core, which downloads no browser)
// against the app's GraphiQL page with every outside host blocked, and prints
// what it saw as JSON for tests/browser/test_graphiql.py to judge.
//
//   node tests/browser/graphiql.mjs URL [SCREENSHOT.png]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const [url, screenshot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "spacerace-chromium-"));
const seen = { requests: [], consoleErrors: [], pageErrors: [] };

const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1400, height: 1000 },
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
  ],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on("request", (request) => seen.requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") seen.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => seen.pageErrors.push(String(error)));

  await page.goto(url, { waitUntil: "load" });
  seen.title = await page.title();
  seen.notice = await page.locator(".cdn-notice").allInnerTexts();

  // GraphiQL rendered: its query editor holds the first example.
  await page.locator(".graphiql-query-editor .CodeMirror").waitFor({ timeout: 30000 });
  seen.tabs = await page.locator(".graphiql-tab").allInnerTexts();
  seen.query = await page.evaluate(
    () => document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.getValue(),
  );

  // Run it and read the result pane as a person would see it.
  await page.locator(".graphiql-execute-button").click();
  const result = page.locator(".result-window");
  await result.filter({ hasText: "Alexey Leonov" }).waitFor({ timeout: 30000 });
  seen.resultText = await result.innerText();
  seen.response = await page.evaluate(
    () => document.querySelector(".result-window .CodeMirror").CodeMirror.getValue(),
  );

  // The docs explorer: the root type, then one of its fields.
  await page.locator('[aria-label="Show Documentation Explorer"]').click();
  const docs = page.locator(".graphiql-doc-explorer");
  await docs.getByText("Query", { exact: true }).first().click();
  await docs.getByText("mission", { exact: true }).first().waitFor({ timeout: 15000 });
  seen.docs = await docs.innerText();

  // The explorer plugin lists the root fields too.
  await page.locator('[aria-label="Show GraphiQL Explorer"]').click();
  const explorer = page.locator(".graphiql-explorer-root");
  await explorer.getByText("mission", { exact: true }).first().waitFor({ timeout: 15000 });
  seen.explorer = await explorer.innerText();

  if (screenshot) await page.screenshot({ path: screenshot });
} catch (error) {
  seen.error = String(error && error.stack ? error.stack : error);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(seen) + "\n");
