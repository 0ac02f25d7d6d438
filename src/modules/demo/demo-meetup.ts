import type { EventDocumentInput } from '../schedule/event-document.schemas.js';
import { riversideCommunity, riversideOrganizerSpeakers } from './demo-conference.js';

/**
 * Demo content: two evening meetups of the fictional Cloud Native Riverside community, one
 * upcoming (February 2027) and one in the past (October 2026), so the community has both.
 */

type SpeakerInput = NonNullable<EventDocumentInput['speakers']>[number];

const p = (...paragraphs: string[]) => paragraphs.join('\n\n');

function meetupDescription(host: string, extra: string): string {
  return [
    `## Two talks, pizza and good company at ${host}`,
    '',
    extra,
    '',
    '- Doors open at 18:00, talks start at 18:30',
    '- Pizza (including vegan and gluten-free) and drinks, alcohol-free options too',
    '- Seats are limited: please cancel your RSVP if you cannot make it, so someone on the waiting list can come',
    '',
    'New to the community? Say hello to one of the organizers at the door. Everyone is welcome; please read our [code of conduct](https://cloudnative-riverside.example/code-of-conduct) before you come.',
  ].join('\n');
}

export function demoMeetup(): EventDocumentInput {
  const host = 'Kanaal Cloud';
  const room = 'Kanaal Cloud Auditorium';
  const speakers: SpeakerInput[] = [
    ...riversideOrganizerSpeakers(),
    {
      code: 'noor-bakker',
      name: 'Noor Bakker',
      jobTitle: 'Platform Engineer',
      company: 'Kanaal Cloud',
      bio: p(
        'Noor works on the multi-tenant Kubernetes platform at Kanaal Cloud, mostly on networking and tenant isolation.',
        'She previously ran the network for a regional internet exchange and still reads BGP tables for fun.',
      ),
      handles: { github: 'noorbakker', mastodon: '@noor@mastodon.nl' },
    },
    {
      code: 'felix-brandt',
      name: 'Felix Brandt',
      jobTitle: 'Backend Developer',
      company: 'Stadsfiets',
      bio: p(
        'Felix builds the backend of Stadsfiets, the bike-sharing app used across the Riverside region.',
        'He moved the team from a single virtual machine to Kubernetes last year and is still not sure it was the right call, which is exactly what his talk is about.',
      ),
      handles: { github: 'felixbrandt', bluesky: 'felixbrandt.bsky.social' },
    },
  ];
  return {
    format: 'hallway-event/1',
    community: riversideCommunity(),
    event: {
      slug: 'riverside-meetup-2027-02',
      kind: 'meetup',
      title: 'Cloud Native Riverside Meetup #42',
      acronym: 'CNR #42',
      timeZone: 'Europe/Amsterdam',
      startDate: '2027-02-16',
      endDate: '2027-02-16',
      venue: {
        name: 'Kanaal Cloud office',
        address: 'Rivierkade 88, 1019 RX Amsterdam, Netherlands (entrance on the canal side, 4th floor)',
        url: 'https://kanaal-cloud.example/office',
      },
      description: meetupDescription(
        host,
        'Our February meetup is hosted by Kanaal Cloud. Noor explains how they isolate tenants on a shared cluster, and Felix tells the honest story of a small team moving to Kubernetes.',
      ),
      codeOfConductUrl: 'https://cloudnative-riverside.example/code-of-conduct',
      url: 'https://cloudnative-riverside.example/meetups/42',
      capacity: 60,
      published: true,
      hosts: [
        { name: 'Cloud Native Riverside', role: 'organizer', url: 'https://cloudnative-riverside.example' },
        { name: host, role: 'host', url: 'https://kanaal-cloud.example' },
      ],
    },
    rooms: [{ name: room, description: '4th floor, step-free access via the lift by the reception desk.', capacity: 80 }],
    tracks: [],
    speakers,
    sessions: [
      {
        code: 'doors',
        guid: '198d612f-8b7a-421b-ab77-eaeb782fad22',
        kind: 'doors',
        title: 'Doors open',
        abstract: 'Sign in at the reception desk on the ground floor and take the lift to the 4th floor.',
        start: '2027-02-16T18:00',
        durationMinutes: 20,
      },
      {
        code: 'opening',
        guid: 'de5f3b5f-a5f4-458d-ab4c-35007d13bc44',
        kind: 'remarks',
        title: 'Opening remarks and code of conduct',
        abstract: 'Welcome, a word from our host, community news and a short reminder of the code of conduct.',
        room,
        start: '2027-02-16T18:20',
        durationMinutes: 10,
        speakers: ['joost-van-den-berg'],
      },
      {
        code: 'tenant-isolation',
        guid: '08846c49-607a-4c37-a21e-753535b2c7e5',
        kind: 'talk',
        title: 'Many Tenants, One Cluster: Isolation That Holds',
        abstract: p(
          'Kanaal Cloud runs hundreds of customer workloads on shared Kubernetes clusters. Namespaces are only the start: network policies, resource quotas, node isolation for noisy neighbours and admission rules all play a part.',
          'Noor walks through the layers of isolation they use, the attacks each one is meant to stop, and the incident that made them add the last one.',
        ),
        level: 'intermediate',
        room,
        start: '2027-02-16T18:30',
        durationMinutes: 40,
        speakers: ['noor-bakker'],
      },
      {
        code: 'pizza',
        guid: '9bc9d035-a4ed-4c48-a332-afd544c7f02d',
        kind: 'meal',
        title: 'Pizza break',
        abstract: 'Pizza (with vegan and gluten-free options) thanks to Lumenfold.',
        start: '2027-02-16T19:10',
        durationMinutes: 30,
        sponsoredBy: 'Lumenfold',
      },
      {
        code: 'small-team-kubernetes',
        guid: '289cb897-853d-444b-8e61-3a2877d81798',
        kind: 'talk',
        title: 'Did a Team of Four Need Kubernetes?',
        abstract: p(
          'Last year the Stadsfiets backend team (four developers, no dedicated operations person) moved from one large virtual machine to a managed Kubernetes cluster.',
          'Felix shares what got better, what got worse, what it cost, and the checklist he would now give any small team considering the same move. Spoiler: the answer is "it depends", but on fewer things than you think.',
        ),
        level: 'beginner',
        room,
        start: '2027-02-16T19:40',
        durationMinutes: 40,
        speakers: ['felix-brandt'],
      },
      {
        code: 'networking',
        guid: 'edcaf912-a752-4a0e-a687-5df746adca16',
        kind: 'social',
        title: 'Networking and drinks',
        abstract: 'Stay for a drink and a chat with the speakers and other attendees. We leave the building at 21:30.',
        start: '2027-02-16T20:20',
        durationMinutes: 70,
        sponsoredBy: 'Brightgate Payments',
      },
    ],
    sponsors: [
      { name: 'Lumenfold', level: 'gold', url: 'https://lumenfold.example', contribution: 'Pizza' },
      { name: 'Brightgate Payments', level: 'silver', url: 'https://brightgate.example', contribution: 'Beverages' },
      { name: host, level: 'partner', url: 'https://kanaal-cloud.example', contribution: 'Venue' },
    ],
  };
}

