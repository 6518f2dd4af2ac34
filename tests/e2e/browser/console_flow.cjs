// Drive the web console in Debian's chromium with playwright-core (tests/e2e/test_console_browser.py):
// sign in as root, create a bucket, upload a file, browse to it, download it, share it, delete it,
// tag a bucket; in a bucket with object lock set a version's retention, legal hold and tags; create
// a user, a group, access keys, disable and enable the user, remove a group member and delete a
// group; look at the health page; then sign in as a narrow IAM user, try to create a bucket and
// read an object's tags and retention.
// Screenshots of each page go to spec.shots.
//   node console_flow.cjs SPEC_JSON   (env: PLAYWRIGHT_CORE, the package's directory; CHROMIUM)
// Stdout is JSON lines: a checkpoint ({"checkpoint": name, ...}) waits for a line on stdin ("go",
// else the run stops) while the test checks the server's state from outside; the last line is what
// the page showed.
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const { chromium } = require(process.env.PLAYWRIGHT_CORE);

const answers = [];
const input = readline.createInterface({ input: process.stdin });
input.on("line", (line) => answers.shift()?.(line));

async function checkpoint(name, data = {}) {
  process.stdout.write(JSON.stringify({ checkpoint: name, ...data }) + "\n");
  const answer = await new Promise((resolve) => answers.push(resolve));
  if (answer !== "go") throw new Error(`checkpoint ${name}: ${answer}`);
}

const text = (page, selector) => page.textContent(selector).then((t) => t.trim());

async function signIn(page, url, accessKey, secretKey) {
  await page.goto(url);
  await page.fill("#access-key", accessKey);
  await page.fill("#secret-key", secretKey);
  await page.click("#sign-in");
  await page.waitForSelector("#who");
}

