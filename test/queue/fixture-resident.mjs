// A resident driver for the queue tests (the ResidentLaunch protocol of src/runners/types.ts) over
// the fixture runner's files: each holds the milliseconds it "runs", FAIL to fail, EXIT to end the
// driver mid-batch (exit 0, as a test calling exit would), HANG to never finish, CATCH to wait for
// SIGINT and answer "interrupted" (2) as pytest does. The report's
// testsuite is named after the driver's pid, so tests can tell one live driver from a restarted one.
// RESIDENT_FIXTURE_NO_READY=1: exits before "ready" (a driver that cannot start).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

if (process.env.RESIDENT_FIXTURE_NO_READY === '1') {
  console.error('fixture driver: cannot start');
  process.exit(3);
}
const feed = new Socket({ fd: Number(process.env.SPLIT_TESTS_FEED_FD), readable: true, writable: true });
const send = (message) => feed.write(`${JSON.stringify(message)}\n`);
send({ type: 'ready' });
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
for await (const line of createInterface({ input: feed })) {
  const message = JSON.parse(line);
  if (message.type !== 'batch') continue;
  const at = message.args.indexOf('--junit-out');
  const out = at === -1 ? undefined : message.args[at + 1];
  const files = message.args.filter((_, i) => at === -1 || (i !== at && i !== at + 1));
  console.log(`batch ${message.batch} start ${files.length} files (pid ${process.pid}, SPLIT_TESTS_SHARD=${message.env.SPLIT_TESTS_SHARD ?? ''})`);
  let failed = 0;
  let interrupted = false;
  const cases = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (text.includes('EXIT')) process.exit(0);
    if (text.includes('HANG')) await new Promise(() => setInterval(() => undefined, 1000));
    if (text.includes('CATCH')) {
      // as pytest does: Ctrl-C ends the batch as "interrupted" (2), and the runner stays up
      await new Promise((resolve) => process.once('SIGINT', resolve));
      interrupted = true;
      break;
    }
    const ms = Number.parseInt(text, 10);
    await new Promise((resolve) => setTimeout(resolve, ms));
    const bad = text.includes('FAIL');
    if (bad) failed++;
    cases.push(`<testcase classname="${esc(file)}" name="runs" file="${esc(file)}" time="${(ms / 1000).toFixed(3)}">${bad ? '<failure message="failed"/>' : ''}</testcase>`);
  }
  if (interrupted) {
    send({ type: 'done', batch: message.batch, exitCode: 2 });
    continue;
  }
  if (out !== undefined) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="pid-${process.pid}" tests="${files.length}" failures="${failed}">${cases.join('')}</testsuite></testsuites>\n`);
  }
  send({ type: 'done', batch: message.batch, exitCode: failed > 0 ? 1 : 0 });
}
process.exit(0);
