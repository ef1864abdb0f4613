// check.js — opens an HTML report in headless Chromium and checks it.
//
// Usage: node check.js CHROMIUM PAGE.html SUMMARY.json EXAMPLES.jsonl SHOT.png
//        node check.js --canary CHROMIUM PAGE.html
//
// Talks to Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe: NUL-separated JSON on fds 3 and 4, as Puppeteer
// and Playwright do), so it needs nothing but Node. It fails on any network
// request (a URL that is not file: or data:), on any console error, uncaught
// exception or browser log error, then saves a full-page screenshot and
// checks that every number the page shows equals the summary: each shown
// number sits in an element whose data-k is the JSON Pointer of its value
// (docs/REPORT.md), and no other visible text contains a digit unless it is
// marked data-free (names, ids, example text). --canary runs the same
// detectors on a page that makes a request and logs an error, and succeeds
// only if both are caught: the check itself is tested.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const canary = process.argv[2] === '--canary';
const args = process.argv.slice(canary ? 3 : 2);
const [chromium, page, summaryPath, examplesPath, shotPath] = args;
const problems = [];
const fail = (msg) => problems.push(msg);

function launch() {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tm-chromium-'));
    const proc = spawn(chromium, [
        '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--disable-default-apps', '--mute-audio', '--hide-scrollbars',
        '--user-data-dir=' + profile, '--remote-debugging-pipe', 'about:blank',
    ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => { stderr += d; });
    const out = proc.stdio[3], inp = proc.stdio[4];
    let id = 0, buf = '';
    const pending = new Map(), listeners = [];
    inp.on('data', (chunk) => {
        buf += chunk.toString('utf8');
        let z;
        while ((z = buf.indexOf('\0')) >= 0) {
            const msg = JSON.parse(buf.slice(0, z));
            buf = buf.slice(z + 1);
            if (msg.id && pending.has(msg.id)) {
                const { resolve, reject } = pending.get(msg.id);
                pending.delete(msg.id);
                msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result);
            } else if (msg.method) {
                for (const l of listeners) l(msg);
            }
        }
    });
    const send = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
        const m = { id: ++id, method, params };
        if (sessionId) m.sessionId = sessionId;
        pending.set(m.id, { resolve, reject });
        out.write(JSON.stringify(m) + '\0');
    });
    const exited = new Promise((r) => proc.on('exit', r));
    // Kill, wait for the exit, then remove the profile (Chromium writes to it
    // until it is gone); a leftover temporary directory is not a failure.
    const close = async () => {
        try { proc.kill('SIGKILL'); } catch (e) { /* already gone */ }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        try { fs.rmSync(profile, { recursive: true, force: true }); } catch (e) { /* ignored */ }
    };
    return { send, on: (f) => listeners.push(f), close, stderr: () => stderr };
}

// Collects, in the page, what the checks below need.
function inPage() {
    const nums = [...document.querySelectorAll('[data-k]')].map((e) => {
        const s = e.closest('[data-scale]');
        return {
            k: e.getAttribute('data-k'), f: e.getAttribute('data-f'), of: e.getAttribute('data-of'),
            tag: e.tagName.toLowerCase(), text: e.textContent,
            width: e.getAttribute('width'), height: e.getAttribute('height'),
            scale: s && s.getAttribute('data-scale'), dim: s && s.getAttribute('data-dim'),
        };
    });
    const stray = [];
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n; (n = w.nextNode());) {
        if (!/[0-9]/.test(n.data)) continue;
        const p = n.parentElement;
        if (p.closest('[data-k],[data-free],title,style')) continue;
        stray.push(n.data.trim().slice(0, 80));
    }
    const byId = (id) => { const e = document.getElementById(id); return e && e.textContent; };
    return {
        nums, stray,
        ledger: ['read', 'kept', 'removed', 'rejected', 'status'].map((p) => byId('ledger-' + p)),
        scripts: document.scripts.length,
        external: document.querySelectorAll('img,iframe,object,embed,video,audio,link[rel=stylesheet]').length,
        text: document.body.innerText,
        sections: ['funnel', 'removed_by', 'signals', 'languages', 'clusters', 'examples']
            .filter((id) => !document.querySelector('#' + id + ' svg, #' + id + ' article')),
    };
}