async function main() {
  const spec = JSON.parse(process.argv[2]);
  fs.mkdirSync(spec.shots, { recursive: true });
  const shot = (page, name) => page.screenshot({ path: path.join(spec.shots, `${name}.png`), fullPage: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox"], // tests run as root, where chromium's sandbox cannot start
    timeout: 60000,
  });
  const out = { console: [] };
  try {
    // UTC: the retain-until dates typed into datetime-local inputs are the spec's, in UTC.
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 800 }, timezoneId: "UTC" });
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    page.on("console", (m) => out.console.push(m.text()));
    page.on("dialog", (d) => d.accept()); // the delete confirmations

    await page.goto(spec.url);
    await page.waitForSelector("#access-key");
    await shot(page, "01-sign-in");
    await signIn(page, spec.url, spec.root.accessKey, spec.root.secretKey);
    out.signedInAs = await page.textContent("#who");

    // Buckets: create one.
    await page.fill("#new-bucket", spec.bucket);
    await page.click("#create-bucket");
    const row = `tr[data-bucket="${spec.bucket}"]`;
    await page.waitForSelector(row);
    await shot(page, "02-buckets");

    // Object browser: open a "folder" (a prefix), upload into it, go back to the bucket's top,
    // browse into the folder again.
    await page.click(`${row} a.open`);
    await page.waitForSelector("#upload", { state: "attached" });
    await page.fill("#new-folder", "docs");
    await page.click("#open-folder");
    await page.waitForFunction(() => document.querySelector("#crumbs").textContent.endsWith("docs"));
    await page.setInputFiles("#upload", spec.file);
    const key = `docs/${path.basename(spec.file)}`;
    await page.waitForSelector(`tr[data-key="${key}"]`);
    out.progress = await page.textContent("#progress");
    // A file over the multipart threshold: a multipart upload from the page.
    await page.setInputFiles("#upload", spec.bigFile);
    await page.waitForSelector(`tr[data-key="docs/${path.basename(spec.bigFile)}"]`, { timeout: 120000 });
    out.bigProgress = await page.textContent("#progress");
    await page.click(`#crumbs a:text-is("${spec.bucket}")`);
    await page.waitForSelector('tr[data-prefix="docs/"]');
    out.topLevel = await page.locator("#objects tbody tr").count();
    await shot(page, "03-folders");
    await page.click('tr[data-prefix="docs/"] a.folder');
    await page.waitForSelector(`tr[data-key="${key}"]`);
    await shot(page, "03-objects");
    const name = key;

    // Download: a presigned GET with Content-Disposition: attachment.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click(`tr[data-key="${name}"] button.download`),
    ]);
    const saved = path.join(spec.shots, "downloaded.bin");
    await download.saveAs(saved);
    out.downloaded = saved;
    out.suggestedName = download.suggestedFilename();

    // Share link.
    await page.click(`tr[data-key="${name}"] button.share-link`);
    await page.waitForSelector("#share-url");
    await page.selectOption("#expiry", "86400");
    await page.waitForFunction(() => document.querySelector("#share-url").value.includes("X-Amz-Expires=86400"));
    out.shareUrl = await page.inputValue("#share-url");
    await shot(page, "04-share");

    // Versions list, then delete the object.
    await page.click(`tr[data-key="${name}"] button.versions`);
    await page.waitForSelector("#versions");
    out.versions = await page.locator("#versions tbody tr").count();
    await page.click(`tr[data-key="${name}"] button.details`);
    await page.waitForFunction(() => document.querySelector("#details .current-tags")?.textContent);
    await page.waitForSelector("#details #object-lock p");
    out.details = await page.textContent("#details");
    out.detailsTags = await text(page, "#details .current-tags");
    await page.click(`tr[data-key="${name}"] button.delete`);
    await page.waitForSelector(`tr[data-key="${name}"]`, { state: "detached" });
    out.deleted = true;

    // Bucket settings: turn versioning on.
    await page.goto(`${spec.url}#/settings/${spec.bucket}`);
    await page.click("#enable-versioning");
    await page.waitForFunction(() => document.querySelector("#versioning-status")?.textContent === "Enabled");
    out.versioning = await page.textContent("#versioning-status");
    await page.fill("#doc-policy textarea", JSON.stringify(spec.policy));
    await page.click('#doc-policy button:text-is("Save")');
    await page.waitForSelector('#doc-policy span:text-is("Saved.")');
    await page.fill("#doc-lifecycle textarea", spec.lifecycle);
    await page.click('#doc-lifecycle button:text-is("Save")');
    await page.waitForSelector('#doc-lifecycle span:text-is("Saved.")');

    // With versioning on, two uploads of one key make two versions; delete the older one.
    await page.goto(`${spec.url}#/browse/${spec.bucket}/docs%2F`);
    for (let i = 1; i <= 2; i++) {
      await page.setInputFiles("#upload", spec.file);
      await page.waitForSelector(`#progress[data-uploads="${i}"]`);
    }
    await page.click(`tr[data-key="${key}"] button.versions`);
    await page.waitForFunction(() => document.querySelectorAll("#versions tbody tr").length === 2);
    await shot(page, "05-versions");
    await page.click("#versions tbody tr:nth-child(2) button.delete-version");
    await page.waitForFunction(() => document.querySelectorAll("#versions tbody tr").length === 1);
    out.versionsLeft = await page.textContent("#versions tbody");
    await shot(page, "05-settings");

    // Bucket tags: a reserved key is refused (the server's InvalidTag message shown), then saved.
    await page.goto(`${spec.url}#/settings/${spec.bucket}`);
    const bucketTags = "#bucket-tags";
    await page.waitForFunction(() => document.querySelector("#bucket-tags .current-tags")?.textContent === "none");
    await page.fill(`${bucketTags} .tag-key >> nth=0`, "aws:cost");
    await page.fill(`${bucketTags} .tag-value >> nth=0`, "x");
    await page.click(`${bucketTags} .save-tags`);
    await page.waitForSelector(`${bucketTags} .error`);
    out.bucketTagRefusal = await text(page, `${bucketTags} .error`);
    await page.fill(`${bucketTags} .tag-key >> nth=0`, "team");
    await page.fill(`${bucketTags} .tag-value >> nth=0`, "storage");
    await page.click(`${bucketTags} .add-tag`);
    await page.fill(`${bucketTags} .tag-key >> nth=1`, "env");
    await page.fill(`${bucketTags} .tag-value >> nth=1`, "e2e test");
    await page.click(`${bucketTags} .save-tags`);
    await page.waitForSelector(`${bucketTags} .saved:text-is("Saved.")`);
    await page.waitForFunction(() => document.querySelector("#bucket-tags .current-tags").textContent.includes("="));
    out.bucketTags = await text(page, `${bucketTags} .current-tags`);
    out.bucketTagErrors = await page.locator(`${bucketTags} .error`).count();
    await shot(page, "09-bucket-tags");

    // Object lock: a bucket made with lock on; a version's retention (GOVERNANCE), legal hold and
    // tags set in its details; the test checks them with boto3, then the page shortens the
    // retention (refused without bypass governance, done with it) and fails to delete the version.
    await page.goto(`${spec.url}#/buckets`);
    await page.fill("#new-bucket", spec.lockBucket);
    await page.check("#new-bucket-lock");
    await page.click("#create-bucket");
    await page.waitForSelector(`tr[data-bucket="${spec.lockBucket}"]`);
    await page.goto(`${spec.url}#/browse/${spec.lockBucket}/`);
    await page.waitForSelector("#upload", { state: "attached" });
    await page.setInputFiles("#upload", spec.file);
    const lockedKey = path.basename(spec.file);
    await page.waitForSelector(`tr[data-key="${lockedKey}"]`);
    await page.click(`tr[data-key="${lockedKey}"] button.versions`);
    await page.waitForSelector("#versions tbody tr[data-version]");
    const versionId = await page.getAttribute("#versions tbody tr[data-version]", "data-version");
    await page.click(`#versions tr[data-version="${versionId}"] button.version-details`);
    await page.waitForSelector(`#details[data-version="${versionId}"] #retention`);
    out.lockBefore = [await text(page, "#retention"), await text(page, "#legal-hold")];
    await page.selectOption("#retention-mode", "GOVERNANCE");
    await page.fill("#retention-until", spec.retainLong);
    await page.click("#set-retention");
    await page.waitForSelector(`#retention:text-is("GOVERNANCE until ${spec.retainLongIso}")`);
    await page.click("#legal-hold-on");
    await page.waitForSelector('#legal-hold:text-is("ON")');
    const objectTags = "#object-tags";
    await page.fill(`${objectTags} .tag-key >> nth=0`, "project");
    await page.fill(`${objectTags} .tag-value >> nth=0`, "cairn");
    await page.click(`${objectTags} .save-tags`);
    await page.waitForSelector(`${objectTags} .current-tags:text-is("project=cairn")`);
    await checkpoint("locked", { versionId });
    await page.fill("#retention-until", spec.retainShort);
    await page.click("#set-retention");
    await page.waitForSelector("#object-lock .error");
    out.shortenRefusal = await text(page, "#object-lock .error");
    await page.check("#retention-bypass");
    await page.click("#set-retention");
    await page.waitForSelector(`#retention:text-is("GOVERNANCE until ${spec.retainShortIso}")`);
    out.lockErrors = await page.locator("#object-lock .error").count();
    out.lockHeaders = await page.textContent("#details table");
    await page.click(`#versions tr[data-version="${versionId}"] button.delete-version`);
    await page.waitForSelector("section > .error");
    out.deleteRefusal = await text(page, "section > .error");
    out.versionsAfterDelete = await page.locator("#versions tbody tr").count();
    await shot(page, "10-object-lock");
    await checkpoint("shortened");
    // Remove the retention (bypass governance still checked) and release the legal hold: the
    // test then deletes the version.
    await page.click("#remove-retention");
    await page.waitForSelector('#retention:text-is("none")');
    await page.click("#legal-hold-off");
    await page.waitForSelector('#legal-hold:text-is("OFF")');
    out.unlockErrors = await page.locator("#object-lock .error").count();

    // Identity: create a user with the readonly policy (add-user's body encrypted in the page).
    await page.goto(`${spec.url}#/identity`);
    await page.waitForSelector("#new-user-policy option[value=readonly]", { state: "attached" });
    await page.fill("#new-user", spec.newUser.accessKey);
    await page.fill("#new-user-secret", spec.newUser.secretKey);
    await page.selectOption("#new-user-policy", "readonly");
    await page.click("#create-user");
    await page.waitForSelector(`tr[data-user="${spec.newUser.accessKey}"]`, { timeout: 60000 });
    out.userRow = await page.textContent(`tr[data-user="${spec.newUser.accessKey}"]`);
    out.userPolicy = await page.inputValue(`tr[data-user="${spec.newUser.accessKey}"] select.user-policy`);
    // A group with that user in it, given the readonly policy.
    await page.fill("#new-group", "console-group");
    await page.fill("#new-group-members", spec.newUser.accessKey);
    await page.click("#add-members");
    await page.waitForSelector('tr[data-group="console-group"]');
    await page.selectOption('tr[data-group="console-group"] select.group-policy', "readonly");
    await page.waitForFunction(() => document.querySelector('tr[data-group="console-group"] select.group-policy').value === "readonly");
    out.groupRow = await page.textContent('tr[data-group="console-group"]');
    // An access key of the signed-in user (request and answer encrypted).
    await page.click("#create-access-key");
    await page.waitForSelector("#new-access-key code", { timeout: 60000 });
    out.accessKey = await page.locator("#new-access-key code").allTextContents();
    await page.waitForSelector(`tr[data-access-key="${out.accessKey[0]}"]`);
    await shot(page, "06-identity");

    // A second group with both users; remove one member (checked with the admin API), then
    // delete the group (its last member removed first).
    const user = `tr[data-user="${spec.newUser.accessKey}"]`;
    const temp = 'tr[data-group="console-temp"]';
    await page.fill("#new-group", "console-temp");
    await page.fill("#new-group-members", `${spec.newUser.accessKey}, ${spec.user.accessKey}`);
    await page.click("#add-members");
    await page.waitForSelector(`${temp} .member[data-member="${spec.user.accessKey}"]`);
    await page.click(`${temp} .member[data-member="${spec.user.accessKey}"] .remove-member`);
    await page.waitForSelector(`${temp} .member[data-member="${spec.user.accessKey}"]`, { state: "detached" });
    out.tempMembers = await text(page, `${temp} .members`);
    await checkpoint("member-removed");
    await page.click(`${temp} .delete-group`);
    await page.waitForSelector(temp, { state: "detached" });
    out.groupErrors = await page.locator("#groups .error").count();

    // Disable the user the page made (the test sees its keys refused), then enable it again.
    await page.click(`${user} .toggle-status`);
    await page.waitForSelector(`${user} .status:text-is("disabled")`);
    await shot(page, "11-user-disabled");
    await checkpoint("user-disabled");
    await page.click(`${user} .toggle-status`);
    await page.waitForSelector(`${user} .status:text-is("enabled")`);

    // That user's access keys, as root: create one (the test uses it), then delete it.
    await page.click(`${user} .user-keys`);
    await page.waitForSelector(`#user-access-keys[data-user="${spec.newUser.accessKey}"] p.muted:text-is("None.")`);
    await page.click("#user-access-keys .create-access-key");
    await page.waitForSelector("#user-access-keys .new-access-key code", { timeout: 60000 });
    out.userAccessKey = await page.locator("#user-access-keys .new-access-key code").allTextContents();
    const userKeyRow = `#user-access-keys tr[data-access-key="${out.userAccessKey[0]}"]`;
    await page.waitForSelector(userKeyRow);
    await shot(page, "12-user-access-keys");
    await checkpoint("user-key-made", { accessKey: out.userAccessKey[0], secretKey: out.userAccessKey[1] });
    await page.click(`${userKeyRow} .delete-access-key`);
    await page.waitForSelector(userKeyRow, { state: "detached" });
    out.userKeyErrors = await page.locator("#user-access-keys .error").count();

    // Health: drives, heal status, a few metric samples.
    await page.goto(`${spec.url}#/health`);
    await page.waitForSelector("#drives");
    out.clusterMode = await page.textContent("#cluster-mode");
    await page.click("#heal-now");
    await page.waitForFunction(() => document.querySelector("#heal-result b")?.textContent === "finished", null, { timeout: 60000 });
    out.heal = await page.textContent("#heal-result");
    await page.waitForTimeout(6000); // two scrapes: the rates have a first point
    out.metricsError = await page.locator("#metrics .error").count();
    await shot(page, "07-health");

    // Sign out; sign in as the narrow user made with mc beforehand and try to create a bucket.
    await page.click("#sign-out");
    await page.waitForSelector("#access-key");
    await signIn(page, spec.url, spec.user.accessKey, spec.user.secretKey);
    await page.waitForSelector(`tr[data-bucket="${spec.bucket}"]`);
    out.listedAsUser = (await page.locator("section .error").count()) === 0;
    await page.fill("#new-bucket", `${spec.bucket}-refused`);
    await page.click("#create-bucket");
    await page.waitForSelector("section .error");
    out.refusal = await page.textContent("section .error");
    await shot(page, "08-refused");
    // Its policy does not let it read tags or retention: the object's details say so.
    await page.goto(`${spec.url}#/browse/${spec.bucket}/docs%2F`);
    await page.click(`tr[data-key="${key}"] button.details`);
    await page.waitForSelector("#object-tags .error");
    await page.waitForSelector("#object-lock .error");
    out.narrowDetails = [await text(page, "#object-tags .error"), await text(page, "#object-lock .error")];
    out.narrowTagEditors = await page.locator("#object-tags .save-tags").count();
    out.session = await page.evaluate(() => Object.keys(sessionStorage));
    out.local = await page.evaluate(() => Object.keys(localStorage));

    // Temporary credentials (STS AssumeRole, made beforehand): the session token goes along.
    await page.click("#sign-out");
    await page.waitForSelector("#access-key");
    await page.fill("#access-key", spec.temporary.accessKey);
    await page.fill("#secret-key", spec.temporary.secretKey);
    await page.click("details summary");
    await page.fill("#session-token", spec.temporary.sessionToken);
    await page.click("#sign-in");
    await page.waitForSelector(`tr[data-bucket="${spec.bucket}"]`);
    out.temporaryErrors = await page.locator("section .error").count();
  } catch (e) {
    const pages = browser.contexts().flatMap((c) => c.pages());
    if (pages.length) await pages[0].screenshot({ path: path.join(spec.shots, "failure.png"), fullPage: true }).catch(() => {});
    console.error("browser console:\n" + out.console.join("\n"));
    throw e;
  } finally {
    input.close();
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
