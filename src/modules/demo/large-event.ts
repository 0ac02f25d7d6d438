import type { EventDocumentInput } from '../schedule/event-document.schemas.js';

/**
 * A generated FOSDEM-scale event for load tests, benchmarks and "what does the schedule look like
 * with 60 rooms" demos. Deterministic: the same options always give the same document (a seeded
 * PRNG, no Math.random, no clock).
 *
 * Shape: two days; every room hosts one track ("devroom") per day and runs back-to-back sessions
 * from 09:00 to 19:00 with 5-minute changeovers. Each room-day has its own pool of speakers, and a
 * speaker only speaks in their own room-day, so nobody is ever booked in two rooms at once.
 */

export interface LargeEventOptions {
  /** Number of sessions (at most as many as fit). Default 960, spread over each room's day. */
  sessions?: number;
  /** Number of rooms (1-1000). Default 60. */
  rooms?: number;
  /** Number of speakers; at least one per used room-day. Default 1,050. */
  speakers?: number;
  /** PRNG seed. Default 2027. */
  seed?: number;
}

type SpeakerInput = NonNullable<EventDocumentInput['speakers']>[number];
type SessionInput = NonNullable<EventDocumentInput['sessions']>[number];
type RoomInput = NonNullable<EventDocumentInput['rooms']>[number];
type TrackInput = NonNullable<EventDocumentInput['tracks']>[number];
type Level = NonNullable<SessionInput['level']>;

const DAYS = ['2027-02-06', '2027-02-07'] as const;
const DAY_START = 9 * 60;
const DAY_END = 19 * 60;
const GAP = 5;
/** Slot lengths in minutes, each listed as often as it should be drawn. */
const DURATIONS = [15, 15, 25, 25, 25, 30, 30, 30, 40, 40, 40, 50, 50];