/** The October 2026 meetup: in the past, with slides and recordings attached. */
export function pastDemoMeetup(): EventDocumentInput {
  const host = 'Polderstack';
  const room = 'Polderstack Canteen';
  const speakers: SpeakerInput[] = [
    ...riversideOrganizerSpeakers(),
    {
      code: 'anika-sharma',
      name: 'Anika Sharma',
      jobTitle: 'Software Engineer',
      company: 'Polderstack',
      bio: p(
        "Anika works on Polderstack's deployment pipeline and maintains the internal GitOps tooling used by 60 teams.",
        'Before Polderstack she built mobile apps, and she still judges every tool by how it feels on a small screen.',
      ),
      handles: { github: 'anikasharma', bluesky: 'anikasharma.bsky.social' },
    },
    {
      code: 'pieter-claes',
      name: 'Pieter Claes',
      jobTitle: 'Senior Site Reliability Engineer',
      company: 'Harbourline Bank',
      bio: p(
        'Pieter is on the incident-management rotation at Harbourline Bank and facilitates most of its post-incident reviews.',
        'He is interested in how teams learn from failure, and in keeping reviews blameless when the stakes are high.',
      ),
      handles: { mastodon: '@pieter@hachyderm.io', linkedin: 'pieter-claes-sre' },
    },
  ];
  return {
    format: 'hallway-event/1',
    community: riversideCommunity(),
    event: {
      slug: 'riverside-meetup-2026-10',
      kind: 'meetup',
      title: 'Cloud Native Riverside Meetup #38',
      acronym: 'CNR #38',
      timeZone: 'Europe/Amsterdam',
      startDate: '2026-10-13',
      endDate: '2026-10-13',
      venue: {
        name: 'Polderstack office',
        address: 'Dijkstraat 21, 1011 AB Amsterdam, Netherlands',
        url: 'https://polderstack.example/contact',
      },
      description: meetupDescription(
        host,
        'Our October meetup is hosted by Polderstack. Anika shows how her team made GitOps rollbacks fast and safe, and Pieter shares what two years of blameless post-incident reviews taught a bank.',
      ),
      codeOfConductUrl: 'https://cloudnative-riverside.example/code-of-conduct',
      url: 'https://cloudnative-riverside.example/meetups/38',
      capacity: 60,
      published: true,
      hosts: [
        { name: 'Cloud Native Riverside', role: 'organizer', url: 'https://cloudnative-riverside.example' },
        { name: host, role: 'host', url: 'https://polderstack.example' },
      ],
    },
    rooms: [{ name: room, description: 'Ground floor, step-free entrance.', capacity: 70 }],
    tracks: [],
    speakers,
    sessions: [
      {
        code: 'doors',
        guid: 'ce21e821-b67f-4a62-8f3c-f7ca4f44d0dc',
        kind: 'doors',
        title: 'Doors open',
        start: '2026-10-13T18:00',
        durationMinutes: 20,
      },
      {
        code: 'opening',
        guid: '499fc120-66fd-4bbe-b75f-269fc9d29f00',
        kind: 'remarks',
        title: 'Opening remarks and code of conduct',
        abstract: 'Welcome, a word from our host, a call for RiverConf 2027 proposals and a reminder of the code of conduct.',
        room,
        start: '2026-10-13T18:20',
        durationMinutes: 10,
        speakers: ['marieke-dekker'],
      },
      {
        code: 'gitops-rollbacks',
        guid: '26f32435-4913-4161-bd36-eff4655bb736',
        kind: 'talk',
        title: 'Rollbacks in Under a Minute With GitOps',
        abstract: p(
          'GitOps makes deployments auditable, but a rollback that needs a pull request, a review and a sync cycle can take longer than the outage.',
          'Anika shows how Polderstack made rollbacks a one-click, fully audited operation without breaking the "git is the source of truth" rule, and what they learned about image tags along the way.',
        ),
        level: 'intermediate',
        room,
        start: '2026-10-13T18:30',
        durationMinutes: 40,
        speakers: ['anika-sharma'],
        links: [
          { kind: 'slides', title: 'Slides', url: 'https://cloudnative-riverside.example/meetups/38/gitops-rollbacks.pdf' },
          { kind: 'recording', title: 'Recording', url: 'https://video.cloudnative-riverside.example/meetups/38/gitops-rollbacks' },
        ],
      },
      {
        code: 'pizza',
        guid: 'aaf2db27-0ce7-4b2a-81bf-9b201fd35cd9',
        kind: 'meal',
        title: 'Pizza break',
        abstract: 'Pizza thanks to Harbourline Bank.',
        start: '2026-10-13T19:10',
        durationMinutes: 30,
        sponsoredBy: 'Harbourline Bank',
      },
      {
        code: 'blameless-at-a-bank',
        guid: '0660e7c2-4e68-4967-9ae8-0d612d2b9f51',
        kind: 'talk',
        title: 'Blameless Post-Incident Reviews at a Bank',
        abstract: p(
          'Banks have regulators, auditors and risk committees, all of whom want to know whose fault it was. Harbourline Bank has run blameless reviews for two years anyway.',
          'Pieter explains the review format, how findings are reported upwards without naming individuals, and the change in incident numbers and culture since.',
        ),
        level: 'beginner',
        room,
        start: '2026-10-13T19:40',
        durationMinutes: 40,
        speakers: ['pieter-claes'],
        links: [{ kind: 'recording', title: 'Recording', url: 'https://video.cloudnative-riverside.example/meetups/38/blameless-at-a-bank' }],
      },
      {
        code: 'networking',
        guid: 'ef18e75d-5653-4645-b017-70f60802e156',
        kind: 'social',
        title: 'Networking and drinks',
        start: '2026-10-13T20:20',
        durationMinutes: 70,
        sponsoredBy: 'Tidewater Logistics',
      },
    ],
    sponsors: [
      { name: 'Harbourline Bank', level: 'gold', url: 'https://harbourline-bank.example', contribution: 'Pizza' },
      { name: 'Tidewater Logistics', level: 'silver', url: 'https://tidewater-logistics.example', contribution: 'Beverages' },
      { name: host, level: 'partner', url: 'https://polderstack.example', contribution: 'Venue' },
    ],
  };
}