async function open(b, url) {
    const { targetId } = await b.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await b.send('Target.attachToTarget', { targetId, flatten: true });
    let loaded;
    const load = new Promise((r) => { loaded = r; });
    b.on((m) => {
        if (m.sessionId !== sessionId) return;
        const p = m.params;
        if (m.method === 'Network.requestWillBeSent' && !/^(file|data):/.test(p.request.url))
            fail('network request: ' + p.request.url);
        if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert'))
            fail('console error: ' + p.args.map((a) => a.value).join(' '));
        if (m.method === 'Runtime.exceptionThrown')
            fail('exception: ' + p.exceptionDetails.text);
        if (m.method === 'Log.entryAdded' && p.entry.level === 'error')
            fail('log error: ' + p.entry.text + ' ' + (p.entry.url || ''));
        if (m.method === 'Page.loadEventFired') loaded();
    });
    for (const d of ['Network', 'Runtime', 'Log', 'Page']) await b.send(d + '.enable', {}, sessionId);
    await b.send('Emulation.setDeviceMetricsOverride',
        { width: 860, height: 1000, deviceScaleFactor: 1, mobile: false }, sessionId);
    await b.send('Page.navigate', { url }, sessionId);
    await load;
    await new Promise((r) => setTimeout(r, 500)); // late console or network events
    return sessionId;
}

// ---- comparing shown numbers with the summary ------------------------------

function resolve(summary, lines, k) {
    let v, segs;
    const m = /^ex\/(\d+)(\/.*)$/.exec(k);
    if (m) {
        if (!lines[+m[1]]) return undefined;
        v = JSON.parse(lines[+m[1]]);
        segs = m[2];
    } else {
        v = summary;
        segs = k;
    }
    if (!segs.startsWith('/')) return undefined;
    for (const s of segs.slice(1).split('/')) {
        const key = s.replace(/~1/g, '/').replace(/~0/g, '~');
        if (v === null || typeof v !== 'object' || !(key in v)) return undefined;
        v = v[key];
    }
    return v;
}

const decimals = (s) => { const m = /\.(\d+)/.exec(s); return m ? m[1].length : 0; };
const UNITS = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15 };

function checkNumber(n, v, of) {
    const t = n.text.trim(), bad = (why) => fail(`${n.k} (${n.f}): shown "${t}", summary ${v}${why ? ' — ' + why : ''}`);
    if (typeof v !== 'number') return bad('not a number in the summary');
    if (n.tag === 'rect') {
        const scale = parseFloat(n.scale), got = parseFloat(n[n.dim]);
        const want = v > 0 ? Math.max(v * scale, 1) : 0;
        if (!(Math.abs(got - want) <= 0.011)) bad(`bar ${n.dim} ${got}, want ${want.toFixed(2)}`);
        return;
    }
    if (n.f === 'count' && Number.isInteger(v)) {
        if (t !== v.toLocaleString('en-US')) bad();
        return;
    }
    if (n.f === 'pct') {
        if (typeof of !== 'number' || !/^[\d.]+%$/.test(t)) return bad('bad percentage');
        if (Math.abs(parseFloat(t) - (100 * v) / of) > 0.05 + 1e-9) bad(`of ${of}`);
        return;
    }
    if (n.f === 'bytes') {
        const m = /^(-?[\d.]+(?:e[+-]?\d+)?) (B|kB|MB|GB|TB|PB)$/.exec(t);
        if (!m) return bad('bad byte count');
        const got = parseFloat(m[1]) * UNITS[m[2]];
        if (Math.abs(got - v) > (m[2] === 'B' ? 0.5 : 0.005 * Math.abs(v))) bad();
        return;
    }
    const m = /^(-?[\d.]+(?:e[+-]?\d+)?)( s)?$/.exec(t);
    if (!m || (n.f === 'seconds') !== !!m[2]) return bad('unparseable');
    const tol = Math.max(0.5 * 10 ** -decimals(m[1]), 5e-4 * Math.abs(v)) + 1e-12;
    if (Math.abs(parseFloat(m[1]) - v) > tol) bad();
}