/** Devroom-style tracks with a few topics each; titles and bios are built from the topics. */
const TRACKS: ReadonlyArray<{ name: string; topics: readonly string[] }> = [
  { name: 'Rust', topics: ['async Rust', 'the borrow checker', 'embedded Rust', 'Rust in the Linux kernel', 'cargo workspaces'] },
  { name: 'Go', topics: ['Go generics', 'the Go scheduler', 'profiling Go services', 'Go modules', 'error handling in Go'] },
  { name: 'Python', topics: ['Python packaging', 'typed Python', 'the free-threaded interpreter', 'Python in data pipelines', 'asyncio'] },
  { name: 'JavaScript', topics: ['JavaScript bundlers', 'server-side JavaScript', 'TypeScript types', 'web components', 'JavaScript runtimes'] },
  { name: 'Java & JVM', topics: ['virtual threads', 'native images', 'JVM garbage collectors', 'Kotlin on the server', 'JDK Flight Recorder'] },
  { name: 'Databases', topics: ['PostgreSQL extensions', 'query planners', 'embedded databases', 'database replication', 'time-series storage'] },
  { name: 'Containers', topics: ['rootless containers', 'container image builds', 'OCI runtimes', 'container networking', 'image layer caching'] },
  { name: 'Kubernetes', topics: ['Kubernetes operators', 'cluster autoscaling', 'the Kubernetes scheduler', 'multi-tenant clusters', 'Kubernetes upgrades'] },
  { name: 'Kernel', topics: ['the Linux scheduler', 'io_uring', 'kernel live patching', 'memory management', 'kernel testing'] },
  { name: 'Embedded & IoT', topics: ['real-time operating systems', 'embedded Linux', 'firmware updates', 'low-power devices', 'Yocto builds'] },
  { name: 'RISC-V', topics: ['RISC-V boards', 'RISC-V vector extensions', 'open hardware toolchains', 'RISC-V boot firmware', 'porting software to RISC-V'] },
  { name: 'Security', topics: ['memory safety', 'fuzzing', 'sandboxing', 'secret management', 'vulnerability disclosure'] },
  { name: 'Software Supply Chain', topics: ['reproducible builds', 'SBOMs', 'artifact signing', 'dependency updates', 'build provenance'] },
  { name: 'Observability', topics: ['distributed tracing', 'metrics pipelines', 'structured logging', 'continuous profiling', 'alerting'] },
  { name: 'Networking', topics: ['eBPF networking', 'IPv6 deployments', 'QUIC', 'software routers', 'DNS resolvers'] },
  { name: 'Web Performance', topics: ['Core Web Vitals', 'image optimisation', 'HTTP caching', 'font loading', 'JavaScript bundle size'] },
  { name: 'Accessibility', topics: ['screen readers', 'accessible forms', 'colour contrast', 'keyboard navigation', 'accessibility testing'] },
  { name: 'Open Source Design', topics: ['design systems', 'usability testing', 'icon design', 'onboarding flows', 'design contributions'] },
  { name: 'Legal & Policy', topics: ['open-source licensing', 'the Cyber Resilience Act', 'contributor agreements', 'export control', 'licence compliance'] },
  { name: 'Community', topics: ['maintainer burnout', 'mentoring newcomers', 'codes of conduct', 'project governance', 'community metrics'] },
  { name: 'Documentation', topics: ['API reference docs', 'docs as code', 'technical writing', 'translation workflows', 'tutorials'] },
  { name: 'Testing & Automation', topics: ['property-based testing', 'flaky tests', 'test coverage', 'CI pipelines', 'mutation testing'] },
  { name: 'Compilers', topics: ['LLVM', 'GCC', 'register allocation', 'link-time optimisation', 'compiler diagnostics'] },
  { name: 'Graphics', topics: ['Vulkan drivers', 'Wayland compositors', 'Mesa', 'GPU scheduling', 'colour management'] },
  { name: 'Mobile', topics: ['free Android distributions', 'Linux phones', 'mobile app privacy', 'cross-platform apps', 'push notifications'] },
  { name: 'Decentralised Web', topics: ['ActivityPub', 'Matrix', 'peer-to-peer sync', 'local-first software', 'federated moderation'] },
  { name: 'Data Science & AI', topics: ['open language models', 'data versioning', 'notebooks', 'model evaluation', 'dataframe libraries'] },
  { name: 'HPC & Scientific Computing', topics: ['MPI', 'batch schedulers', 'scientific workflows', 'GPU clusters', 'research software'] },
  { name: 'Geospatial', topics: ['OpenStreetMap', 'vector tiles', 'routing engines', 'satellite imagery', 'spatial databases'] },
  { name: 'BEAM', topics: ['Elixir', 'Erlang/OTP', 'Gleam', 'the BEAM JIT', 'distributed Erlang'] },
  { name: 'Functional Programming', topics: ['Haskell', 'OCaml', 'type inference', 'effect systems', 'functional data structures'] },
  { name: 'Virtualisation', topics: ['KVM', 'QEMU', 'microVMs', 'confidential computing', 'live migration'] },
  { name: 'Distributions', topics: ['package managers', 'immutable distributions', 'release engineering', 'Debian packaging', 'Nix'] },
  { name: 'Energy & Sustainability', topics: ['carbon-aware scheduling', 'energy measurement', 'smart grids', 'green software', 'hardware longevity'] },
  { name: 'Open Hardware', topics: ['KiCad', 'FPGA toolchains', '3D printing', 'open-source silicon', 'hardware documentation'] },
  { name: 'Audio, Video & Streaming', topics: ['FFmpeg', 'PipeWire', 'AV1 encoding', 'live streaming', 'audio plugins'] },
  { name: 'Identity & Privacy', topics: ['passkeys', 'OpenID Connect', 'end-to-end encryption', 'privacy engineering', 'anonymous credentials'] },
  {
    name: 'Public Sector Open Source',
    topics: ['digital sovereignty', 'open standards', 'government code sharing', 'public procurement', 'open data portals'],
  },
  { name: 'Education', topics: ['teaching programming', 'open educational resources', 'student contributions', 'classroom tooling', 'programming assessment'] },
  { name: 'Retrocomputing', topics: ['emulators', 'software preservation', '8-bit hardware', 'old file formats', 'the demoscene'] },
];

const TITLE_TEMPLATES = [
  '{T} in practice: what we learned',
  'A practical introduction to {t}',
  "What's new in {t}",
  '{T} without the hype',
  'Ten years of {t}: a retrospective',
  '{T} for beginners',
  'The hidden costs of {t}',
  '{T}: the good, the bad and the surprising',
  'Why {t} is harder than it looks',
  'Rethinking {t} from first principles',
  'A year of {t} at a small nonprofit',
  'Common mistakes with {t}, and how to avoid them',
  '{T} in the real world: three case studies',
  'Getting started with {t}',
  'Open questions in {t}',
  'Lessons from a decade of {t}',
  'How a volunteer project approaches {t}',
  '{T}: a field guide',
  'Everything I wish I had known about {t}',
  'The state of {t} in 2027',
];

