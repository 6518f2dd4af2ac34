// Drive Debian's chromium with playwright-core (tests/e2e/test_cors_browser.py): open the page,
// call its roundTrip() for each case, print {results, console} as JSON on stdout.
//   node run_page.cjs PAGE_URL CASES_JSON   (env: PLAYWRIGHT_CORE, the package's directory; CHROMIUM)
"use strict";
const { chromium } = require(process.env.PLAYWRIGHT_CORE);

async function main() {
  const [pageUrl, casesJson] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox"],  // tests run as root, where chromium's sandbox cannot start
    timeout: 60000,
  });
  try {
    const page = await browser.newPage();
    const messages = [];
    page.on("console", (m) => messages.push(m.text()));
    await page.goto(pageUrl);
    const results = [];
    for (const c of JSON.parse(casesJson)) {
      results.push(await page.evaluate((c) => roundTrip(c.put, c.get, c.body), c));
    }
    process.stdout.write(JSON.stringify({ results, console: messages }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
