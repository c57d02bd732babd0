// Browser tests against a running `talentgraph serve --demo` (Debian's chromium driven by
// playwright-core; no browser download):
//  1. the playground at / renders offline (every request outside the server is refused and
//     counted), with no Content-Security-Policy violation; the documentation explorer lists
//     `Query` (so the standard introspection query passed); the example operation runs and its
//     result is read from the page; a screenshot is saved; with the page's clock past its
//     token's expiry, the next run first renews the token at /playground/token;
//  2. a page served from a second local port (another origin) calls the API with fetch (a
//     preflighted POST with Authorization) and shows the answer; the server must have been
//     started with --cors-origin http://127.0.0.1:<that port>;
//  3. a published role's public page (/jobs/{id}) embeds its JSON-LD, which parses as a
//     schema.org JobPosting with the role's title (a screenshot is saved beside the first, as
//     *-job-posting.png); a closed role's page is 404. The demo ADMIN turns publishing on and
//     creates the two roles.
// Usage: node browser.mjs http://127.0.0.1:PORT SECOND_PORT SCREENSHOT.png
import http from 'node:http';
import { chromium } from 'playwright-core';

const [base, secondPort, screenshot] = process.argv.slice(2);
if (!base || !secondPort || !screenshot) {
  console.error('usage: node browser.mjs http://127.0.0.1:PORT SECOND_PORT SCREENSHOT.png');
  process.exit(2);
}
const apiOrigin = new URL(base).origin;
const pageOrigin = `http://127.0.0.1:${secondPort}`;
const failures = [];
const fail = (message) => { failures.push(message); console.error(`FAIL ${message}`); };
const step = (message) => console.log(`browser: ${message}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  // Offline: anything not served by the API server or the second page is refused.
  const external = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === apiOrigin || url.origin === pageOrigin) return route.continue();
    external.push(url.href);
    return route.abort();
  });
  const consoleErrors = [];
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  // ------------------------------------------------------------ 1. the playground
  step(`opening ${base}/`);
  const response = await page.goto(`${base}/`, { waitUntil: 'load' });
  if (!response || response.status() !== 200) fail(`GET / answered ${response?.status()}`);
  if (!response?.headers()['content-security-policy']) fail('GET / has no Content-Security-Policy');
  await page.waitForSelector('.graphiql-container', { timeout: 15000 });
  step('GraphiQL rendered');

  await page.click('button[aria-label="Show Documentation Explorer"]');
  const queryType = page.locator('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ });
  try {
    await queryType.first().waitFor({ timeout: 15000 });
    step('documentation explorer lists Query');
  } catch {
    fail('the documentation explorer does not list Query (introspection refused?)');
  }

  await page.click('button.graphiql-execute-button');
  let result = '';
  try {
    await page.waitForFunction(() => {
      const editor = document.querySelector('.result-window .CodeMirror')?.CodeMirror;
      return editor && editor.getValue().includes('"data"');
    }, null, { timeout: 15000 });
    result = await page.evaluate(() => document.querySelector('.result-window .CodeMirror').CodeMirror.getValue());
  } catch {
    fail('running the example operation showed no result with "data"');
  }
  if (result) {
    const body = JSON.parse(result);
    const organization = body?.data?.me?.organization?.name;
    const skill = body?.data?.skill?.name;
    step(`example operation answered: organization ${JSON.stringify(organization)}, skill ${JSON.stringify(skill)}, errors ${JSON.stringify(body.errors ?? [])}`);
    if (body.errors?.length) fail(`the example operation answered errors: ${JSON.stringify(body.errors)}`);
    if (skill !== 'Apache Spark') fail(`expected skill "Apache Spark", got ${JSON.stringify(skill)}`);
    if (!organization) fail('the example operation did not read the demo organization (not signed in?)');
  }
  // The docs panel lists the root types; open Query to show its fields in the screenshot.
  await queryType.first().click().catch(() => {});
  await page.waitForTimeout(500);
  await page.screenshot({ path: screenshot });
  step(`screenshot: ${screenshot}`);

  // A playground left open past its token's lifetime renews the token before the next request.
  await page.clock.install({ time: Date.now() + 16 * 60 * 1000 });
  const renewal = page.waitForRequest((request) => new URL(request.url()).pathname === '/playground/token', { timeout: 15000 });
  const rerun = page.waitForResponse((r) => new URL(r.url()).pathname === '/graphql' && r.request().method() === 'POST', { timeout: 15000 });
  await page.click('button.graphiql-execute-button');
  try {
    await renewal;
    const answer = await (await rerun).json();
    if (!answer?.data?.me?.organization?.name) fail(`after renewal the example answered ${JSON.stringify(answer)}`);
    step('an expired playground token is renewed by the page before the next request');
  } catch (error) {
    fail(`the page did not renew its token: ${error}`);
  }

  const violations = await page.evaluate(() => window.__cspViolations);
  if (violations.length) fail(`Content-Security-Policy violations: ${violations.join('; ')}`);
  if (external.length) fail(`the playground asked for external URLs: ${external.join(', ')}`);
  if (consoleErrors.length) fail(`console errors: ${consoleErrors.join(' | ')}`);
  step(`CSP violations ${violations.length}, external requests ${external.length}, console errors ${consoleErrors.length}`);

  // ------------------------------------------------------------ 2. another origin
  const crossOrigin = `<!doctype html><meta charset="utf-8"><title>frontend on another origin</title>
<pre id="result">pending</pre>
<script>
(async () => {
  const post = async (query, token) => {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    const response = await fetch(${JSON.stringify(`${base}/graphql`)}, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return response.json();
  };
  try {
    const login = await post('mutation { login(email: "recruiter@talentgraph.dev", password: "talentgraph-demo") { accessToken } }');
    const token = login.data.login.accessToken;
    const me = await post('{ me { caller { ... on Recruiter { email role } } } }', token);
    document.getElementById('result').textContent = JSON.stringify(me);
  } catch (error) {
    document.getElementById('result').textContent = 'error: ' + error;
  }
})();
</script>`;
  const server = http.createServer((request, reply) => {
    reply.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    reply.end(crossOrigin);
  });
  await new Promise((resolve) => server.listen(Number(secondPort), '127.0.0.1', resolve));
  try {
    const other = await context.newPage();
    step(`opening ${pageOrigin}/ (calls ${base}/graphql cross-origin)`);
    await other.goto(`${pageOrigin}/`);
    await other.waitForFunction(() => document.getElementById('result').textContent !== 'pending', null, { timeout: 15000 });
    const text = await other.textContent('#result');
    step(`cross-origin page read: ${text}`);
    let email;
    try { email = JSON.parse(text)?.data?.me?.caller?.email; } catch { email = undefined; }
    if (email !== 'recruiter@talentgraph.dev') fail(`the cross-origin page did not read the answer: ${text}`);
  } finally {
    server.close();
  }

  // ------------------------------------------------------------ 3. a public job posting
  const graphql = async (query, variables, token) => {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const answer = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return answer.json();
  };
  const signedIn = await graphql('mutation { login(email: "demo@talentgraph.dev", password: "talentgraph-demo") { accessToken } }');
  const adminToken = signedIn?.data?.login?.accessToken;
  if (!adminToken) fail(`the demo ADMIN could not sign in: ${JSON.stringify(signedIn)}`);
  const publishing = await graphql('mutation { setJobPublishing(enabled: true) { userErrors { code message } } }', {}, adminToken);
  if (publishing?.errors || publishing?.data?.setJobPublishing?.userErrors?.length) fail(`setJobPublishing answered ${JSON.stringify(publishing)}`);
  const create = `mutation ($title: String!) { createRole(input: { title: $title, status: OPEN, location: "Berlin",
      description: "Build and run our streaming platform." }) { role { id } userErrors { message } } }`;
  const title = 'Senior Rust Engineer (browser check)';
  const published = (await graphql(create, { title }, adminToken))?.data?.createRole?.role?.id;
  const closing = (await graphql(create, { title: 'Closed role (browser check)' }, adminToken))?.data?.createRole?.role?.id;
  const closed = await graphql('mutation ($id: ID!) { changeRoleStatus(input: { id: $id, status: CLOSED }) { role { status } userErrors { message } } }', { id: closing }, adminToken);
  if (closed?.data?.changeRoleStatus?.role?.status !== 'CLOSED') fail(`closing a role answered ${JSON.stringify(closed)}`);
  if (published) {
    const posting = await context.newPage();
    const postingErrors = [];
    posting.on('pageerror', (error) => postingErrors.push(String(error)));
    step(`opening ${base}/jobs/${published}`);
    const shown = await posting.goto(`${base}/jobs/${published}`, { waitUntil: 'load' });
    if (shown?.status() !== 200) fail(`a published role's page answered ${shown?.status()}`);
    const embedded = await posting.locator('script[type="application/ld+json"]').first().textContent().catch(() => null);
    let ld;
    try { ld = JSON.parse(embedded ?? ''); } catch { ld = undefined; }
    if (ld?.['@type'] !== 'JobPosting') fail(`the page's JSON-LD is not a JobPosting: ${embedded}`);
    if (ld?.title !== title) fail(`the JSON-LD's title is ${JSON.stringify(ld?.title)}, not ${JSON.stringify(title)}`);
    const heading = await posting.locator('h1').first().textContent().catch(() => null);
    step(`job posting page: @type ${ld?.['@type']}, title ${JSON.stringify(ld?.title)}, h1 ${JSON.stringify(heading)}, final URL ${posting.url()}`);
    const postingShot = screenshot.replace(/\.png$/, '') + '-job-posting.png';
    await posting.screenshot({ path: postingShot, fullPage: true });
    step(`screenshot: ${postingShot}`);
    if (postingErrors.length) fail(`errors on the job posting page: ${postingErrors.join(' | ')}`);
    const gone = await posting.goto(`${base}/jobs/${closing}`, { waitUntil: 'load' });
    if (gone?.status() !== 404) fail(`a closed role's page answered ${gone?.status()}, not 404`);
    step(`closed role's page: ${gone?.status()}`);
  } else {
    fail('creating a role to publish failed');
  }
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`browser: ${failures.length} failure(s)`);
  process.exit(1);
}
step('all passed');