const PANEL_TEMPLATES = ['Panel: the future of {t}', 'Ask the maintainers: {t}', 'Panel: {t} beyond the big companies'];

const ABSTRACT_OPENERS = [
  '{T} has changed a lot in the last few years, and many of the assumptions we made early on no longer hold.',
  'Many projects adopt {t} without a clear picture of what it costs to run and maintain.',
  'This talk looks at {t} from the point of view of a small team that depends on it every day.',
  'Getting {t} right is mostly a matter of a few decisions made early, and this session is about those decisions.',
  'Over the past year our project has spent a surprising amount of time on {t}.',
  'Ask ten people what good practice in {t} looks like and you will get eleven answers.',
];
const ABSTRACT_MIDDLES = [
  'We start with the problem that made us look at it in the first place, then walk through the approach we ended up with and the trade-offs behind it.',
  'We compare the main approaches, explain where each one breaks down and share the numbers we collected along the way.',
  'Along the way we cover the tools we use, the ones we dropped, and why.',
  'The session is based on real bug reports, real pull requests and real user feedback.',
  'We show what worked, what did not, and what we would do differently if we started again today.',
];
const ABSTRACT_CLOSERS = [
  'Expect concrete examples and pointers to the code, so you can try everything yourself afterwards.',
  'No prior knowledge of the topic is assumed.',
  'The last ten minutes are reserved for questions and discussion.',
  'All the material is published under a free licence, and contributions are very welcome.',
  'We finish with a short list of open problems where help from the community would make a real difference.',
  'Slides and a recording will be published after the event.',
];

