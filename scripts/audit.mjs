#!/usr/bin/env node
// CI's online dependency check (policy: docs/security.md). Runs `npm audit --omit=dev` against the
// registry's advisory service and fails on a high or critical advisory that affects what we ship,
// unless .ci/audit-exceptions.json accepts it (with a reason and a date to look again). When the
// advisory service cannot be reached, it says so loudly and exits 0: an unreachable service is not
// a finding, and the offline lockfile checks (test/security/lockfile.test.ts) still run.
// AUDIT_REQUIRED=true turns "unreachable" into a failure (for release builds with network access).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TIMEOUT_MS = 90_000;
const FAILING = new Set(['high', 'critical']);

/**
 * Reads `npm audit --json` output. Returns { state: 'clean' | 'findings' | 'unreachable', findings, detail }.
 * A finding is { package, severity, title, url } for a high/critical advisory not accepted in `exceptions`
 * (an exception counts until its reviewBy date, given as YYYY-MM-DD, has passed on `today`).
 */
export function readAuditReport(stdout, exceptions = [], today = new Date().toISOString().slice(0, 10)) {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    return { state: 'unreachable', findings: [], detail: `npm audit gave no JSON report: ${stdout.slice(0, 200)}` };
  }
  if (!report || typeof report.vulnerabilities !== 'object' || report.vulnerabilities === null) {
    const why = report?.message ?? report?.error?.summary ?? 'no vulnerabilities section in the report';
    return { state: 'unreachable', findings: [], detail: String(why) };
  }
  const accepted = new Set(exceptions.filter((e) => !e.reviewBy || e.reviewBy >= today).map((e) => e.advisory));
  const findings = [];
  for (const vuln of Object.values(report.vulnerabilities)) {
    for (const via of vuln.via ?? []) {
      // A string `via` points at another package whose own entry carries the advisory.
      if (typeof via !== 'object' || !FAILING.has(via.severity) || accepted.has(via.url)) continue;
      findings.push({ package: vuln.name, severity: via.severity, title: via.title, url: via.url, fix: vuln.fixAvailable ? 'fix available' : 'no fix yet' });
    }
  }
  return { state: findings.length ? 'findings' : 'clean', findings, detail: '' };
}

function runAudit() {
  return new Promise((resolve) => {
    const child = spawn('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.resume();
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      resolve({ stdout: '', timedOut: true });
    }, TIMEOUT_MS);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout: out, timedOut: false });
    });
  });
}

async function main() {
  const exceptionsFile = fileURLToPath(new URL('../.ci/audit-exceptions.json', import.meta.url));
  const exceptions = existsSync(exceptionsFile) ? JSON.parse(readFileSync(exceptionsFile, 'utf8')) : [];
  const { stdout, timedOut } = await runAudit();
  const result = timedOut ? { state: 'unreachable', findings: [], detail: `no answer within ${TIMEOUT_MS / 1000} s` } : readAuditReport(stdout, exceptions);
  if (result.state === 'clean') {
    console.log('npm audit: no high or critical advisory affects the production dependencies');
    return 0;
  }
  if (result.state === 'findings') {
    console.error(`npm audit: ${result.findings.length} high/critical advisories affect the production dependencies:`);
    for (const f of result.findings) console.error(`  ${f.severity} ${f.package}: ${f.title} (${f.url}; ${f.fix})`);
    console.error('Upgrade, or accept it in .ci/audit-exceptions.json with a reason (docs/security.md).');
    return 1;
  }
  console.log(`npm audit: NOT CHECKED - the advisory service could not be reached (${result.detail}).`);
  console.log('The offline lockfile checks still run in npm test; run `node scripts/audit.mjs` where the registry is reachable.');
  return process.env.AUDIT_REQUIRED === 'true' ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exit(await main());