function checkReport(r, summary, lines) {
    for (const n of r.nums) {
        const v = resolve(summary, lines, n.k);
        checkNumber(n, v, n.of ? resolve(summary, lines, n.of) : undefined);
    }
    for (const s of r.stray) fail('number shown without a summary pointer: "' + s + '"');
    const shown = new Set(r.nums.map((n) => n.k));
    const need = (k) => { if (!shown.has(k)) fail('not shown: ' + k); };
    const L = summary.ledger;
    ['read', 'kept', 'removed', 'rejected'].forEach((p, i) => {
        need('/ledger/' + p);
        if (r.ledger[i] !== L[p].toLocaleString('en-US')) fail(`#ledger-${p} shows ${r.ledger[i]}`);
    });
    const holds = L.read === L.kept + L.removed + L.rejected && L.ok !== false;
    if (r.ledger[4] !== (holds ? 'OK' : 'BROKEN')) fail('#ledger-status shows ' + r.ledger[4]);
    const esc = (k) => k.replace(/~/g, '~0').replace(/\//g, '~1');
    for (const sec of ['removed_by', 'rejected_by', 'languages', 'edits'])
        for (const k of Object.keys(summary[sec] || {})) need(`/${sec}/${esc(k)}`);
    for (const k of Object.keys((summary.clusters || {}).size_histogram || {}))
        need('/clusters/size_histogram/' + esc(k));
    (summary.stages || []).forEach((s, i) => {
        for (const k of ['docs_in', 'docs_out', 'bytes_in', 'bytes_out', 'seconds'])
            if (k in s && s[k] !== null) need(`/stages/${i}/${k}`); // null: not timed apart
    });
    for (const [name, s] of Object.entries(summary.signals || {}))
        for (const series of ['kept', 'removed'])
            (s[series] || []).forEach((_, i) => need(`/signals/${esc(name)}/${series}/${i}`));
    lines.forEach((l, i) => {
        let e;
        try { e = JSON.parse(l); } catch (err) { return; }
        if (e.kind === 'removed' && typeof e.value === 'number') need(`ex/${i}/value`);
        if (e.kind === 'cluster') need(`ex/${i}/size`);
    });
    if (r.sections.length) fail('sections without a chart: ' + r.sections.join(', '));
    if (r.scripts !== 0) fail(r.scripts + ' script elements in the page');
    if (r.external !== 0) fail(r.external + ' elements that load resources');
    if (lines.some((l) => l.includes('<script>alert(1)</script>')) &&
        !r.text.includes('<script>alert(1)</script>'))
        fail('the example text with markup is not shown as text');
}

async function main() {
    const b = launch();
    const watchdog = setTimeout(() => {
        console.error('browser test: timed out\n' + b.stderr().slice(-2000));
        b.close();
        process.exit(1);
    }, 60000);
    try {
        const url = 'file://' + path.resolve(page);
        const sessionId = await open(b, url);
        if (canary) {
            const net = problems.some((p) => p.startsWith('network request'));
            const con = problems.some((p) => p.startsWith('console error'));
            console.log(`canary: network request ${net ? 'caught' : 'MISSED'}, console error ${con ? 'caught' : 'MISSED'}`);
            return net && con ? 0 : 1;
        }
        const ev = await b.send('Runtime.evaluate',
            { expression: '(' + inPage.toString() + ')()', returnByValue: true }, sessionId);
        if (ev.exceptionDetails) throw new Error('evaluate: ' + ev.exceptionDetails.text);
        const summary = JSON.parse(fs.readFileSync(summaryPath, 'utf8'));
        const lines = examplesPath === '-' ? [] : fs.readFileSync(examplesPath, 'utf8').split('\n');
        const r = ev.result.value;
        checkReport(r, summary, lines);
        const lm = await b.send('Page.getLayoutMetrics', {}, sessionId);
        const size = lm.cssContentSize || lm.contentSize;
        const shot = await b.send('Page.captureScreenshot', {
            format: 'png', captureBeyondViewport: true,
            clip: { x: 0, y: 0, width: size.width, height: Math.min(size.height, 16000), scale: 1 },
        }, sessionId);
        fs.writeFileSync(shotPath, Buffer.from(shot.data, 'base64'));
        console.log(`browser test: ${r.nums.length} numbers checked against the summary, ` +
            `screenshot ${shotPath} (${Math.round(size.width)}x${Math.round(size.height)})`);
        for (const p of problems) console.log('FAIL: ' + p);
        return problems.length ? 1 : 0;
    } finally {
        clearTimeout(watchdog);
        await b.close();
    }
}

main().then((rc) => process.exit(rc), (e) => {
    console.error('browser test: ' + e.message);
    process.exit(1);
});