const FIRST_NAMES = [
  'Ada',
  'Adebayo',
  'Aiko',
  'Alejandro',
  'Amélie',
  'Anders',
  'Aoife',
  'Arash',
  'Astrid',
  'Bartosz',
  'Beatriz',
  'Benjamin',
  'Camille',
  'Carlos',
  'Chen',
  'Chiara',
  'Dalia',
  'Daniel',
  'Dmitri',
  'Efua',
  'Elif',
  'Emma',
  'Esther',
  'Farid',
  'Fatou',
  'Femke',
  'Finn',
  'Gabriel',
  'Giulia',
  'Hana',
  'Hamid',
  'Helena',
  'Hiroshi',
  'Ibrahim',
  'Ingrid',
  'Isabel',
  'Ivan',
  'Jakub',
  'Jana',
  'Javier',
  'Jiho',
  'Joana',
  'Jonas',
  'Julia',
  'Kai',
  'Kamala',
  'Karim',
  'Katarzyna',
  'Kofi',
  'Lars',
  'Laura',
  'Leon',
  'Lina',
  'Lucas',
  'Maja',
  'Malik',
  'Manon',
  'Marco',
  'Maria',
  'Mei',
  'Mihai',
  'Mira',
  'Nadia',
  'Naveen',
  'Nikolai',
  'Nils',
  'Olga',
  'Omar',
  'Paula',
  'Pedro',
  'Priyanka',
  'Rafael',
  'Rania',
  'Rosa',
  'Ruben',
  'Saanvi',
  'Samira',
  'Sander',
  'Sara',
  'Sebastian',
  'Selin',
  'Sven',
  'Tamar',
  'Tariq',
  'Teresa',
  'Thabo',
  'Tomás',
  'Valentina',
  'Victor',
  'Wei',
  'Xavier',
  'Yara',
  'Yusuf',
  'Zainab',
  'Zoë',
  'Aleksander',
  'Bruno',
  'Chloé',
  'Diego',
  'Eleni',
];
const LAST_NAMES = [
  'Abara',
  'Andersen',
  'Bakker',
  'Banerjee',
  'Becker',
  'Bianchi',
  'Boateng',
  'Brennan',
  'Castro',
  'Chowdhury',
  'Claes',
  'Costa',
  'Dubois',
  'Eriksson',
  'Esposito',
  'Fernandes',
  'Fischer',
  'Fujita',
  'Garcia',
  'Gomes',
  'Hakimi',
  'Hansen',
  'Herrera',
  'Horvat',
  'Ivanova',
  'Jansen',
  'Janssens',
  'Kaya',
  'Kim',
  'Kowalski',
  'Kumar',
  'Laurent',
  'Lee',
  'Lindberg',
  'Lopez',
  'Maes',
  'Mahlangu',
  'Martens',
  'Mendes',
  'Meyer',
  'Molina',
  'Moreau',
  'Murphy',
  'Nakamura',
  'Navarro',
  'Nguyen',
  'Novak',
  'Nowak',
  'Okonkwo',
  'Oliveira',
  'Olsen',
  'Osei',
  'Park',
  'Peeters',
  'Petrov',
  'Popescu',
  'Quispe',
  'Rahman',
  'Rossi',
  'Russo',
  'Sato',
  'Schneider',
  'Schulz',
  'Silva',
  'Singh',
  'Smit',
  'Sokolov',
  'Suzuki',
  'Takahashi',
  'Tan',
  'Torres',
  'Van Damme',
  'Van Dijk',
  'Vasquez',
  'Verhoeven',
  'Vogel',
  'Wagner',
  'Wang',
  'Weber',
  'Wouters',
  'Yamamoto',
  'Yilmaz',
  'Zhang',
  'Zielinski',
  'Adeyemi',
  'Berg',
  'Cohen',
  'Demir',
  'Dimitrov',
  'Haddad',
  'Iyer',
  'Jovanovic',
  'Khan',
  'Larsen',
  'Mensah',
  'Nielsen',
  'Pereira',
  'Richter',
  'Santos',
  'Virtanen',
];
const JOB_TITLES = [
  'Software Engineer',
  'Senior Software Engineer',
  'Staff Engineer',
  'Principal Engineer',
  'Site Reliability Engineer',
  'Platform Engineer',
  'Developer Advocate',
  'Engineering Manager',
  'Research Engineer',
  'Security Engineer',
  'Open Source Program Manager',
  'Embedded Systems Engineer',
  'Data Engineer',
  'Technical Writer',
  'Release Manager',
  'Kernel Developer',
  'Infrastructure Engineer',
  'Performance Engineer',
  'Solutions Architect',
  'Research Software Engineer',
  'Community Manager',
  'Product Designer',
  'Firmware Engineer',
  'Database Engineer',
  'Maintainer',
];
const COMPANY_PREFIXES = [
  'Arbor',
  'Basalt',
  'Cobalt',
  'Driftwood',
  'Ember',
  'Fernhill',
  'Granite',
  'Hollow',
  'Ironbark',
  'Juniper',
  'Kestrel',
  'Larch',
  'Mosswood',
  'Nimbus',
  'Orchard',
  'Pebble',
  'Quarry',
  'Rowan',
  'Saltmarsh',
  'Thistle',
  'Umber',
  'Valewind',
  'Willow',
  'Yarrow',
  'Zephyr',
];
const COMPANY_SUFFIXES = ['Labs', 'Systems', 'Software', 'Data', 'Networks', 'Cloud', 'Works', 'Technologies', 'Analytics', 'Robotics'];
const ORGANISATIONS = [
  'Meridian Institute of Technology',
  'University of Westmark',
  'Open Commons Foundation',
  'Free Tools Collective',
  'Northbridge Research Centre',
  'Digital Heritage Archive',
  'City of Lindenhaven',
];
const HOBBIES = [
  'bakes sourdough bread',
  'plays trombone in a brass band',
  'restores old bicycles',
  'climbs whenever the weather allows',
  'volunteers at a local repair café',
  'organises a monthly user group',
  'is learning Dutch, slowly',
  'runs a small Mastodon server for friends and family',
  'collects vintage keyboards',
  'mentors teenagers at a coding club',
  'grows far too many tomatoes',
  'maps footpaths for OpenStreetMap',
];
const MASTODON_HOSTS = ['fosstodon.org', 'mastodon.social', 'hachyderm.io', 'floss.social', 'chaos.social', 'social.linux.pizza'];
const ROOM_BUILDINGS = ['H', 'K', 'UA2', 'UB2', 'UB4', 'UB5', 'UD2', 'AW1', 'AW2', 'U'];
const ROOM_CAPACITIES = [40, 50, 60, 80, 100, 120, 150, 200, 300];
const EXTRA_LANGUAGES = ['fr', 'nl', 'de', 'es'];

/** mulberry32: small, fast, good enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hsl(h: number, s: number, l: number): string {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  const hex = (x: number) =>
    Math.round(x * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${hex(f(0))}${hex(f(8))}${hex(f(4))}`;
}

/** Letters and digits only, accents folded: "Zoë Van Damme" -> "zoevandamme". */
function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function capitalise(topic: string): string {
  const first = topic.split(' ')[0]!;
  return /^[a-z][a-z-]*$/.test(first) ? topic[0]!.toUpperCase() + topic.slice(1) : topic;
}

