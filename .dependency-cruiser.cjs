// The import rules of docs/architecture.md ("Layers and the direction of imports"), checked by
// `npm test` (test/run.mjs) and by hand with `npx depcruise src`. Colocated *.test.ts files may
// import what they test and test/support, so they are not the `from` side of any rule.
const TESTS = '\\.test\\.tsx?$';
const ADAPTERS = '^src/(web|api|cli)/';

/** Every module and the modules it may import (architecture.md's order, lowest first). */
const MODULES = {
  // The schedule optimizer (issue 14): pure, like formats; the planning module builds its instances.
  optimizer: [],
  mail: [],
  // Backups and restores of the whole database (the CLI and the servers' scheduled backups).
  backup: [],
  accounts: ['mail'],
  // The live channel: the write path (events) and the release action signal through it.
  live: ['accounts', 'mail'],
  events: ['live', 'accounts', 'mail'],
  speakers: ['events', 'live', 'accounts', 'mail'],
  program: ['speakers', 'events', 'live', 'accounts', 'mail'],
  schedule: ['program', 'speakers', 'events', 'live', 'accounts', 'mail'],
  cfp: ['program', 'speakers', 'events', 'live', 'accounts', 'mail'],
  registration: ['schedule', 'program', 'speakers', 'events', 'live', 'accounts', 'mail'],
  agenda: ['schedule', 'program', 'speakers', 'events', 'live', 'accounts', 'mail'],
  webhooks: ['events', 'live', 'accounts', 'mail'],
  // The schedule editor: moves (placing accepted proposals), warnings from stars and sign-ups.
  planning: ['interest', 'optimizer', 'registration', 'agenda', 'cfp', 'schedule', 'program', 'speakers', 'events', 'live', 'accounts', 'mail'],
  // The interest poll (issue 14): talks from the programme and the call, stars from the agenda.
  interest: ['registration', 'agenda', 'cfp', 'schedule', 'program', 'speakers', 'events', 'live', 'accounts', 'mail'],
  privacy: ['interest', 'registration', 'agenda', 'cfp', 'schedule', 'program', 'speakers', 'events', 'live', 'accounts', 'mail', 'webhooks'],
  demo: ['interest', 'planning', 'registration', 'agenda', 'cfp', 'schedule', 'program', 'speakers', 'events', 'live', 'accounts', 'mail', 'webhooks'],
};

/** Narrow exceptions to the order above, each a file a lower module may read. */
const EXCEPTIONS = {
  // A meetup series' session template names a session kind: the pure constants of program/session.ts.
  events: ['^src/modules/program/session\\.ts$'],
};

/** A rule that fails `npm test` when a file matching `from` imports one matching `to`. */
function forbid(name, comment, from, to) {
  return { name, comment, severity: 'error', from, to };
}

const moduleOrder = Object.entries(MODULES).map(([name, allowed]) =>
  forbid(
    `module-order-${name}`,
    `modules/${name} imports only ${allowed.length ? allowed.join(', ') : 'no other module'} (architecture.md's module order)`,
    { path: `^src/modules/${name}/`, pathNot: TESTS },
    { path: '^src/modules/([^/]+)/', pathNot: [`^src/modules/(${[name, ...allowed].join('|')})/`, ...(EXCEPTIONS[name] ?? [])] },
  ),
);

module.exports = {
  forbidden: [
    forbid('no-circular', 'no import cycles between files', { path: '^src/' }, { circular: true }),
    forbid(
      'modules-not-adapters',
      'modules are domain only: never web, api, cli, http or the app',
      { path: '^src/(modules|db|lib|formats)/', pathNot: TESTS },
      { path: '^src/(web|api|cli|http)/|^src/(app|server)\\.ts$' },
    ),
    forbid(
      'adapters-not-each-other',
      'web, api and cli use modules, formats and http, never each other',
      { path: '^src/(web|api|cli)/', pathNot: TESTS },
      { path: ADAPTERS, pathNot: '^src/$1/' },
    ),
    forbid('http-not-adapters', 'http is plumbing shared by web and api, so it imports neither', { path: '^src/http/', pathNot: TESTS }, { path: ADAPTERS }),
    forbid(
      'adapters-no-sql',
      'pages and routes call queries and actions; SQL (kysely) lives in the modules',
      { path: '^src/(web|api|cli|http)/', pathNot: TESTS },
      { path: '(^|/)node_modules/kysely/' },
    ),
    forbid(
      'formats-pure',
      'formats (frab, iCalendar, Sessionize) are pure code: lib, other formats, npm packages and the pure files of modules (<thing>.ts, *.schemas.ts, *.errors.ts), never actions, queries, tables, caches, db or http',
      { path: '^src/formats/', pathNot: TESTS },
      {
        pathNot: ['^src/formats/', '^src/lib/', '^src/modules/[^/]+/[^/.]+(\\.schemas|\\.errors)?\\.ts$', '(^|/)node_modules/'],
      },
    ),
    forbid(
      'formats-reach-no-database',
      'nothing a format imports, however indirectly, reaches the database or a server',
      { path: '^src/formats/', pathNot: TESTS },
      { path: '^src/db/|(^|/)node_modules/(kysely|pg|better-sqlite3|fastify)/', reachable: true },
    ),
    forbid(
      'lib-imports-only-lib',
      'lib holds small named helpers and imports nothing above it',
      { path: '^src/lib/', pathNot: TESTS },
      { path: '^src/', pathNot: '^src/lib/' },
    ),
    forbid(
      'db-imports-lib-and-tables',
      "db imports lib, config.ts and, for the Database type, the modules' *.table.ts row types",
      { path: '^src/db/', pathNot: TESTS },
      { path: '^src/', pathNot: ['^src/(db|lib)/', '^src/config\\.ts$', '^src/modules/[^/]+/[^/]+\\.table\\.ts$'] },
    ),
    forbid('src-not-test', "production code never imports the tests' support code", { path: '^src/', pathNot: TESTS }, { path: '^(test|bench)/' }),
    ...moduleOrder,
  ],
  options: {
    includeOnly: { path: '^(src|test|bench)/|node_modules/(kysely|pg|better-sqlite3|fastify)/' },
    exclude: { path: '^src/web/assets/' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    cache: false,
  },
};