function fill(template: string, topic: string): string {
  return template.replace('{T}', capitalise(topic)).replace('{t}', topic);
}

interface Slot {
  readonly start: number;
  readonly duration: number;
}

export function largeEvent(options: LargeEventOptions = {}): EventDocumentInput {
  const rng = prng(options.seed ?? 2027);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const chance = (p: number) => rng() < p;
  const uuid = () => {
    const hex = Array.from({ length: 4 }, () =>
      Math.floor(rng() * 4294967296)
        .toString(16)
        .padStart(8, '0'),
    ).join('');
    const variant = '89ab'[Math.floor(rng() * 4)]!;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };

  const roomCount = Math.max(1, Math.min(1000, Math.floor(options.rooms ?? 60)));
  const roomDayCount = roomCount * DAYS.length;
  // FOSDEM 2020 had 872 events in 35 rooms; by default we generate a little more, in more rooms.
  const maxSessions = Math.max(0, Math.floor(options.sessions ?? 960));

  // Rooms: a big auditorium first, then lecture rooms across a campus.
  const rooms: RoomInput[] = [];
  for (let r = 0; r < roomCount; r++) {
    if (r === 0) {
      rooms.push({ name: 'Janson', description: 'Main auditorium, ground floor of building J.', capacity: 1400 });
      continue;
    }
    const i = r - 1;
    const building = ROOM_BUILDINGS[i % ROOM_BUILDINGS.length]!;
    const k = Math.floor(i / ROOM_BUILDINGS.length);
    const name = `${building}.${1 + (k % 5)}${String(1 + Math.floor(k / 5) * 4).padStart(2, '0')}`;
    rooms.push({ name, description: `Building ${building}, floor ${1 + (k % 5)}.`, capacity: pick(ROOM_CAPACITIES) });
  }

  const tracks: TrackInput[] = TRACKS.map((t, i) => ({
    name: t.name,
    color: hsl((i * 137.508) % 360, 0.65, 0.3),
    description: `Talks about ${t.topics.slice(0, -1).join(', ')} and ${t.topics[t.topics.length - 1]}.`,
  }));

  // Each room-day hosts one track; every track gets a few room-days spread over both days.
  const roomDayTrack = (rd: number) => TRACKS[(rd * 7) % TRACKS.length]!;

  // Plan the time slots: back-to-back from 09:00 to 19:00, spreading a session cap evenly.
  const plans: Slot[][] = [];
  for (let rd = 0; rd < roomDayCount; rd++) {
    const quota = maxSessions === Infinity ? Infinity : Math.floor(maxSessions / roomDayCount) + (rd < maxSessions % roomDayCount ? 1 : 0);
    const slots: Slot[] = [];
    let t = DAY_START;
    while (slots.length < quota) {
      const left = DAY_END - t;
      const fitting = DURATIONS.filter((d) => d <= left);
      if (fitting.length === 0) break;
      const duration = pick(fitting);
      slots.push({ start: t, duration });
      t += duration + GAP;
    }
    // Spread a room's sessions over the whole day (as devrooms do) rather than packing the morning.
    const end = slots.length ? slots[slots.length - 1]!.start + slots[slots.length - 1]!.duration : DAY_START;
    const extra = slots.length > 1 ? Math.floor((DAY_END - end) / (slots.length - 1) / 5) * 5 : 0;
    plans.push(slots.map((slot, i) => ({ ...slot, start: slot.start + i * extra })));
  }

  // Speakers: dealt round-robin to the room-days that have sessions.
  const active = plans.flatMap((slots, rd) => (slots.length > 0 ? [rd] : []));
  const speakerCount = active.length === 0 ? 0 : Math.max(active.length, Math.floor(options.speakers ?? 1050));
  const pools: string[][] = plans.map(() => []);
  const speakers: SpeakerInput[] = [];
  const usedCodes = new Set<string>();
  const nameSpace = FIRST_NAMES.length * LAST_NAMES.length;
  const nameStep = 7919; // prime, coprime with the name space, so the first 10,000 names are distinct
  const nameOffset = Math.floor(rng() * nameSpace);
  for (let i = 0; i < speakerCount; i++) {
    const rd = active[i % active.length]!;
    const track = roomDayTrack(rd);
    const n = (nameOffset + i * nameStep) % nameSpace;
    const first = FIRST_NAMES[n % FIRST_NAMES.length]!;
    const last = LAST_NAMES[Math.floor(n / FIRST_NAMES.length)]!;
    const name = `${first} ${last}`;
    const base = `${ascii(first)}-${ascii(last)}`;
    let code = base;
    for (let k = 2; usedCodes.has(code); k++) code = `${base}-${k}`;
    usedCodes.add(code);
    pools[rd]!.push(code);

    const roll = rng();
    const jobTitle = roll < 0.06 ? 'Independent consultant' : roll < 0.1 ? 'Volunteer maintainer' : pick(JOB_TITLES);
    const company = roll < 0.1 ? '' : roll < 0.2 ? pick(ORGANISATIONS) : `${pick(COMPANY_PREFIXES)} ${pick(COMPANY_SUFFIXES)}`;
    const [topicA, topicB] = twoOf(track.topics, rng);
    const article = /^[AEIOU]/.test(jobTitle) ? 'an' : 'a';
    const who = company ? `${first} is ${article} ${jobTitle} at ${company}` : `${first} is ${article} ${jobTitle.toLowerCase()}`;
    const years = 2 + Math.floor(rng() * 18);
    const bio = [
      `${who}, working mostly on ${topicA} and ${topicB}. ${first} has been involved in open-source ${track.name} projects for ${years} years.`,
      `Outside work, ${first} ${pick(HOBBIES)}.`,
    ].join('\n\n');

    const handles: SpeakerInput['handles'] = {};
    const handle = `${ascii(first)}${ascii(last)}`;
    if (chance(0.8)) handles.github = (chance(0.3) ? `${handle}${10 + Math.floor(rng() * 90)}` : handle).slice(0, 39);
    if (chance(0.4)) handles.mastodon = `@${ascii(first).slice(0, 30)}@${pick(MASTODON_HOSTS)}`;
    if (chance(0.3)) handles.bluesky = `${handle}.bsky.social`;
    if (chance(0.15)) handles.website = `https://${handle}.example`;
    if (chance(0.2)) handles.linkedin = `${ascii(first)}-${ascii(last)}`;
    if (chance(0.1)) handles.x = handle.slice(0, 15);
    speakers.push({ code, name, jobTitle, company, bio, handles });
  }

  // Sessions, room-day by room-day. Titles are drawn without repetition within a track.
  const titleDecks = new Map<string, { entries: Array<{ title: string; topic: string }>; next: number }>();
  const nextTitle = (track: (typeof TRACKS)[number]): { title: string; topic: string } => {
    let deck = titleDecks.get(track.name);
    if (!deck) {
      const entries = track.topics.flatMap((topic) => TITLE_TEMPLATES.map((tpl) => ({ title: fill(tpl, topic), topic })));
      shuffle(entries, rng);
      deck = { entries, next: 0 };
      titleDecks.set(track.name, deck);
    }
    const round = Math.floor(deck.next / deck.entries.length);
    const entry = deck.entries[deck.next % deck.entries.length]!;
    deck.next++;
    return round === 0 ? entry : { title: `${entry.title} (part ${round + 1})`, topic: entry.topic };
  };

  const sessions: SessionInput[] = [];
  let counter = 0;
  for (let rd = 0; rd < roomDayCount; rd++) {
    const slots = plans[rd]!;
    if (slots.length === 0) continue;
    const day = DAYS[Math.floor(rd / roomCount)]!;
    const room = rooms[rd % roomCount]!.name;
    const track = roomDayTrack(rd);
    const pool = pools[rd]!;
    let cursor = 0;
    const take = (n: number): string[] => {
      const out: string[] = [];
      for (let k = 0; k < Math.min(n, pool.length); k++) out.push(pool[(cursor + k) % pool.length]!);
      cursor += out.length;
      return out;
    };

    for (const slot of slots) {
      counter++;
      const code = `lc-${String(counter).padStart(4, '0')}`;
      const isPanel = slot.duration === 50 && chance(0.05);
      const kind: SessionInput['kind'] = isPanel ? 'panel' : slot.duration === 15 ? 'lightning' : 'talk';
      let title: string;
      let topic: string;
      if (isPanel) {
        topic = pick(track.topics);
        title = fill(pick(PANEL_TEMPLATES), topic);
      } else {
        ({ title, topic } = nextTitle(track));
      }
      const abstract =
        kind === 'lightning'
          ? `${fill(pick(ABSTRACT_OPENERS), topic)} ${pick(ABSTRACT_MIDDLES)}`
          : [`${fill(pick(ABSTRACT_OPENERS), topic)} ${pick(ABSTRACT_MIDDLES)}`, twoOf(ABSTRACT_CLOSERS, rng).join(' ')].join('\n\n');
      const links: NonNullable<SessionInput['links']> = [];
      if (chance(0.3)) links.push({ kind: 'slides', title: 'Slides', url: `https://largecon.example/2027/slides/${code}.pdf` });
      if (chance(0.2))
        links.push({ kind: 'video', title: 'Video', url: `https://video.largecon.example/2027/${room.toLowerCase().replace(/[^a-z0-9]+/g, '')}/${code}.webm` });
      if (chance(0.1)) links.push({ kind: 'code', title: 'Source code', url: `https://git.largecon.example/${code}` });
      const level: Level | null = chance(0.1) ? null : pick<Level>(['beginner', 'intermediate', 'intermediate', 'advanced']);
      const hh = String(Math.floor(slot.start / 60)).padStart(2, '0');
      const mm = String(slot.start % 60).padStart(2, '0');
      sessions.push({
        code,
        guid: uuid(),
        kind,
        title,
        abstract,
        language: chance(0.04) ? pick(EXTRA_LANGUAGES) : 'en',
        level,
        track: track.name,
        room,
        start: `${day}T${hh}:${mm}`,
        durationMinutes: slot.duration,
        speakers: take(isPanel ? 3 + Math.floor(rng() * 2) : kind === 'talk' && chance(0.45) ? 2 : 1),
        links,
      });
    }
  }

  // A speaker whose pool ran out of slots would have no session: leave them out, as a real event would.
  const booked = new Set(sessions.flatMap((s) => s.speakers ?? []));
  const bookedSpeakers = speakers.filter((s) => booked.has(s.code));

  return {
    format: 'hallway-event/1',
    community: {
      slug: 'largecon-generated',
      name: 'LargeCon Volunteers (generated)',
      description: 'A generated community that exists to fill the database with a FOSDEM-sized event. None of the people or organisations are real.',
      url: 'https://largecon.example',
    },
    event: {
      slug: 'largecon-2027',
      kind: 'conference',
      title: 'LargeCon 2027',
      acronym: 'LargeCon',
      timeZone: 'Europe/Brussels',
      startDate: DAYS[0],
      endDate: DAYS[DAYS.length - 1]!,
      venue: { name: 'Campus Meridiaan', address: 'Avenue des Tilleuls 50, 1050 Brussels, Belgium', url: 'https://largecon.example/venue' },
      description: [
        '## A generated FOSDEM-scale event',
        '',
        `This event is generated for load testing: ${roomCount} rooms, ${TRACKS.length} tracks, ${sessions.length} sessions and ${bookedSpeakers.length} speakers over two days.`,
        '',
        '- Every room runs sessions from 09:00 to 19:00',
        '- Each room hosts one track per day',
        '- All names, companies and talks are made up',
      ].join('\n'),
      codeOfConductUrl: 'https://largecon.example/code-of-conduct',
      url: 'https://largecon.example/2027',
      capacity: null,
      published: true,
      hosts: [{ name: 'LargeCon Volunteers', role: 'organizer', url: 'https://largecon.example' }],
    },
    rooms,
    tracks,
    speakers: bookedSpeakers,
    sessions,
    sponsors: [
      { name: 'Granite Cloud', level: 'platinum', url: 'https://granite-cloud.example', contribution: 'Network and video streaming' },
      { name: 'Kestrel Systems', level: 'gold', url: 'https://kestrel-systems.example', contribution: 'Coffee' },
      { name: 'Open Commons Foundation', level: 'community', url: 'https://open-commons.example', contribution: 'Travel grants for speakers' },
    ],
  };
}

function shuffle<T>(list: T[], rng: () => number): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
}

/** Two different items of a list (the same one twice if it has only one). */
function twoOf<T>(list: readonly T[], rng: () => number): [T, T] {
  const a = Math.floor(rng() * list.length);
  const b = list.length < 2 ? a : (a + 1 + Math.floor(rng() * (list.length - 1))) % list.length;
  return [list[a]!, list[b]!];
}
